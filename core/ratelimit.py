"""Count attempts per client address in Django's cache, so one limit holds across every worker.

Signpost's cache is a database table shared by all gunicorn workers (cms/settings/base.py), so
a limit counted here is one limit for the site, not one per process. The e-forms, search,
page feedback and admin sign-in limits all count through this module.

The address is hashed with SECRET_KEY before it becomes part of a cache key, and only numbers
are stored under the key, so the cache never holds anyone's address.

Each entry stores its count together with the moment its window ends. Django's database cache
implements ``incr()`` as a read and a write with the *default* timeout, so an entry counted with
``add()`` and ``incr()`` would lose its own expiry on the second attempt: an hour-long window
would end after five idle minutes, and a steady trickle of attempts would keep a one-minute
window open for ever. Writing the entry back with the time left in its window keeps the window
the length the setting says, on every cache backend.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache


def _now():
    """Seconds since the epoch: wall-clock time, so every worker agrees when a window ends."""
    return time.time()


def client_address(request):
    """The address Django saw, or "unknown" when there is none.

    Behind a proxy this is the proxy's own address unless the proxy overwrites REMOTE_ADDR with
    the resident's (docs/operations.md); otherwise everyone shares one limit.
    """
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class RateLimit:
    """At most ``count`` attempts per address in a window of ``seconds`` from the first attempt.

    Build one where it is used, from the settings of the moment, so a changed setting (or a
    test's override) applies at once::

        RateLimit("search", 120, 60).hit(client_address(request))

    ``scope`` keeps limits apart: the same address has separate counts in each scope.
    """

    #: Whether every counted attempt starts the window again (see ``Lockout``).
    restart_window_on_hit = False

    def __init__(self, scope, count, seconds):
        self.scope = scope
        self.count = count
        self.seconds = seconds

    def key(self, ident):
        """The cache key for ``ident``: a salted one-way hash, so the address is never stored in clear."""
        digest = hashlib.sha256((settings.SECRET_KEY + ident).encode()).hexdigest()[:32]
        return f"ratelimit:{self.scope}:{digest}"

    def hit(self, ident):
        """Count one attempt. True while within the limit; False once this attempt goes past it."""
        key = self.key(ident)
        now = _now()
        if cache.add(key, (1, now + self.seconds), timeout=self.seconds):
            return 1 <= self.count
        # Another attempt opened the window, but it may have ended since add() looked (another
        # worker's window, or the entry expired in between): then this attempt opens a new one.
        attempts, ends_at = self._current(cache.get(key), now) or (0, now + self.seconds)
        attempts += 1
        if self.restart_window_on_hit:
            ends_at = now + self.seconds
        cache.set(key, (attempts, ends_at), timeout=math.ceil(ends_at - now))
        return attempts <= self.count

    def attempts(self, ident):
        """How many attempts ``ident`` has made in the current window. Counts nothing."""
        current = self._current(cache.get(self.key(ident)), _now())
        return current[0] if current else 0

    def is_limited(self, ident):
        """True when ``ident`` has used up the window, so a further attempt would be refused. Counts nothing."""
        return self.attempts(ident) >= self.count

    def reset(self, ident):
        """Forget ``ident``'s attempts, e.g. after a successful sign-in."""
        cache.delete(self.key(ident))

    @staticmethod
    def _current(entry, now):
        """The entry's (attempts, ends_at) while its window is open, else None.

        Cache timeouts are whole seconds, so an entry can outlive its window by a moment; the
        stored end is the one that counts.
        """
        if not entry:
            return None
        attempts, ends_at = entry
        return (attempts, ends_at) if ends_at > now else None


class Lockout(RateLimit):
    """A limit on failures, whose window starts again with every failure counted.

    The address is let in again only after ``seconds`` with no new failure, so a patient
    guesser gets no fresh allowance each window (the admin sign-in, cms/middleware.py).
    """

    restart_window_on_hit = True

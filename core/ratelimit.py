"""Count attempts per client in Django's cache, so one limit holds across every worker.

Every limit (e-forms, search, page feedback, the admin sign-in) finds the client with
``client_address`` and counts through ``RateLimit``, so one setting decides, for all of them,
which address is the resident's when Signpost sits behind a reverse proxy.

Where the counts live
---------------------
The limits count in the cache alias ``ratelimit`` (``default`` when a settings module names no
such alias), kept apart from the general cache so that nothing cached for pages or synonyms
ever pushes a window out, and the other way round. Without ``REDIS_URL`` that alias is a
database table shared by all gunicorn workers (cms/settings/base.py); with it, Redis.

The address is hashed with SECRET_KEY before it becomes part of a cache key, and only numbers
are stored under the key, so the cache never holds anyone's address.

Keeping each window the length the setting says
-----------------------------------------------
On Redis a window is one integer key: ``add()`` creates it with the window's expiry (SET NX
EX), and ``incr()`` counts with Redis's INCR, which is atomic and keeps the key's expiry, so
concurrent attempts from many workers are all counted and the window ends when the first
attempt said. That takes no SQL at all.

Django's database cache implements ``incr()`` as a read and a write with the *default*
timeout, so an entry counted with ``add()`` and ``incr()`` there would lose its own expiry on
the second attempt: an hour-long window would end after five idle minutes, and a steady
trickle of attempts would keep a one-minute window open for ever. So on every other backend
each entry stores its count together with the moment its window ends, and is written back
with the time left in its window. That read and write is not atomic: two workers counting the
same address at the same instant can count one attempt between them, which is one more reason
to use Redis in production.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

#: The cache alias the limits count in, when the settings define it.
CACHE_ALIAS = "ratelimit"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _now() -> float:
    """Seconds since the epoch: wall-clock time, so every worker agrees when a window ends."""
    return time.time()


def limits_cache() -> BaseCache:
    """The cache the limits count in: ``ratelimit`` if configured, else ``default``.

    Looked up on every use, so a test's or a deployment's changed CACHES applies at once.
    """
    alias = CACHE_ALIAS if CACHE_ALIAS in settings.CACHES else "default"
    return caches[alias]


# --- Which address is the client's -----------------------------------------------------------


def _parse_address(text: str) -> IPAddress | None:
    """One address from REMOTE_ADDR or X-Forwarded-For, or None when it is not an address.

    Accepts what proxies actually write: surrounding spaces, an IPv4 address with a port
    (``192.0.2.1:5678``) and a bracketed IPv6 address with or without one (``[2001:db8::1]:443``).
    An IPv4 address written as IPv6 (``::ffff:192.0.2.1``) becomes the IPv4 address, so one
    resident has one count however the address reached us.
    """
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=8)
def _trusted_networks(cidrs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """TRUSTED_PROXIES as networks, parsed once per distinct setting rather than per request."""
    networks = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr.strip(), strict=True))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES has {cidr!r}, which is not an address or network ({error})."
            ) from error
    return tuple(networks)


def _configured_networks() -> tuple[IPNetwork, ...]:
    """TRUSTED_PROXIES from the settings; a string is read as a comma-separated list."""
    configured = getattr(settings, "TRUSTED_PROXIES", ()) or ()
    if isinstance(configured, str):
        configured = configured.split(",")
    return _trusted_networks(tuple(str(cidr) for cidr in configured if str(cidr).strip()))


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def _forwarded_client(
    forwarded_for: str, hops: int, networks: tuple[IPNetwork, ...]
) -> IPAddress | None:
    """The client's address from X-Forwarded-For, or None when the header cannot say.

    Each proxy appends the address it received the request from, so only the right-hand end of
    the header was written by proxies we trust; everything to the left of that came from the
    client and is never believed.

    - ``hops`` > 0: exactly that many proxies stand in front, so the client is the ``hops``-th
      address from the right. Fewer addresses than that means the request did not come the
      whole way through them.
    - otherwise: walk from the right past addresses inside TRUSTED_PROXIES; the first address
      outside them is the client's. When every address is a trusted proxy, the left-most is.

    Only the addresses read are parsed, so junk a client put further left changes nothing.
    """
    entries = forwarded_for.split(",")
    if hops > 0:
        return _parse_address(entries[-hops]) if len(entries) >= hops else None
    address = None
    for entry in reversed(entries):
        address = _parse_address(entry)
        if address is None:
            return None
        if not _is_trusted(address, networks):
            return address
    return address


def client_address(request: HttpRequest) -> str:
    """The address every limit and the sign-in lockout count against.

    Without TRUSTED_PROXY_HOPS or TRUSTED_PROXIES this is REMOTE_ADDR, the address that opened
    the connection. Behind a reverse proxy REMOTE_ADDR is the proxy's, so everyone would share
    one limit; those settings say when X-Forwarded-For may be believed instead:

    - TRUSTED_PROXIES (networks): only when REMOTE_ADDR is inside them. A client connecting
      from anywhere else has its X-Forwarded-For ignored, so it cannot pick its own address.
    - TRUSTED_PROXY_HOPS (a number): the proxies' count decides which address from the right
      is the client's (see ``_forwarded_client``). Alone, it believes every peer, so it is only
      safe where nothing but the proxy can reach Signpost; with TRUSTED_PROXIES as well, the
      peer must be a trusted proxy first.

    A missing or malformed header, or one shorter than the hops, falls back to REMOTE_ADDR;
    nothing a client sends can make this raise. "unknown" when there is no REMOTE_ADDR at all.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "") or ""
    peer = _parse_address(remote_addr)
    if peer is None:
        return remote_addr or "unknown"
    hops = int(getattr(settings, "TRUSTED_PROXY_HOPS", 0) or 0)
    networks = _configured_networks()
    if hops <= 0 and not networks:
        return str(peer)
    if networks and not _is_trusted(peer, networks):
        return str(peer)
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not isinstance(forwarded_for, str) or not forwarded_for.strip():
        return str(peer)
    client = _forwarded_client(forwarded_for, hops, networks)
    return str(client if client is not None else peer)


# --- Counting ----------------------------------------------------------------------------------


class RateLimit:
    """At most ``count`` attempts per address in a window of ``seconds`` from the first attempt.

    Build one where it is used, from the settings of the moment, so a changed setting (or a
    test's override) applies at once::

        RateLimit("search", 120, 60).hit(client_address(request))

    ``scope`` keeps limits apart: the same address has separate counts in each scope.
    """

    #: Whether every counted attempt starts the window again (see ``Lockout``).
    restart_window_on_hit = False

    def __init__(
        self, scope: str, count: int, seconds: int, cache: BaseCache | None = None
    ) -> None:
        self.scope = scope
        self.count = count
        self.seconds = seconds
        self._cache = cache  # where to count, when not the limits' cache (``limits_cache``)

    @property
    def cache(self) -> BaseCache:
        return self._cache if self._cache is not None else limits_cache()

    def key(self, ident: str) -> str:
        """The cache key for ``ident``: a salted one-way hash, so the address is never stored in clear."""
        digest = hashlib.sha256((settings.SECRET_KEY + ident).encode()).hexdigest()[:32]
        return f"ratelimit:{self.scope}:{digest}"

    def hit(self, ident: str) -> bool:
        """Count one attempt. True while within the limit; False once this attempt goes past it."""
        cache = self.cache
        if isinstance(cache, RedisCache):
            return self._count_atomically(cache, self.key(ident)) <= self.count
        return self._count_with_stored_window(cache, self.key(ident)) <= self.count

    def attempts(self, ident: str) -> int:
        """How many attempts ``ident`` has made in the current window. Counts nothing."""
        cache = self.cache
        entry = cache.get(self.key(ident))
        if isinstance(cache, RedisCache):
            return int(entry or 0)
        current = self._current(entry, _now())
        return current[0] if current else 0

    def is_limited(self, ident: str) -> bool:
        """True when ``ident`` has used up the window, so a further attempt would be refused. Counts nothing."""
        return self.attempts(ident) >= self.count

    def reset(self, ident: str) -> None:
        """Forget ``ident``'s attempts, e.g. after a successful sign-in."""
        self.cache.delete(self.key(ident))

    def _count_atomically(self, cache: RedisCache, key: str) -> int:
        """Count on Redis: the window's expiry is set once, when ``add()`` creates the key.

        Two races are handled. The key can expire between ``add()`` refusing and ``incr()``
        (which then raises ValueError): this attempt opens a new window. And Django's
        ``incr()`` checks the key exists before INCR, so a key expiring between the two is
        created again by INCR with no expiry at all; its count is then 1 (a live key counted
        here is at least 2), and the expiry is set so the window cannot last for ever.
        """
        if cache.add(key, 1, timeout=self.seconds):
            return 1
        try:
            attempts = int(cache.incr(key))
        except ValueError:
            if cache.add(key, 1, timeout=self.seconds):
                return 1
            attempts = int(cache.incr(key))
        if attempts == 1 or self.restart_window_on_hit:
            cache.touch(key, timeout=self.seconds)
        return attempts

    def _count_with_stored_window(self, cache: BaseCache, key: str) -> int:
        """Count on any other backend, keeping the window's end inside the entry (see above)."""
        now = _now()
        if cache.add(key, (1, now + self.seconds), timeout=self.seconds):
            return 1
        # Another attempt opened the window, but it may have ended since add() looked (another
        # worker's window, or the entry expired in between): then this attempt opens a new one.
        attempts, ends_at = self._current(cache.get(key), now) or (0, now + self.seconds)
        attempts += 1
        if self.restart_window_on_hit:
            ends_at = now + self.seconds
        cache.set(key, (attempts, ends_at), timeout=math.ceil(ends_at - now))
        return attempts

    @staticmethod
    def _current(entry: object, now: float) -> tuple[int, float] | None:
        """The entry's (attempts, ends_at) while its window is open, else None.

        Cache timeouts are whole seconds, so an entry can outlive its window by a moment; the
        stored end is the one that counts.
        """
        if not isinstance(entry, tuple) or len(entry) != 2:
            return None
        attempts, ends_at = entry
        return (int(attempts), float(ends_at)) if ends_at > now else None


class Lockout(RateLimit):
    """A limit on failures, whose window starts again with every failure counted.

    The address is let in again only after ``seconds`` with no new failure, so a patient
    guesser gets no fresh allowance each window (the admin sign-in, cms/middleware.py).
    """

    restart_window_on_hit = True

"""Per-IP limits on the things people could abuse: submitting, and guessing references.

Counts live in Django's cache (a shared database cache in production), in fixed windows.
Limits can be changed in settings without a deploy of code.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {
    # name: (how many, per how many seconds)
    "submit": (30, 60 * 60),
    "track": (10, 15 * 60),
    "save": (10, 60 * 60),
}


def client_ip(request):
    """The address Django saw. Behind a proxy, set the proxy to overwrite REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def limit_for(name):
    configured = getattr(settings, "EFORMS_RATE_LIMITS", {}) or {}
    return configured.get(name, DEFAULTS[name])


def _key(name, ident):
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"eforms:rl:{name}:{digest}"


def hit(request, name):
    """Count one attempt. Returns False once the limit is reached for this window."""
    count, seconds = limit_for(name)
    key = _key(name, client_ip(request))
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        current = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return True
    return current <= count


def is_limited(request, name):
    """True when this client has already used up the window (without counting a new attempt)."""
    count, _seconds = limit_for(name)
    return (cache.get(_key(name, client_ip(request))) or 0) >= count

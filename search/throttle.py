"""A per-address limit on searches, so one client can't hammer the engine.

The count lives in Django's cache for a fixed window; the address is hashed before it is
used as a key, and never logged. SEARCH_RATE_LIMIT = (searches, seconds) changes it.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = (120, 60)


def allow_search(request):
    """Count this search; False once the address has used up its window."""
    searches, seconds = getattr(settings, "SEARCH_RATE_LIMIT", DEFAULT_LIMIT)
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    key = "search:throttle:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        return cache.incr(key) <= searches
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=seconds)
        return True

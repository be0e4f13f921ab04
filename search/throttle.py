"""A per-address limit on searches, so one client can't hammer the engine.

The counting is core.ratelimit's: a fixed window, the address hashed before it is used as a key,
and never logged. SEARCH_RATE_LIMIT = (searches, seconds) changes it.

Where it counts: on Redis when the limits are there (production), shared by every app server;
otherwise in this process's memory. The other limits (e-forms, sign-in) count in the database
cache without Redis, but a search must not cost a database transaction: a search limit per
process lets a client make (processes × limit) searches a window, which still stops a flood.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from core.ratelimit import RateLimit, client_address, limits_cache

if TYPE_CHECKING:
    from django.core.cache import BaseCache
    from django.http import HttpRequest

DEFAULT_LIMIT = (120, 60)

# Room for 100,000 addresses' windows; past that a tenth are culled (expired ones first).
_local_counts = LocMemCache(
    "signpost-search-limits", {"OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 10}}
)


def counts_cache() -> BaseCache:
    """Redis when the limits are on Redis, else this process's memory."""
    shared = limits_cache()
    return shared if isinstance(shared, RedisCache) else _local_counts


def forget_local_counts() -> None:
    """Empty this process's counts (tests)."""
    _local_counts.clear()


def allow_search(request: HttpRequest) -> bool:
    """Count this search; False once the address has used up its window."""
    searches, seconds = getattr(settings, "SEARCH_RATE_LIMIT", DEFAULT_LIMIT)
    limit = RateLimit("search", searches, seconds, cache=counts_cache())
    allowed: bool = limit.hit(client_address(request))
    return allowed

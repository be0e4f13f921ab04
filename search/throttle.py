"""A per-address limit on searches, so one client can't hammer the engine.

The counting is core.ratelimit's: a fixed window in Django's cache, the address hashed before it
is used as a key, and never logged. SEARCH_RATE_LIMIT = (searches, seconds) changes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from core.ratelimit import RateLimit, client_address

if TYPE_CHECKING:
    from django.http import HttpRequest

DEFAULT_LIMIT = (120, 60)


def allow_search(request: HttpRequest) -> bool:
    """Count this search; False once the address has used up its window."""
    searches, seconds = getattr(settings, "SEARCH_RATE_LIMIT", DEFAULT_LIMIT)
    allowed: bool = RateLimit("search", searches, seconds).hit(client_address(request))
    return allowed

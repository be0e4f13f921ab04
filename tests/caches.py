"""Start a test from empty caches: the general one and the rate limits' own (cms/settings)."""

from django.core.cache import caches


def clear_caches() -> None:
    """Empty every configured cache, so earlier tests' rate-limit windows never carry over."""
    for cache in caches.all():
        cache.clear()

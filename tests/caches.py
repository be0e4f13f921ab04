"""Start a test from empty caches: the general one and the rate limits' own (cms/settings)."""

from django.core.cache import caches

from core.fragments import forget_in_process
from core.i18n import locales


def clear_caches() -> None:
    """Empty every configured cache, so earlier tests' rate-limit windows never carry over, and
    what each process keeps in memory, which a restored database may change: the locales
    (core.i18n) and the values remembered in process (core.fragments)."""
    for cache in caches.all():
        cache.clear()
    locales.forget()
    forget_in_process()

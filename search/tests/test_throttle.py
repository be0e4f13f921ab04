"""The search limit under load, on the zero-setup database cache.

Django's database cache keeps 300 entries by default and culls a third of them when a write
finds more, so the limit used to forget addresses exactly when many were searching. The
limits now have a table of their own with room for 100,000 windows (cms/settings).
"""

import pytest
from django.core.cache import cache, caches
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from search.text import SYNONYM_CACHE_KEY
from search.throttle import allow_search

pytestmark = pytest.mark.django_db

factory = RequestFactory()


def addresses(count: int) -> list[str]:
    return [f"198.51.{n // 250}.{n % 250 + 1}" for n in range(count)]


def test_400_addresses_searching_once_are_all_still_limited(settings: Settings) -> None:
    settings.SEARCH_RATE_LIMIT = (1, 3600)
    crowd = addresses(400)
    assert all(allow_search(factory.get("/search/", REMOTE_ADDR=a)) for a in crowd)
    refused = [a for a in crowd if not allow_search(factory.get("/search/", REMOTE_ADDR=a))]
    assert len(refused) == 400, f"{400 - len(refused)} windows were forgotten"


def test_counting_many_addresses_never_pushes_out_the_cached_synonyms(settings: Settings) -> None:
    settings.SEARCH_RATE_LIMIT = (5, 3600)
    cache.set(SYNONYM_CACHE_KEY, [[("bin",), ("rubbish",)]], 300)
    for address in addresses(400):
        allow_search(factory.get("/search/", REMOTE_ADDR=address))
    assert cache.get(SYNONYM_CACHE_KEY) == [[("bin",), ("rubbish",)]]
    assert caches["ratelimit"] is not caches["default"]

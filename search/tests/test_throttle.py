"""The search limit under load, and what it costs a search.

Django's database cache keeps 300 entries by default and culls a third of them when a write
finds more, so the limit used to forget addresses exactly when many were searching. Then
(issue 17) counting in the database cost every search a committed transaction: the search
limit now counts in Redis when the limits are there, else in the process's own memory, with
room for 100,000 windows, and never touches the database.
"""

import pytest
from django.core.cache import cache, caches
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from search.text import SYNONYM_CACHE_KEY
from search.throttle import allow_search, counts_cache, forget_local_counts

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


def test_counting_a_search_costs_no_sql(settings: Settings, django_assert_num_queries) -> None:
    settings.SEARCH_RATE_LIMIT = (2, 3600)
    with django_assert_num_queries(0):
        verdicts = [
            allow_search(factory.get("/search/", REMOTE_ADDR="198.51.100.7")) for _ in "abc"
        ]
    assert verdicts == [True, True, False]


def test_on_redis_every_app_server_shares_one_count(
    settings: Settings, redis_caches: str, django_assert_num_queries
) -> None:
    """Two processes are two memories; Redis is one: the third search is refused wherever it
    lands. (Emptying the process's memory stands in for a second app server.)"""
    settings.SEARCH_RATE_LIMIT = (2, 3600)
    request = factory.get("/search/", REMOTE_ADDR="198.51.100.8")
    assert "Redis" in type(counts_cache()).__name__
    with django_assert_num_queries(0):
        assert allow_search(request) and allow_search(request)
    forget_local_counts()
    assert not allow_search(request)

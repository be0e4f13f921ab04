"""The rate limits on both caches Signpost runs on: the database tables and a real Redis.

The same rules run on both (``backend``): counting, refusing, windows that end when their
seconds are up, lockouts that start again with each failure. On Redis the windows are two or
three seconds of real time, because the server's own clock ends them, which is the point. On
the database the stored end of each window decides (``_now`` in core/ratelimit.py), so there
``wait`` moves that clock on instead of sleeping: a loaded machine taking a second over a
database write can then never push a test past the end of its window.
Redis alone counts atomically, so the threaded test is Redis's; the database cache's
read-and-write is documented as losing a count under a race (core/ratelimit.py).
"""

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpRequest
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings as SettingsWrapper

from core import ratelimit
from core.ratelimit import Lockout, RateLimit, client_address, limits_cache

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.7"


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
def backend(request: pytest.FixtureRequest) -> str:
    """The cache the limits count in: the test settings' database table, or real Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_caches")
    return str(request.param)


@pytest.fixture
def raw_redis(redis_url: str, redis_caches: str) -> Iterator[redis.Redis]:
    """A plain client on the harness's server, to look at keys the way Redis sees them."""
    client: redis.Redis = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def wait(backend: str, monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Let ``seconds`` pass: real time on Redis, the limits' own clock on the database."""
    if backend == "redis":
        return time.sleep
    now = [time.time()]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])

    def move_on(seconds: float) -> None:
        now[0] += seconds

    return move_on


def test_the_limits_count_in_the_expected_backend(backend: str) -> None:
    assert isinstance(limits_cache(), RedisCache) == (backend == "redis")
    assert limits_cache() is caches["ratelimit"]


def test_counts_refuses_and_resets(backend: str) -> None:
    limit = RateLimit("test", 3, 60)
    assert [limit.hit(ADDRESS) for _ in range(5)] == [True, True, True, False, False]
    assert limit.attempts(ADDRESS) == 5 and limit.is_limited(ADDRESS)
    assert not RateLimit("other", 3, 60).is_limited(ADDRESS)
    assert not limit.is_limited("192.0.2.8")
    limit.reset(ADDRESS)
    assert limit.attempts(ADDRESS) == 0 and limit.hit(ADDRESS)


def test_a_limit_of_zero_refuses_even_the_first_attempt(backend: str) -> None:
    assert RateLimit("test", 0, 60).hit(ADDRESS) is False


def test_the_window_ends_after_its_seconds(wait: Callable[[float], None]) -> None:
    limit = RateLimit("test", 1, 2)
    assert [limit.hit(ADDRESS), limit.hit(ADDRESS)] == [True, False]
    wait(2.2)
    assert not limit.is_limited(ADDRESS)
    assert limit.hit(ADDRESS)


def test_later_attempts_do_not_move_the_end_of_a_fixed_window(
    wait: Callable[[float], None],
) -> None:
    limit = RateLimit("test", 2, 2)
    limit.hit(ADDRESS)
    wait(1.2)
    limit.hit(ADDRESS)
    assert limit.is_limited(ADDRESS)
    wait(1.0)  # 2.2 s after the first attempt, 1.0 s after the last
    assert limit.attempts(ADDRESS) == 0


def test_a_lockout_starts_again_with_every_failure(wait: Callable[[float], None]) -> None:
    failures = Lockout("test", 2, 3)
    failures.hit(ADDRESS)
    wait(1.7)
    failures.hit(ADDRESS)
    wait(1.5)  # 3.2 s after the first failure, 1.5 s after the last
    assert failures.is_limited(ADDRESS)
    wait(1.6)  # 3.1 s after the last failure
    assert not failures.is_limited(ADDRESS)


@pytest.mark.redis
def test_on_redis_a_window_is_one_integer_key_whose_expiry_is_set_once(
    raw_redis: redis.Redis, redis_caches: str
) -> None:
    limit = RateLimit("test", 100, 60)
    for _ in range(10):
        limit.hit(ADDRESS)
    (stored,) = raw_redis.keys(f"{redis_caches}-signpost-ratelimit:*")
    key = stored.decode() if isinstance(stored, bytes) else stored
    assert key == caches["ratelimit"].make_key(limit.key(ADDRESS))
    assert ADDRESS not in key and raw_redis.get(key) == b"10"
    assert 55_000 < raw_redis.pttl(key) <= 60_000
    time.sleep(1.1)
    limit.hit(ADDRESS)
    assert raw_redis.pttl(key) < 59_000, "counting must not push a fixed window's end back"


@pytest.mark.redis
def test_on_redis_a_lockout_moves_its_expiry_with_each_failure(
    raw_redis: redis.Redis, redis_caches: str
) -> None:
    failures = Lockout("test", 5, 60)
    failures.hit(ADDRESS)
    key = caches["ratelimit"].make_key(failures.key(ADDRESS))
    time.sleep(1.1)
    failures.hit(ADDRESS)
    assert raw_redis.pttl(key) > 59_000, "each failure starts the minute again"


@pytest.mark.redis
def test_on_redis_counts_from_many_threads_are_all_counted(redis_caches: str) -> None:
    """Eight workers counting one address at once: every attempt counted, exactly ``count``
    let through. A read-and-write counter would lose attempts here."""
    limit = RateLimit("test", 50, 60)
    results: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def attempt_25_times() -> None:
        start.wait()
        mine = [limit.hit(ADDRESS) for _ in range(25)]
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=attempt_25_times) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 200 and results.count(True) == 50
    assert limit.attempts(ADDRESS) == 200


class KeyExpiresBeforeIncr(RedisCache):
    """Real Redis, in which the key always expires between incr()'s EXISTS check and its INCR,
    as it can when a window ends at that moment: INCR then makes a key with no expiry."""

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        full_key = self.make_and_validate_key(key, version=version)
        # RedisCache._cache (Django's client wrapper) is private and not in the stubs.
        client = self._cache.get_client(full_key, write=True)  # type: ignore[attr-defined]
        if not client.exists(full_key):
            raise ValueError(f"Key '{key}' not found.")
        client.delete(full_key)
        return int(client.incr(full_key, delta))


class KeyExpiresAfterAdd(RedisCache):
    """Real Redis, in which the window ends just after add() refused to replace it."""

    def add(
        self, key: str, value: Any, timeout: float | None = 300, version: int | None = None
    ) -> bool:
        added = super().add(key, value, timeout, version)
        if not added:
            self.delete(key, version)
        return added


def _ratelimit_backend(settings: SettingsWrapper, backend_class: type[RedisCache]) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            **settings.CACHES["ratelimit"],
            "BACKEND": f"{__name__}.{backend_class.__name__}",
        },
    }


@pytest.mark.redis
def test_on_redis_a_key_made_again_by_incr_gets_its_expiry_back(
    raw_redis: redis.Redis, settings: SettingsWrapper
) -> None:
    _ratelimit_backend(settings, KeyExpiresBeforeIncr)
    limit = RateLimit("test", 5, 60)
    assert limit.hit(ADDRESS) and limit.hit(ADDRESS)
    key = caches["ratelimit"].make_key(limit.key(ADDRESS))
    assert raw_redis.get(key) == b"1"  # the second attempt opened a new window...
    assert 0 < raw_redis.ttl(key) <= 60  # ...that still ends (-1 would mean never)


@pytest.mark.redis
def test_on_redis_a_window_that_ends_between_add_and_incr_starts_a_new_one(
    redis_caches: str, settings: SettingsWrapper
) -> None:
    _ratelimit_backend(settings, KeyExpiresAfterAdd)
    limit = RateLimit("test", 1, 60)
    assert limit.hit(ADDRESS)  # add() opens the window
    assert limit.hit(ADDRESS)  # add() refuses, the window ends, incr() finds nothing: new window
    assert limit.attempts(ADDRESS) == 1


def test_sql_statements_per_counted_attempt(backend: str) -> None:
    """Redis counts without touching the database; the database cache needs several
    statements for every attempt (the figures are in docs/operations.md)."""
    limit = RateLimit("test", 100, 60)
    limit.hit(ADDRESS)  # the window exists: the common case
    with CaptureQueriesContext(connection) as queries:
        limit.hit(ADDRESS)
    if backend == "redis":
        assert len(queries) == 0
    else:
        assert len(queries) > 0


def test_two_residents_behind_one_proxy_have_separate_limits(
    backend: str, settings: SettingsWrapper
) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    factory = RequestFactory()
    limit = RateLimit("test", 1, 60)

    def resident(address: str) -> HttpRequest:
        return factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=address)

    assert limit.hit(client_address(resident("198.51.100.1")))
    assert not limit.hit(client_address(resident("198.51.100.1")))
    assert limit.hit(client_address(resident("198.51.100.2")))

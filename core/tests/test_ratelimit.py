"""core.ratelimit: the one place Signpost counts attempts per client address.

Most tests use the database cache the test settings share with production (its own table,
``signpost_ratelimit``, apart from the general cache), so they show the limits as the site
enforces them without Redis. test_ratelimit_backends.py runs the same rules on real Redis.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import RequestFactory, override_settings

from core import ratelimit
from core.ratelimit import Lockout, RateLimit, client_address

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.7"


class EntryExpiresAfterAdd(LocMemCache):
    """A real in-memory cache in which every entry's window ends just after add() refused to
    replace it: the moment between add() and the next read that workers can lose a race in."""

    def add(self, key, value, timeout=None, version=None):
        added = super().add(key, value, timeout, version)
        if not added:
            self.delete(key, version)
        return added


def ratelimit_table() -> str:
    """The database table the limits count in (the "ratelimit" alias of the test settings)."""
    return str(django_settings.CACHES["ratelimit"]["LOCATION"])


LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
RACING_CACHE = {"default": {"BACKEND": f"{__name__}.EntryExpiresAfterAdd", "LOCATION": "rl-race"}}
PLAIN_CACHE = {"default": {"BACKEND": LOCMEM, "LOCATION": "rl-plain"}}


@pytest.fixture
def clock(monkeypatch):
    """The module's clock, moved by hand: `clock.now += 61` lets a minute go by."""

    class Clock:
        now = ratelimit._now()

        def __call__(self):
            return self.now

    fake = Clock()
    monkeypatch.setattr(ratelimit, "_now", fake)
    return fake


def test_counts_attempts_within_the_window():
    limit = RateLimit("test", 3, 60)
    assert [limit.hit(ADDRESS) for _ in range(3)] == [True, True, True]
    assert limit.attempts(ADDRESS) == 3


def test_refuses_attempts_past_the_limit():
    limit = RateLimit("test", 2, 60)
    assert [limit.hit(ADDRESS) for _ in range(4)] == [True, True, False, False]
    assert limit.is_limited(ADDRESS)


def test_a_limit_of_zero_refuses_even_the_first_attempt():
    assert RateLimit("test", 0, 60).hit(ADDRESS) is False


def test_scopes_and_addresses_are_counted_separately():
    RateLimit("search", 1, 60).hit(ADDRESS)
    RateLimit("search", 1, 60).hit(ADDRESS)
    assert RateLimit("search", 1, 60).is_limited(ADDRESS)
    assert not RateLimit("feedback", 1, 60).is_limited(ADDRESS)
    assert RateLimit("feedback", 1, 60).hit(ADDRESS)
    assert not RateLimit("search", 1, 60).is_limited("192.0.2.8")
    assert RateLimit("search", 1, 60).hit("192.0.2.8")


def test_peeking_counts_nothing():
    limit = RateLimit("test", 2, 60)
    limit.hit(ADDRESS)
    for _ in range(5):
        assert not limit.is_limited(ADDRESS)
        assert limit.attempts(ADDRESS) == 1
    assert limit.hit(ADDRESS)
    assert limit.is_limited(ADDRESS)


def test_reset_forgets_the_attempts():
    limit = RateLimit("test", 1, 60)
    limit.hit(ADDRESS)
    limit.hit(ADDRESS)
    limit.reset(ADDRESS)
    assert limit.attempts(ADDRESS) == 0 and not limit.is_limited(ADDRESS)
    assert limit.hit(ADDRESS)


def test_the_address_is_never_stored_in_clear():
    limit = RateLimit("test", 5, 60)
    limit.hit(ADDRESS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {ratelimit_table()}")
        (stored_key,) = [row[0] for row in cursor.fetchall()]
    assert stored_key.endswith(limit.key(ADDRESS)) and ADDRESS not in stored_key
    # only numbers are stored under the key
    attempts, ends_at = caches["ratelimit"].get(limit.key(ADDRESS))
    assert attempts == 1 and isinstance(ends_at, float)


def test_the_key_is_salted_with_the_secret_key(settings):
    before = RateLimit("test", 5, 60).key(ADDRESS)
    settings.SECRET_KEY = "another-secret-" + "y" * 40
    assert RateLimit("test", 5, 60).key(ADDRESS) != before


def test_the_window_ends_after_its_seconds(clock):
    limit = RateLimit("test", 1, 60)
    limit.hit(ADDRESS)
    clock.now += 30
    assert limit.hit(ADDRESS) is False
    clock.now += 31  # 61 seconds after the first attempt
    assert not limit.is_limited(ADDRESS)
    assert limit.hit(ADDRESS)


def test_later_attempts_do_not_move_the_end_of_a_fixed_window(clock):
    limit = RateLimit("test", 2, 60)
    limit.hit(ADDRESS)
    clock.now += 50
    limit.hit(ADDRESS)
    clock.now += 20  # 70 seconds after the first attempt, 20 after the last
    assert limit.attempts(ADDRESS) == 0


def test_a_lockout_starts_again_with_every_failure(clock):
    failures = Lockout("test", 2, 60)
    failures.hit(ADDRESS)
    clock.now += 50
    failures.hit(ADDRESS)
    clock.now += 20  # 70 seconds after the first failure, 20 after the last
    assert failures.is_limited(ADDRESS)
    clock.now += 41
    assert not failures.is_limited(ADDRESS)


def test_the_database_cache_keeps_the_whole_window():
    """Django's database cache rewrites an entry with the default timeout (300 seconds) on
    incr(); a limit counted that way would forget an hour's attempts after five idle minutes."""
    limit = RateLimit("test", 30, 3600)
    limit.hit(ADDRESS)
    limit.hit(ADDRESS)
    assert limit.attempts(ADDRESS) == 2
    in_59_minutes = datetime.now(UTC) + timedelta(minutes=59)
    in_59_minutes = connection.ops.adapt_datetimefield_value(in_59_minutes)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {ratelimit_table()} WHERE expires > %s", [in_59_minutes]
        )
        assert cursor.fetchone() == (1,)


@override_settings(CACHES=RACING_CACHE)
def test_a_window_that_ends_between_add_and_the_count_starts_a_new_one():
    cache.clear()
    limit = RateLimit("test", 1, 60)
    assert limit.hit(ADDRESS)  # add() opens the window
    assert limit.hit(ADDRESS)  # add() refuses, then the window ends: this attempt opens a new one
    assert limit.attempts(ADDRESS) == 1


@override_settings(CACHES=PLAIN_CACHE)
def test_without_that_race_the_same_attempts_are_refused():
    cache.clear()
    limit = RateLimit("test", 1, 60)
    assert [limit.hit(ADDRESS), limit.hit(ADDRESS)] == [True, False]


def test_client_address_is_remote_addr_or_unknown():
    factory = RequestFactory()
    assert client_address(factory.get("/", REMOTE_ADDR="203.0.113.5")) == "203.0.113.5"
    request = factory.get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) == "unknown"
    assert client_address(factory.get("/", REMOTE_ADDR="")) == "unknown"


def test_a_successful_admin_sign_in_forgets_earlier_failures(client, settings):
    from django.contrib.auth.models import User

    settings.ADMIN_LOGIN_MAX_FAILURES = 2
    User.objects.create_user("editor", password="right-password", is_staff=True)
    client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    client.post("/admin/login/", {"username": "editor", "password": "right-password"})
    client.logout()
    for _ in range(2):
        assert (
            client.post("/admin/login/", {"username": "editor", "password": "wrong"}).status_code
            == 200
        )
    blocked = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert blocked.status_code == 429
    assert (
        blocked.content.decode()
        == "Too many failed sign-in attempts. Wait 15 minutes, then try again."
    )

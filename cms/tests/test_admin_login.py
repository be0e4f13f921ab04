"""The admin sign-in lockout: guessers are stopped, staff are not locked out by them.

Failures count per (account, address) and per address (cms/middleware.py), with the address
from core.ratelimit.client_address, so behind the council's proxy each member of staff is
counted from their own address. Each rule runs on the database cache and on real Redis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts. Wait 15 minutes, then try again."
OFFICE, HOME, ELSEWHERE = "198.51.100.20", "198.51.100.30", "203.0.113.40"


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "redis":
        request.getfixturevalue("redis_caches")
    return str(request.param)


@pytest.fixture
def staff(db: None) -> None:
    for name in ("editor", "publisher"):
        User.objects.create_user(name, password=f"{name}-right-password", is_staff=True)


def sign_in(
    client: Client, username: str, password: str | None = None, **extra: Any
) -> TestResponse:
    """POST the admin sign-in form; ``password`` defaults to a wrong one."""
    return client.post(
        "/admin/login/", {"username": username, "password": password or "wrong"}, **extra
    )


def signs_in(client: Client, username: str, **extra: Any) -> bool:
    response = sign_in(client, username, f"{username}-right-password", **extra)
    signed_in = response.status_code == 302
    client.logout()
    return signed_in


def test_ten_wrong_passwords_lock_that_account_from_that_address(
    client: Client, staff: None, backend: str
) -> None:
    assert [sign_in(client, "editor", REMOTE_ADDR=OFFICE).status_code for _ in range(10)] == [
        200
    ] * 10
    blocked = sign_in(client, "editor", "editor-right-password", REMOTE_ADDR=OFFICE)
    assert blocked.status_code == 429 and blocked.content.decode() == LOCKED
    assert blocked["Content-Type"] == "text/plain; charset=utf-8"


def test_ten_wrong_passwords_lock_that_accounts_address_only(
    client: Client, staff: None, backend: str, settings: Settings
) -> None:
    """The acceptance line whole, with the second step for signing in on as in production: ten
    wrong passwords lock that account at that address, and neither the account elsewhere nor
    anyone else at that address. A right password then leads to the second step, not in."""
    settings.SIGNPOST_MFA_REQUIRED = True
    User.objects.update(is_superuser=True)
    for _ in range(10):
        assert sign_in(client, "editor", REMOTE_ADDR=OFFICE).status_code == 200
    blocked = sign_in(client, "editor", "editor-right-password", REMOTE_ADDR=OFFICE)
    assert blocked.status_code == 429 and blocked.content.decode() == LOCKED
    assert signs_in(client, "editor", REMOTE_ADDR=HOME), "the same account from another address"
    assert signs_in(client, "publisher", REMOTE_ADDR=OFFICE), "another account at that address"
    sign_in(client, "publisher", "publisher-right-password", REMOTE_ADDR=OFFICE)
    assert client.get("/admin/")["Location"].startswith("/admin/second-step/set-up/")


def test_ten_wrong_passwords_from_one_address_do_not_lock_out_a_second_address(
    client: Client, staff: None, backend: str
) -> None:
    for _ in range(10):
        sign_in(client, "editor", REMOTE_ADDR=ELSEWHERE)
    assert sign_in(client, "editor", REMOTE_ADDR=ELSEWHERE).status_code == 429
    assert signs_in(client, "editor", REMOTE_ADDR=HOME), "the same account from elsewhere"
    assert signs_in(client, "publisher", REMOTE_ADDR=OFFICE)


def test_a_locked_account_does_not_lock_the_address_for_other_accounts(
    client: Client, staff: None, backend: str
) -> None:
    for _ in range(10):
        sign_in(client, "editor", REMOTE_ADDR=OFFICE)
    assert sign_in(client, "editor", REMOTE_ADDR=OFFICE).status_code == 429
    assert signs_in(client, "publisher", REMOTE_ADDR=OFFICE)


def test_a_flood_from_one_address_locks_that_address_for_every_account(
    client: Client, staff: None, backend: str, settings: Settings
) -> None:
    settings.ADMIN_LOGIN_MAX_FAILURES, settings.ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS = 3, 6
    for username in ("admin", "root", "editor", "web", "test", "staff"):  # one guess each
        assert sign_in(client, username, REMOTE_ADDR=ELSEWHERE).status_code == 200
    refused = sign_in(client, "publisher", "publisher-right-password", REMOTE_ADDR=ELSEWHERE)
    assert refused.status_code == 429 and refused.content.decode() == LOCKED
    assert signs_in(client, "publisher", REMOTE_ADDR=OFFICE)


def test_signing_in_forgets_the_accounts_failures_but_not_the_addresses(
    client: Client, staff: None, backend: str, settings: Settings
) -> None:
    settings.ADMIN_LOGIN_MAX_FAILURES, settings.ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS = 2, 4
    sign_in(client, "editor", REMOTE_ADDR=OFFICE)
    assert signs_in(client, "editor", REMOTE_ADDR=OFFICE)
    assert [sign_in(client, "editor", REMOTE_ADDR=OFFICE).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ], "a fresh allowance of two for the account after signing in"
    # Three failures from the office so far, plus one more for another account, makes four:
    sign_in(client, "publisher", REMOTE_ADDR=OFFICE)
    assert (
        sign_in(client, "publisher", "publisher-right-password", REMOTE_ADDR=OFFICE).status_code
        == 429
    )


def test_varying_the_case_of_the_username_gains_nothing(
    client: Client, staff: None, backend: str, settings: Settings
) -> None:
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    for username in ("editor", "Editor", " EDITOR "):
        sign_in(client, username, REMOTE_ADDR=OFFICE)
    assert sign_in(client, "editor", "editor-right-password", REMOTE_ADDR=OFFICE).status_code == 429


def test_behind_the_proxy_each_member_of_staff_has_their_own_count(
    client: Client, staff: None, backend: str, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 1, ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for _ in range(10):
        sign_in(client, "editor", HTTP_X_FORWARDED_FOR=ELSEWHERE, **proxy)
    assert sign_in(client, "editor", HTTP_X_FORWARDED_FOR=ELSEWHERE, **proxy).status_code == 429
    assert signs_in(client, "editor", HTTP_X_FORWARDED_FOR=f"{ELSEWHERE}, {OFFICE}", **proxy)


def test_a_guesser_cannot_escape_the_lockout_by_forging_the_header(
    client: Client, staff: None, backend: str, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 1, ["10.0.0.0/8"]
    for guess in range(10):
        sign_in(client, "editor", REMOTE_ADDR=ELSEWHERE, HTTP_X_FORWARDED_FOR=f"192.0.2.{guess}")
    forged = sign_in(
        client, "editor", "editor-right-password", REMOTE_ADDR=ELSEWHERE, HTTP_X_FORWARDED_FOR=HOME
    )
    assert forged.status_code == 429

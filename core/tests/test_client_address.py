"""core.ratelimit.client_address: which address a limit counts, behind a proxy or not.

Every rate limit and the admin sign-in lockout count against this one answer, so a forged
X-Forwarded-For must never be believed, a real one from a trusted proxy always must, and
nothing a client sends may make it raise.
"""

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.test import RequestFactory
from pytest_django.fixtures import Settings as SettingsWrapper

from core.ratelimit import client_address

factory = RequestFactory()
PROXY = "10.0.0.5"
REPO = Path(__file__).resolve().parents[2]
# request.META["REMOTE_ADDR"], META["HTTP_X_FORWARDED_FOR"], request.headers["X-Forwarded-For"]
CLIENT_ADDRESS_KEYS = {"REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "X_FORWARDED_FOR"}


def request_from(remote_addr: str, forwarded_for: str | None = None) -> HttpRequest:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return factory.get("/", **extra)


def test_without_proxy_settings_the_header_is_ignored(settings: SettingsWrapper) -> None:
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 0, []
    assert client_address(request_from("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


@pytest.mark.parametrize(
    "forwarded_for, expected",
    [
        ("198.51.100.1", "198.51.100.1"),
        (" 198.51.100.1 ", "198.51.100.1"),
        ("192.0.2.66, 198.51.100.1", "198.51.100.1"),  # the left one is the client's own claim
        ("spoofed, nonsense, 198.51.100.1", "198.51.100.1"),  # junk on the left changes nothing
        ("198.51.100.1:51234", "198.51.100.1"),  # some proxies add the port
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:DB8::7", "2001:db8::7"),
        ("::ffff:198.51.100.1", "198.51.100.1"),  # one resident, one count, however written
        ("", PROXY),
        ("   ", PROXY),
        (",", PROXY),
        ("198.51.100.1,", PROXY),  # the proxy's own entry is empty: malformed
        ("not-an-address", PROXY),
        ("[2001:db8::7", PROXY),
        ("999.1.1.1", PROXY),
        ("x" * 10_000, PROXY),
    ],
)
def test_one_trusted_hop_takes_the_right_most_address(
    settings: SettingsWrapper, forwarded_for: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 1, []
    assert client_address(request_from(PROXY, forwarded_for)) == expected


def test_one_trusted_hop_without_a_header_is_the_peer(settings: SettingsWrapper) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request_from(PROXY)) == PROXY


def test_two_hops_take_the_second_from_the_right(settings: SettingsWrapper) -> None:
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 2, []
    chain = "192.0.2.66, 198.51.100.1, 10.0.0.9"  # forged, resident, the outer proxy
    assert client_address(request_from(PROXY, chain)) == "198.51.100.1"
    # Fewer addresses than proxies: the request did not come through both; trust none of it.
    assert client_address(request_from(PROXY, "198.51.100.1")) == PROXY


def test_a_forged_header_from_an_untrusted_client_is_ignored(settings: SettingsWrapper) -> None:
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 0, ["10.0.0.0/8"]
    for forged in ("198.51.100.1", "10.0.0.1", "192.0.2.1, 198.51.100.2"):
        assert client_address(request_from("203.0.113.5", forged)) == "203.0.113.5"


def test_a_trusted_proxy_is_believed_and_further_trusted_proxies_are_skipped(
    settings: SettingsWrapper,
) -> None:
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 0, ["10.0.0.0/8", "192.0.2.7"]
    assert client_address(request_from(PROXY, "198.51.100.1")) == "198.51.100.1"
    chain = "192.0.2.66, 198.51.100.1, 192.0.2.7, 10.1.2.3"
    assert client_address(request_from(PROXY, chain)) == "198.51.100.1"
    # Every address a trusted proxy: the left-most is the nearest thing to a client.
    assert client_address(request_from(PROXY, "10.9.9.9, 10.1.2.3")) == "10.9.9.9"
    # Junk where a proxy's address should be: the header cannot be read; the peer counts.
    assert client_address(request_from(PROXY, "198.51.100.1, junk")) == PROXY


def test_ipv6_proxies_and_mixed_families(settings: SettingsWrapper) -> None:
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 0, ["fd00::/8", "10.0.0.0/8"]
    assert client_address(request_from("fd00::1", "2001:db8::5")) == "2001:db8::5"
    assert client_address(request_from("fd00::1", "198.51.100.1, 10.0.0.2")) == "198.51.100.1"
    assert client_address(request_from("2001:db8::9", "198.51.100.1")) == "2001:db8::9"


def test_hops_and_trusted_proxies_together_need_a_trusted_peer(settings: SettingsWrapper) -> None:
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 1, ["10.0.0.0/8"]
    assert client_address(request_from(PROXY, "192.0.2.66, 198.51.100.1")) == "198.51.100.1"
    assert client_address(request_from("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_the_address_is_remote_addr_as_written_or_unknown(settings: SettingsWrapper) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request_from("", "198.51.100.1")) == "unknown"
    request = factory.get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) == "unknown"
    # A REMOTE_ADDR that is no address (a unix socket's, say) is kept as it is, header unread.
    assert client_address(request_from("unix:/run/gunicorn", "198.51.100.1")) == (
        "unix:/run/gunicorn"
    )


def test_a_comma_separated_string_setting_is_read_as_a_list(settings: SettingsWrapper) -> None:
    settings.TRUSTED_PROXIES = "10.0.0.0/8, 192.0.2.7"
    assert client_address(request_from("192.0.2.7", "198.51.100.1")) == "198.51.100.1"


def test_a_bad_trusted_proxies_setting_is_a_configuration_error(settings: SettingsWrapper) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1/8"]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        client_address(request_from(PROXY, "198.51.100.1"))


APPS = (
    "core",
    "search",
    "personas",
    "directory",
    "eforms",
    "backlog",
    "webteam",
    "journeys",
    "cms",
)


def _app_modules() -> Iterator[Path]:
    """Every module of every app (tests and migrations are left out by the caller)."""
    for app in APPS:
        yield from (REPO / app).rglob("*.py")


def test_no_module_but_core_ratelimit_reads_the_client_address() -> None:
    """One function decides the address for every limit: nobody reads REMOTE_ADDR or
    X-Forwarded-For by hand (which would count behind the proxy per proxy, or believe a
    forged header)."""
    readers: list[str] = []
    for path in _app_modules():
        relative = path.relative_to(REPO)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        if relative.as_posix() == "core/ratelimit.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value.strip().upper().replace("-", "_") in CLIENT_ADDRESS_KEYS:
                    readers.append(f"{relative}:{node.lineno}")
    assert readers == [], "use core.ratelimit.client_address instead"

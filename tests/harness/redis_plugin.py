"""pytest fixtures for tests that need a real Redis server.

Like the Elasticsearch plugin: the server starts lazily (only when a test asks for it), once
per session (per pytest-xdist worker), and its absence is loud, never silent:

* ``SIGNPOST_TEST_REDIS_URL`` set: use that server, start nothing. (Not ``REDIS_URL``: a
  developer whose shell points the site at a Redis must not have tests write into it.)
* otherwise, ``redis-server`` installed: start a :class:`RedisServer`.
* otherwise: skip those tests with the reason, and say so in the terminal summary; with
  ``REQUIRE_REDIS=1`` (CI) fail them instead.

``redis_caches`` points the site's two cache aliases at the server for one test, under a key
prefix of that test's own, and deletes those keys afterwards, so tests never see each other's
counts, even on a shared external server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from cms.settings.environment import redis_caches as redis_cache_settings
from tests.harness.redis_server import RedisServer, redis_available

MARKER = "redis"


class _State:
    """What happened in this process, for the terminal summary."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.version: str | None = None
        self.origin: str | None = None
        self.unavailable: str | None = None
        self.ran = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("url", "version", "origin", "unavailable", "ran")}


_state = _State()
_worker_states: list[dict[str, Any]] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: needs a real Redis server")


def _unavailable(reason: str) -> None:
    _state.unavailable = reason
    message = f"Redis not available: {reason}"
    if os.environ.get("REQUIRE_REDIS") == "1":
        pytest.fail(f"{message} (REQUIRE_REDIS=1)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The URL of a real Redis server, e.g. ``redis://127.0.0.1:41234/0``."""
    external = os.environ.get("SIGNPOST_TEST_REDIS_URL")
    if external:
        _state.url, _state.origin = external, "external, from SIGNPOST_TEST_REDIS_URL"
        _state.version = str(redis.Redis.from_url(external).info("server")["redis_version"])
        yield external
        return
    available, reason = redis_available()
    if not available:
        _unavailable(reason)
    server = RedisServer()
    try:
        server.start()
        _state.url, _state.version = server.url, server.version
        _state.origin = f"started by the harness in {server.startup_seconds:.2f}s"
        yield server.url
    finally:
        server.cleanup()


@pytest.fixture
def redis_caches(redis_url: str, settings: Any) -> Iterator[str]:
    """Both cache aliases ("default" and "ratelimit") on the real Redis for this test.

    The production settings' own builder makes them (cms.settings.environment.redis_caches),
    with a key prefix unique to the test; yields that prefix.
    """
    prefix = f"test-{uuid.uuid4().hex}"
    caches = redis_cache_settings(redis_url)
    for config in caches.values():
        config["KEY_PREFIX"] = f"{prefix}-{config['KEY_PREFIX']}"
    settings.CACHES = caches
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}-*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    uses_server = "redis_url" in getattr(item, "fixturenames", ()) or item.get_closest_marker(
        MARKER
    )
    if report.when == "call" and not report.skipped and uses_server and _state.url:
        _state.ran += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand our numbers to the controller
        workeroutput["signpost_redis"] = _state.as_dict()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    data = getattr(node, "workeroutput", {}).get("signpost_redis")
    if data:
        _worker_states.append(data)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    states = _worker_states or [_state.as_dict()]
    ran = sum(s["ran"] for s in states)
    servers = sorted(
        {f"version {s['version']} at {s['url']} ({s['origin']})" for s in states if s["url"]}
    )
    reasons = sorted({s["unavailable"] for s in states if s["unavailable"]})
    if not servers and not reasons:
        return  # no test asked for Redis
    write = terminalreporter.write_line
    if servers:
        write(f"Redis: {ran} tests ran against a real server, " + "; ".join(servers), green=True)
    for reason in reasons:
        write(
            f"WARNING: Redis tests did NOT run (skipped or failed): {reason}",
            yellow=True,
            bold=True,
        )

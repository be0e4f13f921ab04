"""pytest fixtures for tests that need a real ClamAV daemon.

Like the Redis plugin: clamd starts lazily (only when a test asks for it), once per session
(per pytest-xdist worker), and its absence is loud, never silent: without ``clamd`` installed
those tests are skipped with the reason and the terminal summary says so; with
``REQUIRE_CLAMAV=1`` (CI) they fail instead.

* ``clamd_server``: the session's :class:`ClamdServer` (``.stop()``/``.start()`` to take the
  scanner away and bring it back, on the same socket).
* ``clamav``: points ``CLAMAV_URL`` at it for one test (and starts it again if an earlier test
  left it stopped); yields the server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.harness.clamav_server import ClamdServer, clamav_available

MARKER = "clamav"


class _State:
    def __init__(self) -> None:
        self.version: str | None = None
        self.origin: str | None = None
        self.unavailable: str | None = None
        self.ran = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("version", "origin", "unavailable", "ran")}


_state = _State()
_worker_states: list[dict[str, Any]] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: needs a real ClamAV daemon (clamd)")


def _unavailable(reason: str) -> None:
    _state.unavailable = reason
    message = f"ClamAV not available: {reason}"
    if os.environ.get("REQUIRE_CLAMAV") == "1":
        pytest.fail(f"{message} (REQUIRE_CLAMAV=1)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def clamd_server() -> Iterator[ClamdServer]:
    available, reason = clamav_available()
    if not available:
        _unavailable(reason)
    server = ClamdServer()
    try:
        server.start()
        _state.version = server.version
        _state.origin = f"started by the harness in {server.startup_seconds:.2f}s"
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def clamav(clamd_server: ClamdServer, settings: Any) -> ClamdServer:
    """``CLAMAV_URL`` set to the harness's clamd for this test."""
    clamd_server.start()
    settings.CLAMAV_URL = clamd_server.url
    return clamd_server


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    uses = "clamd_server" in getattr(item, "fixturenames", ()) or item.get_closest_marker(MARKER)
    if report.when == "call" and not report.skipped and uses and _state.version:
        _state.ran += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["signpost_clamav"] = _state.as_dict()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    data = getattr(node, "workeroutput", {}).get("signpost_clamav")
    if data:
        _worker_states.append(data)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    states = _worker_states or [_state.as_dict()]
    ran = sum(s["ran"] for s in states)
    servers = sorted({f"ClamAV {s['version']} ({s['origin']})" for s in states if s["version"]})
    reasons = sorted({s["unavailable"] for s in states if s["unavailable"]})
    if not servers and not reasons:
        return
    write = terminalreporter.write_line
    if servers:
        write(f"ClamAV: {ran} tests ran against a real clamd, " + "; ".join(servers), green=True)
    for reason in reasons:
        write(
            f"WARNING: ClamAV tests did NOT run (skipped or failed): {reason}",
            yellow=True,
            bold=True,
        )

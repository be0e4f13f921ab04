"""pytest fixture for tests that validate the directory API against the ORUK profile's schemas.

Why a plugin: the Open Referral UK profile's JSON Schemas and ``openapi.json`` are not in this
repository (they are the profile's own files, under its licence), and a fresh clone has none.
Tests that need them ask for ``oruk_schema_dir``; where the files are comes from one setting,
``ORUK_SCHEMA_DIR`` (cms/settings/base.py: the environment variable, else ``../shared/oruk``
beside the checkout when it exists). Their absence is reported loudly, not silently:

* no folder: the tests are skipped with the reason, and the terminal summary says so;
  with ``REQUIRE_ORUK_SCHEMAS=1`` (CI) they fail instead;
* a folder without ``openapi.json``: the tests fail (the setting points at the wrong place).

Under pytest-xdist the workers' counts are merged into the controller's summary.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

FIXTURE = "oruk_schema_dir"


class _State:
    """What happened in this process, for the terminal summary."""

    def __init__(self) -> None:
        self.folder: str | None = None
        self.unavailable: str | None = None
        self.ran = 0

    def as_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "unavailable": self.unavailable, "ran": self.ran}


_state = _State()
_worker_states: list[dict] = []


@pytest.fixture(scope="session")
def oruk_schema_dir() -> Path:
    """The folder with the ORUK profile's ``openapi.json`` and compiled JSON Schemas."""
    folder = settings.ORUK_SCHEMA_DIR
    if folder is None:
        _state.unavailable = (
            "the Open Referral UK schemas are missing: set ORUK_SCHEMA_DIR to a folder with the "
            "profile's openapi.json and compiled schemas (github.com/OpenReferralUK/uk-profile), "
            "or put them in ../shared/oruk beside the checkout"
        )
        if os.environ.get("REQUIRE_ORUK_SCHEMAS") == "1":
            pytest.fail(f"{_state.unavailable} (REQUIRE_ORUK_SCHEMAS=1)", pytrace=False)
        pytest.skip(_state.unavailable)
    folder = Path(folder)
    if not (folder / "openapi.json").is_file():
        _state.unavailable = f"ORUK_SCHEMA_DIR {folder} has no openapi.json"
        pytest.fail(f"{_state.unavailable}: point it at the ORUK profile's files", pytrace=False)
    _state.folder = str(folder)
    return folder


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and not report.skipped and FIXTURE in item.fixturenames:
        _state.ran += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand our numbers to the controller
        workeroutput["signpost_oruk"] = _state.as_dict()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    data = getattr(node, "workeroutput", {}).get("signpost_oruk")
    if data:
        _worker_states.append(data)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    states = _worker_states or [_state.as_dict()]
    folders = sorted({s["folder"] for s in states if s["folder"]})
    reasons = sorted({s["unavailable"] for s in states if s["unavailable"]})
    write = terminalreporter.write_line
    if folders:
        ran = sum(s["ran"] for s in states)
        where = ", ".join(folders)
        tests = "1 test" if ran == 1 else f"{ran} tests"
        write(f"ORUK: {tests} validated against the profile's schemas in {where}", green=True)
    for reason in reasons:
        write(
            f"WARNING: ORUK conformance tests did NOT run (skipped or failed): {reason}",
            yellow=True,
            bold=True,
        )

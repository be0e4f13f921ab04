"""pytest wiring for the reused SQLite test database (``tests/harness/database.py``).

Why a plugin: pytest-django's ``--reuse-db`` (in pyproject's addopts) keeps and reopens the test
database, but on its own it would reopen whatever the last run left. These overrides of
pytest-django's documented fixtures make that safe:

* ``django_db_modify_db_settings``: after pytest-django has given each xdist worker its own name
  (``..._gw0``), lock the file for this run; if another run is using it, use a private copy
  (migrated afresh, deleted afterwards). Stale files of other fingerprints go.
* ``django_db_keepdb``: reuse only our SQLite files. PostgreSQL (``make test-postgres``) gets a
  fresh database each session, as before: its cluster is new for every command anyway.
* ``django_db_setup``: copy the file aside after set-up and back after the session, because
  transactional tests empty every table (the migration-seeded rows too).

The terminal summary says which database the run used and how, like the Elasticsearch harness.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from pytest_django import DjangoDbBlocker

from tests.harness.database import ReusedDatabase, is_reusable_file

REPO_ROOT = Path(__file__).resolve().parents[2]


class _State:
    """This process's test database, for the terminal summary."""

    def __init__(self) -> None:
        self.database: ReusedDatabase | None = None
        self.started: float | None = None
        self.existed = False
        self.line: str | None = None
        self.removed: list[str] = []

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "removed": self.removed}


_state = _State()
_worker_states: list[dict] = []


def _shown(path: Path) -> str:
    """The path relative to the checkout, for messages."""
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings: None, django_db_createdb: bool
) -> None:
    """pytest-django's settings changes (per-worker names), then this run's claim on the file."""
    _state.started = time.perf_counter()
    config = settings.DATABASES["default"]
    name = config.get("TEST", {}).get("NAME")
    if config["ENGINE"] != "django.db.backends.sqlite3" or not name:
        return
    path = Path(name)
    if not is_reusable_file(path):
        return
    database = ReusedDatabase.claim(path)
    _state.database = database
    _state.removed = database.remove_stale()
    database.recover(recreate=django_db_createdb)
    _state.existed = database.path.exists() and database.path.stat().st_size > 0
    config["TEST"]["NAME"] = str(database.path)


@pytest.fixture(scope="session")
def django_db_keepdb(django_db_keepdb: bool, django_db_modify_db_settings: None) -> bool:
    """Keep and reuse the test database only when it is one of our fingerprinted SQLite files."""
    database = _state.database
    return django_db_keepdb and database is not None and not database.private


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[None]:
    """pytest-django's set-up, then a pristine copy of the file that is put back at the end."""
    seconds = time.perf_counter() - (_state.started or time.perf_counter())
    database = _state.database
    if database is None:
        config = settings.DATABASES["default"]
        _state.line = (
            f"Test database: {config['NAME']} ({connections['default'].vendor}), created afresh "
            f"in {seconds:.1f}s and dropped after the run (only SQLite files in "
            ".cache/test-db/ are reused)"
        )
        yield
        return
    shown = _shown(database.path)
    if database.private:
        _state.line = (
            f"Test database: another test run is using {_shown(database.shared)}, "
            f"so this run migrated a private copy {shown} in {seconds:.1f}s (deleted afterwards)"
        )
        yield
        return
    if not django_db_keepdb:  # --reuse-db was taken out of the options
        _state.line = f"Test database: {shown} created in {seconds:.1f}s and deleted after the run"
        yield
        return
    created = django_db_createdb or not _state.existed
    with django_db_blocker.unblock():
        connections.close_all()
        database.keep_pristine_copy()
    if created:
        _state.line = (
            f"Test database: {shown} created by migrating in {seconds:.1f}s; "
            "later runs reuse it until a migration or a library changes"
        )
    else:
        _state.line = (
            f"Test database: reused {shown} (ready in {seconds:.1f}s"
            + (", emptied tables from a killed run put back" if database.recovered else "")
            + "); --create-db forces a fresh one"
        )
    yield
    with django_db_blocker.unblock():
        connections.close_all()
        database.put_back()


@pytest.hookimpl(trylast=True)  # after pytest's own teardown of session fixtures
def pytest_sessionfinish(session: pytest.Session) -> None:
    if _state.database is not None:
        _state.database.release()
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand our line to the controller
        workeroutput["signpost_test_database"] = _state.as_dict()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    data = getattr(node, "workeroutput", {}).get("signpost_test_database")
    if data:
        _worker_states.append(data)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    states = _worker_states or [_state.as_dict()]
    for line in sorted({s["line"] for s in states if s["line"]}):
        terminalreporter.write_line(line)
    removed = sorted({name for s in states for name in s["removed"]})
    if removed:
        terminalreporter.write_line(
            f"Test database: removed {len(removed)} stale file(s) from .cache/test-db/"
        )

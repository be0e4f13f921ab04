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
* ``pytest_runtest_teardown``: after a transactional test (``transaction=True``, ``live_server``,
  the browser tests) has emptied the tables, put the rows migrating made back (the tree's root
  and locale, the roles with their page permissions, the workflow, the seeded taxonomy and
  jargon list), so the next test starts from the migrated database, whatever ran before it.

The terminal summary says which database the run used and how, like the Elasticsearch harness.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
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
        # The migrated database's rows (Django's test serialisation), and the blocker to use.
        self.pristine_rows: str | None = None
        self.blocker: DjangoDbBlocker | None = None

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
    with django_db_blocker.unblock():
        _state.pristine_rows = connections[DEFAULT_DB_ALIAS].creation.serialize_db_to_string()
    _state.blocker = django_db_blocker
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


def migrated_sqlite_file() -> Path | None:
    """A copy of the migrated test database, or None: for tests that serve a database of their
    own and would otherwise spend a minute migrating one (copy it with SQLite's backup API)."""
    database = _state.database
    if database is None or not database.pristine.exists():
        return None
    return database.pristine


def _empties_the_tables(item: pytest.Item) -> bool:
    """Whether pytest-django runs this test as a TransactionTestCase, which flushes afterwards
    (the same test as pytest-django's own: the marker's ``transaction`` or ``reset_sequences``,
    or the ``transactional_db`` or ``live_server`` fixture)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        if marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"):
            return True
        if marker.args and marker.args[0]:
            return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def _virtual_tables(alias: str) -> set[str]:
    """SQLite's virtual tables (Wagtail's FTS5 index of the admin's search), which take rows
    one INSERT at a time: a bulk insert with RETURNING fails there with "constraint failed"."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
        )
        return {name for (name,) in cursor.fetchall()}


def load_rows(serialized: str, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Django's ``deserialize_db_from_string``, in bulk: it saves row by row (an UPDATE, then
    an INSERT, for each of some 700 permissions and content types: about two seconds per
    transactional test on a busy machine); this inserts each table's rows in one statement. Rows of multi-table children (those task types), which bulk
    inserts cannot take, are saved one by one, as Django's own loader does."""
    connection = connections[alias]
    entries = json.loads(serialized)
    # Content types first, all written before anything else is even built: building some
    # objects (Wagtail's tasks, and pages, whose serialised rows lack the parent's id) looks
    # theirs up, and would make the row again if it were not there yet.
    content_types = [e for e in entries if e["model"] == "contenttypes.contenttype"]
    entries = [e for e in entries if e["model"] != "contenttypes.contenttype"]
    virtual_tables = _virtual_tables(alias)
    batch: list[Any] = []
    links: dict[type[Model], list[Model]] = {}
    tables: set[str] = set()

    def write(batch: list[Any]) -> None:
        if not batch:
            return
        model = type(batch[0].object)
        tables.add(model._meta.db_table)
        if model._meta.parents or model._meta.db_table in virtual_tables:
            for item in batch:
                item.save(using=alias)
        else:
            model._base_manager.using(alias).bulk_create([item.object for item in batch])

    ContentType.objects.clear_cache()
    with transaction.atomic(using=alias), connection.constraint_checks_disabled():
        write(list(serializers.deserialize("python", content_types, using=alias)))
        for item in serializers.deserialize("python", entries, using=alias):
            if batch and type(batch[0].object) is not type(item.object):
                write(batch)
                batch = []
            batch.append(item)
            for name, values in (item.m2m_data or {}).items():
                field = item.object._meta.get_field(name)
                through = field.remote_field.through  # type: ignore[union-attr]
                source = f"{field.m2m_field_name()}_id"  # type: ignore[union-attr]
                target = f"{field.m2m_reverse_field_name()}_id"  # type: ignore[union-attr]
                links.setdefault(through, []).extend(
                    through(**{source: item.object.pk, target: value}) for value in values
                )
            item.m2m_data = {}
        write(batch)
        for model, objs in links.items():
            model._base_manager.using(alias).bulk_create(objs)
            tables.add(model._meta.db_table)
        connection.check_constraints(table_names=sorted(tables))


def restore_migrated_rows() -> None:
    """Empty the tables (without the flush's post_migrate, which made the groups again with no
    page tree to give them permissions on) and load the rows the migrated database had."""
    if _state.pristine_rows is None or _state.blocker is None:
        return
    with _state.blocker.unblock():
        call_command(
            "flush",
            interactive=False,
            inhibit_post_migrate=True,
            reset_sequences=False,  # new rows never take a restored row's id
            verbosity=0,
            database=DEFAULT_DB_ALIAS,
        )
        load_rows(_state.pristine_rows)  # clears the content types' cache: their ids change


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    result = yield  # the test's fixtures are gone: a transactional test has flushed by now
    # After the last test the session's fixtures are gone too, and the file is put back whole.
    if nextitem is not None and _empties_the_tables(item):
        restore_migrated_rows()
    return result


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

"""Build a test's starting content once per test process, then put it back in a moment.

The browser walks each need the whole demo council, and building it (every page saved through
Wagtail, revisions, translations, the search index) takes far longer than the walk itself.
``restore_or_build`` runs the builder the first time a process asks for a snapshot, keeps every
row the database then holds (Django's test serialisation, the same rows ``serialized_rollback``
would keep), and for each later test empties the tables and loads those rows again in bulk.

What is kept is exactly what the builder left: rows of every migrated model, plus, on SQLite,
the embedded search engine's full-text tables, which are not models (search/migrations/0002
and 0005) and which flushing leaves alone. Files (uploaded images) stay on disk between tests
anyway. Sequences are not reset, so rows a test adds never take a restored row's id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from tests.harness.database_plugin import load_rows

#: Tables outside Django's models that hold content: the embedded engine's FTS5 tables.
SQLITE_RAW_TABLES = ("search_fts", "search_fts_folded", "search_fts_heading")


@dataclass
class Snapshot:
    """Every row a builder left: the models' rows as JSON, and raw tables' rows as tuples."""

    rows: str
    raw: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)


_snapshots: dict[str, Snapshot] = {}


def _raw_tables(alias: str) -> list[str]:
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return []
    existing = set(connection.introspection.table_names())
    return [table for table in SQLITE_RAW_TABLES if table in existing]


def _take(alias: str) -> Snapshot:
    connection = connections[alias]
    snapshot = Snapshot(rows=connection.creation.serialize_db_to_string())
    with connection.cursor() as cursor:
        for table in _raw_tables(alias):
            cursor.execute(f"SELECT rowid, * FROM {table}")
            columns = [column[0] for column in cursor.description]
            snapshot.raw[table] = (columns, cursor.fetchall())
    return snapshot


def _put_back(snapshot: Snapshot, alias: str) -> None:
    call_command(
        "flush",
        interactive=False,
        inhibit_post_migrate=True,
        reset_sequences=False,
        verbosity=0,
        database=alias,
    )
    load_rows(snapshot.rows, alias)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        for table, (columns, values) in snapshot.raw.items():
            cursor.execute(f"DELETE FROM {table}")
            if values:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values
                )


def restore_or_build(key: str, build: Callable[[], None], alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Make the database hold what ``build`` makes from a migrated database: True if rebuilt.

    Call it at the start of a transactional test (after the harness has put back the migrated
    rows), with a ``key`` naming what ``build`` makes; the same key must always mean the same
    builder.
    """
    if connections[alias].in_atomic_block:
        raise RuntimeError(
            f"restore_or_build({key!r}) needs a transactional test "
            "(pytest.mark.django_db(transaction=True)): what it builds must commit as it would "
            "for real, and inside a test's transaction the commit hooks never run"
        )
    snapshot = _snapshots.get(key)
    if snapshot is not None:
        _put_back(snapshot, alias)
        return False
    build()
    _snapshots[key] = _take(alias)
    return True

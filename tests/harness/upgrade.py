"""The machinery of the upgrade test (tests/test_upgrade.py): an old checkout, a scratch
database, Django runs in either tree, and snapshots of what the database holds.

Why separate from the test: the test should read as the upgrade it proves (baseline, demo,
migrate, compare); how a tree is exported, how a database is made on SQLite or PostgreSQL
and how rows are counted are details that would hide that.

Snapshots read the database directly (sqlite3, psycopg), not through either tree's Django,
so the same code counts before and after and neither side's models can colour the result.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from tests.harness.elasticsearch import HarnessError

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DRIVER = Path(__file__).resolve().parent / "django_steps.py"
SETTINGS = "cms.settings.test"
STEP_TIMEOUT = 20 * 60  # seconds for one side's steps; a hung migration fails instead of hanging CI
# FTS5 keeps a virtual table's data in these shadow tables. Their row counts are FTS5's
# business (an "optimize" merges segments), so the virtual table's own count stands for them.
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
CONTENT_TYPE_TABLE = "django_content_type"


# --- the baseline tree ---------------------------------------------------------------------


def baseline_unavailable(commit: str, repo: Path = REPO_ROOT) -> str | None:
    """Why ``commit`` cannot be checked out here, or None when it can."""
    if shutil.which("git") is None:
        return "git is not installed"
    inside = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--git-dir"], capture_output=True, text=True
    )
    if inside.returncode != 0:
        return f"{repo} is not a git checkout ({inside.stderr.strip()})"
    found = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "-e", f"{commit}^{{commit}}"], capture_output=True
    )
    if found.returncode != 0:
        return f"commit {commit} is not in this clone (a shallow clone? `git fetch --unshallow`)"
    return None


def export_tree(commit: str, destination: Path, repo: Path = REPO_ROOT) -> None:
    """Write the files of ``commit`` into ``destination``.

    ``git archive`` rather than ``git worktree add``: it only reads the repository, so no
    worktree entry is left behind in a shared ``.git`` if the test is killed.
    """
    destination.mkdir(parents=True)
    with subprocess.Popen(
        ["git", "-C", str(repo), "archive", "--format=tar", commit],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as archive:
        with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
            tar.extractall(destination, filter="data")
        errors = archive.stderr.read().decode()
    if archive.returncode != 0:
        raise HarnessError(f"git archive {commit} failed: {errors}")


# --- running Django in a tree -------------------------------------------------------------


def tree_environment(tree: Path, database_url: str, workdir: Path) -> dict[str, str]:
    """The environment for a tree's Django: test settings, the scratch database, embedded search.

    Whatever the developer's shell says about databases, search servers or Python paths is
    dropped, so both trees see the same thing and only that tree's code is importable.
    """
    dropped = ("DATABASE_", "ELASTICSEARCH_", "DJANGO_", "PYTHONPATH", "PYTHONSAFEPATH")
    env = {name: value for name, value in os.environ.items() if not name.startswith(dropped)}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url,
        DEBUG="0",
        PYTHONPATH=str(tree),
        STATIC_ROOT=str(workdir / "static"),
    )
    return env


def run_steps(
    tree: Path, steps: list[list[str]], database_url: str, workdir: Path, name: str
) -> list[tuple[str, float]]:
    """Run ``steps`` (see tests/harness/django_steps.py) with ``tree``'s code; return timings.

    The output goes to ``workdir/<name>.log``; on failure its end is in the error.
    """
    log_path, timings_path = workdir / f"{name}.log", workdir / f"{name}-timings.json"
    bootstrap = "import runpy, sys; sys.exit(runpy.run_path(sys.argv[1])['main'](sys.argv[2:]))"
    command = [sys.executable, "-c", bootstrap, str(DRIVER), json.dumps(steps), str(timings_path)]
    with log_path.open("w") as log:
        try:
            result = subprocess.run(
                command,
                cwd=tree,
                env=tree_environment(tree, database_url, workdir),
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=STEP_TIMEOUT,
            )
            failure = f"exited with {result.returncode}" if result.returncode else None
        except subprocess.TimeoutExpired:
            failure = f"took more than {STEP_TIMEOUT} s"
    timings = (
        [tuple(t) for t in json.loads(timings_path.read_text())] if timings_path.exists() else []
    )
    if failure:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-60:])
        raise HarnessError(f"{name} ({tree}) {failure}; the end of {log_path}:\n{tail}")
    return timings


# --- snapshots ----------------------------------------------------------------------------


@dataclass
class Snapshot:
    """What the upgrade must keep: rows per table, content types, and what points at them."""

    counts: dict[str, int]
    content_types: dict[int, tuple[str, str]]  # id -> (app_label, model)
    # For tables allowed to grow: the key columns' values of every row.
    keys: dict[str, set[tuple]] = field(default_factory=dict)
    # (table, column) of every foreign key to django_content_type -> rows per content type id.
    content_type_references: dict[tuple[str, str], Counter] = field(default_factory=dict)


class _Reader:
    """The few queries a snapshot needs, for one open connection of either database."""

    def __init__(self, rows: Callable[[str], list[tuple]], quote: Callable[[str], str]):
        self.rows, self.quote = rows, quote

    def snapshot(
        self, tables: list[str], references: list[tuple[str, str]], keyed: dict[str, tuple]
    ) -> Snapshot:
        q = self.quote
        counts = {t: self.rows(f"SELECT COUNT(*) FROM {q(t)}")[0][0] for t in tables}
        content_types = {}
        if CONTENT_TYPE_TABLE in counts:
            content_types = {
                ct_id: (app_label, model)
                for ct_id, app_label, model in self.rows(
                    f"SELECT id, app_label, model FROM {q(CONTENT_TYPE_TABLE)}"
                )
            }
        keys = {
            table: set(self.rows(f"SELECT {', '.join(map(q, cols))} FROM {q(table)}"))
            for table, cols in keyed.items()
            if table in counts
        }
        histograms = {
            (table, column): Counter(
                dict(
                    self.rows(f"SELECT {q(column)}, COUNT(*) FROM {q(table)} GROUP BY {q(column)}")
                )
            )
            for table, column in references
        }
        return Snapshot(counts, content_types, keys, histograms)


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class SqliteDatabase:
    """A scratch SQLite file; removed with the test's temporary folder."""

    path: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def snapshot(self, keyed: dict[str, tuple]) -> Snapshot:
        with contextlib.closing(sqlite3.connect(self.path)) as connection:
            rows = connection.execute
            listed = rows(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            ).fetchall()
            virtual = [n for n, s in listed if (s or "").upper().startswith("CREATE VIRTUAL TABLE")]
            shadows = {v + suffix for v in virtual for suffix in FTS5_SHADOW_SUFFIXES}
            tables = sorted(n for n, _ in listed if n not in shadows)
            references = [
                (table, fk[3])
                for table in tables
                if table not in virtual
                for fk in rows(f"PRAGMA foreign_key_list({_sqlite_quote(table)})")
                if fk[2] == CONTENT_TYPE_TABLE
            ]
            reader = _Reader(lambda query: rows(query).fetchall(), _sqlite_quote)
            return reader.snapshot(tables, references, keyed)


@dataclass
class PostgresDatabase:
    """A database of its own on the cluster DATABASE_URL points at, dropped afterwards."""

    cluster_url: str
    name: str

    @property
    def url(self) -> str:
        return urlsplit(self.cluster_url)._replace(path=f"/{self.name}").geturl()

    def _maintenance(self) -> psycopg.Connection:
        """A connection to the cluster's ``postgres`` database, for CREATE and DROP DATABASE."""
        url = urlsplit(self.cluster_url)._replace(path="/postgres").geturl()
        return psycopg.connect(url, autocommit=True)

    def create(self) -> None:
        with self._maintenance() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        with self._maintenance() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    def snapshot(self, keyed: dict[str, tuple]) -> Snapshot:
        with psycopg.connect(self.url) as connection:

            def rows(query: str) -> list[tuple]:
                return connection.execute(query).fetchall()

            # Ordinary and partitioned tables in the schemas Django sees (its search_path).
            tables = sorted(
                name
                for (name,) in rows(
                    "SELECT c.relname FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
                    " AND n.nspname = ANY(current_schemas(false))"
                )
            )
            references = rows(
                "SELECT src.relname, a.attname FROM pg_constraint con"
                " JOIN pg_class src ON src.oid = con.conrelid"
                " JOIN pg_namespace n ON n.oid = src.relnamespace"
                " JOIN pg_class dst ON dst.oid = con.confrelid"
                " JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY(con.conkey)"
                f" WHERE con.contype = 'f' AND dst.relname = '{CONTENT_TYPE_TABLE}'"
                " AND n.nspname = ANY(current_schemas(false))"
                " ORDER BY 1, 2"
            )

            def quote(name: str) -> str:
                return sql.Identifier(name).as_string(connection)

            return _Reader(rows, quote).snapshot(tables, references, keyed)


ScratchDatabase = SqliteDatabase | PostgresDatabase


@contextlib.contextmanager
def scratch_database(workdir: Path, purpose: str = "upgrade") -> Iterator[ScratchDatabase]:
    """An empty database of the kind this test run uses: PostgreSQL when DATABASE_URL names a
    PostgreSQL cluster (``make test-postgres``), else a SQLite file in ``workdir``.

    On PostgreSQL it is a database of its own (``signpost_<purpose>_<pid>``), not the one
    pytest-django tests in, and it is dropped afterwards even when the test fails.
    """
    cluster_url = os.environ.get("DATABASE_URL", "")
    if not cluster_url.startswith(("postgres://", "postgresql://")):
        yield SqliteDatabase(workdir / f"{purpose}.sqlite3")
        return
    database = PostgresDatabase(cluster_url, f"signpost_{purpose}_{os.getpid()}")
    database.drop()  # left over from a run that was killed
    database.create()
    try:
        yield database
    finally:
        database.drop()

"""Backups of the whole site, and restoring one into an empty database.

A backup is one folder: the database in its own database's form, the two upload folders as
archives, and ``manifest.json`` saying what is in it::

    signpost-20261201-013000/
        manifest.json          when, which code, which database, migrations, rows, checksums
        database.sqlite3       SQLite: a copy made with SQLite's online backup API
        database.pgdump        PostgreSQL: pg_dump --format=custom
        media.tar.gz           MEDIA_ROOT: editors' images and documents
        private_media.tar.gz   PRIVATE_MEDIA_ROOT: residents' uploads

Why each choice:

- **A consistent copy while the site runs.** SQLite's backup API copies every page inside one
  read transaction, which in WAL mode never blocks residents' writes; copying the file could
  miss what is still in the ``-wal`` file. On PostgreSQL the row counts are taken in a
  read-only REPEATABLE READ transaction whose snapshot pg_dump is given (``--snapshot``), so
  the manifest counts exactly the rows the dump holds.
- **Database first, then the files.** A file uploaded meanwhile is then an unused extra in the
  archive; the other order would leave the database naming a file the archive lacks.
- **Nothing half-done.** The backup is written to a hidden folder beside its destination and
  renamed into place at the end, so a folder with a manifest is a complete backup. A restore
  checks every checksum, the database's kind and that the database and upload folders are
  empty before it writes anything; PostgreSQL restores in one transaction, and the uploads are
  unpacked beside their folders and moved in only once the database is restored.
- **The search index is not backed up.** Elasticsearch's index is built from the database
  (``search_rebuild``); the embedded engine's tables are in the database and come back with it.
- **Backups hold personal data** (residents' requests and uploads), so the folder and its
  files are readable by their owner only.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from psycopg import sql
from psycopg.conninfo import make_conninfo

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Archive name -> the setting naming the folder it holds.
UPLOAD_FOLDERS = {"media": "MEDIA_ROOT", "private_media": "PRIVATE_MEDIA_ROOT"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Folders the scheduled backup makes, and the only ones its pruning ever deletes.
SCHEDULED_PREFIX = "signpost-"
CHUNK = 1024 * 1024
# FTS5 keeps a virtual table's data in shadow tables; they are copied with the database but
# are FTS5's business, so only real tables are counted.
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
# libpq connection keywords Django's OPTIONS may carry, and the environment variable each has.
# Passed to pg_dump and pg_restore through their environment, never on the command line,
# where every user of the machine could read the password.
LIBPQ_ENVIRONMENT = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator, as is."""


@dataclass
class RestoreReport:
    """What a restore did, and what the operator should do next."""

    tables: int
    rows: int
    files: dict[str, int]
    manifest: dict[str, Any]
    unapplied: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


# --- backing up ------------------------------------------------------------------------------


def create_backup(destination: Path, using: str = "default") -> dict[str, Any]:
    """Write a backup of the database and both upload folders into ``destination``.

    ``destination`` must not exist or be an empty folder. Returns the manifest.
    """
    destination = destination.absolute()
    for setting in UPLOAD_FOLDERS.values():
        upload_folder = Path(getattr(settings, setting)).resolve()
        if destination.resolve().is_relative_to(upload_folder):
            raise BackupError(
                f"{destination} is inside {setting} ({upload_folder}). Keep backups outside the "
                "upload folders: MEDIA_ROOT is public, and every backup would also copy the "
                "ones before it."
            )
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(
            f"{destination} already exists and is not an empty folder. Give a new folder for "
            "each backup, so that no backup is overwritten."
        )
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist: create it first.")
    connection = connections[using]
    vendor = supported_vendor(connection)
    staging = destination.parent / f".{destination.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700)
    try:
        database_file = staging / DATABASE_FILES[vendor]
        if vendor == "sqlite":
            database = _backup_sqlite(connection, database_file)
        else:
            database = _backup_postgresql(connection, database_file)
        uploads = {
            name: _archive_folder(Path(getattr(settings, setting)), staging / f"{name}.tar.gz")
            | {"setting": setting}
            for name, setting in UPLOAD_FOLDERS.items()
        }
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "signpost": {"version": _signpost_version(), "commit": _git_commit()},
            "database": {"vendor": vendor, "file": database_file.name, **database.details},
            "migrations": database.migrations,
            "row_counts": database.counts,
            "uploads": uploads,
            "files": {
                path.name: {"sha256": sha256(path), "bytes": path.stat().st_size}
                for path in sorted(staging.iterdir())
            },
        }
        manifest_path = staging / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        for path in staging.iterdir():
            path.chmod(0o600)
        if destination.exists():
            destination.rmdir()  # empty, checked above
        staging.rename(destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


@dataclass
class _DatabaseCopy:
    counts: dict[str, int]
    migrations: dict[str, list[str]]
    details: dict[str, Any]


def _backup_sqlite(connection: BaseDatabaseWrapper, target: Path) -> _DatabaseCopy:
    """Copy the live database with SQLite's online backup API, then read the copy."""
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name or not Path(name).exists():
        raise BackupError(f"The SQLite database {name!r} is not a file that can be backed up.")
    timeout = float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 20))
    # A connection of its own: it copies what is committed, whatever Django's connection has
    # open, and pages=-1 copies the whole file in one read transaction (one consistent state).
    with closing(sqlite3.connect(name, timeout=timeout)) as source:
        with closing(sqlite3.connect(target)) as copy:
            source.backup(copy, pages=-1)
    with closing(sqlite3.connect(target)) as copy:
        counts = _sqlite_counts(copy)
        migrations = _migrations(copy.execute("SELECT app, name FROM django_migrations").fetchall())
    return _DatabaseCopy(counts, migrations, {"sqlite_version": sqlite3.sqlite_version})


def _sqlite_counts(database: sqlite3.Connection) -> dict[str, int]:
    listed = database.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    virtual = [n for n, s in listed if (s or "").upper().startswith("CREATE VIRTUAL TABLE")]
    shadows = {v + suffix for v in virtual for suffix in FTS5_SHADOW_SUFFIXES}
    return {
        table: database.execute(f"SELECT COUNT(*) FROM {_sqlite_quote(table)}").fetchone()[0]
        for table, _ in sorted(listed)
        if table not in shadows
    }


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _backup_postgresql(connection: BaseDatabaseWrapper, target: Path) -> _DatabaseCopy:
    """pg_dump in the snapshot of a read-only transaction that counts the same rows."""
    pg_dump = pg_tool("pg_dump")
    parameters = libpq_parameters(connection.settings_dict)
    try:
        snapshot_connection = psycopg.connect(make_conninfo(**parameters))
    except psycopg.OperationalError as error:
        raise BackupError(f"Could not connect to PostgreSQL: {error}".strip()) from error
    with snapshot_connection:
        snapshot_connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot_connection.read_only = True
        with snapshot_connection.transaction():
            rows = snapshot_connection.execute
            snapshot = str(_first(rows("SELECT pg_export_snapshot()").fetchone()))
            server_version = str(_first(rows("SHOW server_version").fetchone()))
            _run_pg_tool(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                parameters,
                "pg_dump",
            )
            tables = [
                str(name)
                for (name,) in rows(
                    "SELECT c.relname FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
                    " AND n.nspname = ANY(current_schemas(false)) ORDER BY 1"
                ).fetchall()
            ]
            counts = {}
            for table in tables:
                query = sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table))
                counts[table] = int(_first(rows(query).fetchone()))
            migrations = _migrations(rows("SELECT app, name FROM django_migrations").fetchall())
    return _DatabaseCopy(counts, migrations, {"server_version": server_version})


def _first(row: Sequence[Any] | None) -> Any:
    """The first column of a row a query always returns."""
    if row is None:
        raise BackupError("The database returned no answer to a query that always has one.")
    return row[0]


def _migrations(rows: Sequence[Sequence[Any]]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(str(app), []).append(str(name))
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _archive_folder(folder: Path, archive: Path) -> dict[str, Any]:
    """Every regular file under ``folder`` into a gzipped tar; a missing folder is empty."""
    files = total = 0
    with tarfile.open(archive, "w:gz") as tar:
        for path in _files_under(folder):
            tar.add(path, arcname=path.relative_to(folder).as_posix(), recursive=False)
            files += 1
            total += path.stat().st_size
    return {"file": archive.name, "files": files, "bytes": total}


def _files_under(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for root, directories, names in os.walk(folder):
        directories.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _signpost_version() -> str | None:
    try:
        return metadata.version("signpost")
    except metadata.PackageNotFoundError:
        return None


def _git_commit() -> str | None:
    """The commit of the running code, when it runs from a git checkout with git installed."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        result = subprocess.run(
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


# --- checking a backup -----------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    """The backup's manifest, after checking that every file it lists is there and intact."""
    if not folder.is_dir():
        raise BackupError(f"There is no backup folder at {folder}.")
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(
            f"{folder} has no {MANIFEST}, so it is not a Signpost backup, or the backup did "
            "not finish."
        )
    try:
        manifest = json.loads(manifest_path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{manifest_path} is damaged and cannot be read ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(
            f"{manifest_path} is in backup format {found!r}; this version of Signpost reads "
            f"format {FORMAT}."
        )
    try:
        files: Mapping[str, Mapping[str, Any]] = manifest["files"]
        expected = {DATABASE_FILES[manifest["database"]["vendor"]]} | {
            f"{name}.tar.gz" for name in UPLOAD_FOLDERS
        }
        if manifest["database"]["file"] not in expected or set(manifest["uploads"]) != set(
            UPLOAD_FOLDERS
        ):
            raise ValueError("unexpected files")
        if not all(
            isinstance(facts["bytes"], int) and isinstance(facts["sha256"], str)
            for facts in files.values()
        ):
            raise ValueError("a file without its size or checksum")
        if not isinstance(manifest["row_counts"], dict) or not isinstance(
            manifest["migrations"], dict
        ):
            raise ValueError("no row counts or migrations")
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(
            f"{manifest_path} is damaged: it does not list the backup's files as Signpost "
            f"writes them ({type(error).__name__}: {error}). Use another backup."
        ) from error
    problems = []
    for name in sorted(expected - set(files)):
        problems.append(f"{name} is not listed with a checksum")
    for name, facts in sorted(files.items()):
        path = folder / name
        if Path(name).name != name:
            problems.append(f"{name} is not a file name")
        elif not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != facts["bytes"]:
            problems.append(f"{name} has {path.stat().st_size} bytes, not {facts['bytes']}")
        elif sha256(path) != facts["sha256"]:
            problems.append(f"{name} does not match its checksum")
    if problems:
        raise BackupError(
            f"The backup in {folder} is damaged or incomplete, so nothing was restored: "
            + "; ".join(problems)
            + ". Use another backup."
        )
    return manifest


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- restoring -------------------------------------------------------------------------------


def restore_backup(folder: Path, using: str = "default") -> RestoreReport:
    """Restore the backup in ``folder`` into the empty database and empty upload folders.

    Everything that can be checked is checked before anything is written: the manifest, every
    checksum, the archives' paths, the kind of database, and that the database and the upload
    folders are empty.
    """
    folder = folder.absolute()
    manifest = read_manifest(folder)
    connection = connections[using]
    vendor = supported_vendor(connection)
    backed_up = manifest["database"]["vendor"]
    if backed_up != vendor:
        raise BackupError(
            f"This backup is of a {VENDOR_NAMES.get(backed_up, backed_up)} database and "
            f"DATABASE_URL names a {VENDOR_NAMES[vendor]} one. A backup restores only into "
            "the kind of database it came from. To move between them, restore into a "
            f"{VENDOR_NAMES.get(backed_up, backed_up)} database, then copy the data across "
            "(dumpdata and loaddata)."
        )
    tables = connection.introspection.table_names(include_views=True)
    if tables:
        shown = ", ".join(sorted(tables)[:3]) + (", ..." if len(tables) > 3 else "")
        raise BackupError(
            f"The database DATABASE_URL names already has {plural(len(tables), 'table')} "
            f"({shown}), "
            "so nothing was restored. Restore only into a new, empty database: create one, "
            "point DATABASE_URL at it and run restore again. Signpost never overwrites a "
            "database."
        )
    # The folders come from this site's settings, never from the manifest.
    targets = {name: Path(getattr(settings, setting)) for name, setting in UPLOAD_FOLDERS.items()}
    for name, target in targets.items():
        if any(path.is_file() for path in target.rglob("*")):
            raise BackupError(
                f"{UPLOAD_FOLDERS[name]} ({target}) already holds files, so "
                "nothing was restored. Move that folder aside (keep it until the restored site "
                "is checked), then run restore again."
            )
    for name in targets:
        _check_archive(folder / manifest["uploads"][name]["file"], targets[name])
    staged: dict[str, Path] = {}
    try:
        for name, target in targets.items():
            staged[name] = _unpack_beside(folder / manifest["uploads"][name]["file"], target)
        database_file = folder / manifest["database"]["file"]
        if vendor == "sqlite":
            _restore_sqlite(connection, database_file)
        else:
            _restore_postgresql(connection, database_file)
        for name, target in targets.items():
            if target.exists():
                shutil.rmtree(target)  # only empty folders: checked above
            staged[name].rename(target)
            del staged[name]
    finally:
        for path in staged.values():
            shutil.rmtree(path, ignore_errors=True)
    counts = _restored_counts(connection, manifest["row_counts"])
    wrong = [
        f"{table}: {expected} in the backup, {counts.get(table, 'no table')} restored"
        for table, expected in sorted(manifest["row_counts"].items())
        if counts.get(table) != expected
    ]
    if wrong:
        raise BackupError(
            "The restored database does not hold what the backup says it should: "
            + "; ".join(wrong)
            + ". Do not use it: drop it and restore again, or use another backup."
        )
    unapplied, unknown = _migration_differences(connection, manifest["migrations"])
    return RestoreReport(
        tables=len(counts),
        rows=sum(counts.values()),
        files={name: int(facts["files"]) for name, facts in manifest["uploads"].items()},
        manifest=manifest,
        unapplied=unapplied,
        unknown=unknown,
    )


def _check_archive(archive: Path, target: Path) -> None:
    """Refuse an archive with a member that would land outside its folder, or is not a file."""
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            try:
                tarfile.data_filter(member, str(target))
            except tarfile.FilterError as error:
                raise BackupError(
                    f"{archive.name} holds {member.name!r}, which would not land safely inside "
                    f"{target} ({error}), so nothing was restored."
                ) from error
            if not (member.isfile() or member.isdir()):
                raise BackupError(
                    f"{archive.name} holds {member.name!r}, which is not a plain file, so "
                    "nothing was restored."
                )


def _unpack_beside(archive: Path, target: Path) -> Path:
    """Unpack into a hidden folder next to ``target``, to be renamed into place at the end."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.restoring-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(staging, filter="data")
    return staging


def _restore_sqlite(connection: BaseDatabaseWrapper, source_file: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    connection.close()
    with closing(sqlite3.connect(source_file)) as source:
        with closing(sqlite3.connect(name)) as target:
            source.backup(target, pages=-1)


def _restore_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> None:
    pg_restore = pg_tool("pg_restore")
    parameters = libpq_parameters(connection.settings_dict)
    connection.close()
    # One transaction: if anything fails, the database is left as empty as it was. Objects
    # belong to whoever restores (the site's own user), not to the backed-up site's owner.
    _run_pg_tool(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={parameters['dbname']}",
            str(dump),
        ],
        parameters,
        "pg_restore",
    )


def _restored_counts(
    connection: BaseDatabaseWrapper, expected: Mapping[str, int]
) -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(set(expected) & existing):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(_first(cursor.fetchone()))
    return counts


def _migration_differences(
    connection: BaseDatabaseWrapper, backed_up: Mapping[str, Sequence[str]]
) -> tuple[list[str], list[str]]:
    """Migrations this code has that the backup had not applied, and ones this code lacks."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    on_disk = {f"{app}.{name}" for app, name in loader.disk_migrations}
    applied = {f"{app}.{name}" for app, names in backed_up.items() for name in names}
    return sorted(on_disk - applied), sorted(applied - on_disk)


# --- PostgreSQL's tools ----------------------------------------------------------------------


def supported_vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            f"Backups support SQLite and PostgreSQL databases, not {connection.vendor}."
        )
    return str(connection.vendor)


def pg_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``, or a plain error saying how to get it."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed (or not on PATH). It comes with PostgreSQL's client "
            "tools (Debian: apt-get install postgresql-client), and must be the server's "
            "major version or newer."
        )
    return path


def libpq_parameters(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """Django's connection settings as libpq keywords (host, port, user, password, dbname...)."""
    parameters = {
        keyword: str(value)
        for keyword, value in dict(settings_dict.get("OPTIONS") or {}).items()
        if keyword in LIBPQ_ENVIRONMENT and value not in (None, "")
    }
    for keyword, setting in (
        ("host", "HOST"),
        ("port", "PORT"),
        ("user", "USER"),
        ("password", "PASSWORD"),
        ("dbname", "NAME"),
    ):
        if settings_dict.get(setting):
            parameters[keyword] = str(settings_dict[setting])
    return parameters


def _run_pg_tool(command: list[str], parameters: Mapping[str, str], name: str) -> None:
    """Run pg_dump or pg_restore with the connection in its environment (PGPASSWORD...)."""
    environment = {
        variable: value for variable, value in os.environ.items() if not variable.startswith("PG")
    }
    environment.update({LIBPQ_ENVIRONMENT[k]: v for k, v in parameters.items()})
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
    except OSError as error:
        raise BackupError(f"{name} could not be started: {error}") from error
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        hint = ""
        if "version mismatch" in output:
            hint = f" Install the {name} of the server's major version (or newer)."
        raise BackupError(f"{name} failed, so nothing was written: {output}.{hint}")


# --- the scheduled backup --------------------------------------------------------------------


def scheduled_backup(
    parent: Path, keep_days: int, now: Callable[[], datetime.datetime] = timezone.now
) -> tuple[Path, list[Path]]:
    """Tonight's backup in ``parent/signpost-<date>-<time>``, then delete expired ones.

    Only folders this job made (named ``signpost-...``, with a manifest) older than
    ``keep_days`` are deleted; anything else in ``parent`` is left alone.
    """
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    moment = timezone.localtime(now())
    destination = parent / f"{SCHEDULED_PREFIX}{moment:%Y%m%d-%H%M%S}"
    create_backup(destination)
    return destination, prune_backups(parent, keep_days, now())


def prune_backups(parent: Path, keep_days: int, now: datetime.datetime) -> list[Path]:
    """Delete the scheduled backups in ``parent`` made more than ``keep_days`` ago."""
    cutoff = now - datetime.timedelta(days=keep_days)
    deleted = []
    for folder in sorted(parent.glob(f"{SCHEDULED_PREFIX}*")):
        manifest = folder / MANIFEST
        if not folder.is_dir() or not manifest.is_file():
            continue
        try:
            created = datetime.datetime.fromisoformat(
                json.loads(manifest.read_text())["created_at"]
            )
        except (ValueError, KeyError, TypeError):
            continue  # not one of ours after all: leave it
        if created < cutoff:
            shutil.rmtree(folder)
            deleted.append(folder)
    return deleted

"""Backup and restore: the demo council backed up, restored into an empty database, served.

``manage.py backup`` runs here, in the test's own database (the demo loaded, with an image, a
document and a resident's upload); ``manage.py restore`` runs as an operator would run it, in a
process of its own whose DATABASE_URL names a second, empty database of the same kind: a
SQLite file, or under ``make test-postgres`` a new database on the same PostgreSQL server
(tests/harness/upgrade.py's ``scratch_database``). The restored database must hold every table
with the same rows, the same pages, the same files byte for byte, and serve the home page.

The refusals are tested the same way: a damaged backup, a database or upload folder that is
not empty, the other kind of database; each leaves the target exactly as it was.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from core import backup, scheduler
from core.tasks import nightly_backup
from tests.demo import WHOLE_DEMO, whole_demo
from tests.harness.upgrade import (
    PostgresDatabase,
    ScratchDatabase,
    SqliteDatabase,
    scratch_database,
    tree_environment,
)
from tests.tasks import run_queued_tasks

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "tests.harness.restore_settings"


@pytest.fixture
def uploads(settings, tmp_path: Path) -> tuple[Path, Path]:
    """This test's own MEDIA_ROOT and PRIVATE_MEDIA_ROOT, so backups see only its files."""
    settings.MEDIA_ROOT = tmp_path / "site-media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "site-private-media"
    return settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def target(tmp_path: Path) -> Iterator[ScratchDatabase]:
    """An empty database of the run's kind, for restoring into."""
    with scratch_database(tmp_path, "restore") as database:
        yield database


def source_database() -> ScratchDatabase:
    """The test's own database, read from outside Django like the restored one."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return SqliteDatabase(Path(name))
    return PostgresDatabase(os.environ["DATABASE_URL"], name)


def rows(database: ScratchDatabase, query: str) -> list[tuple]:
    if isinstance(database, SqliteDatabase):
        with contextlib.closing(sqlite3.connect(database.path)) as db:
            return db.execute(query).fetchall()
    with psycopg.connect(database.url) as db:
        return db.execute(query).fetchall()


def tables(database: ScratchDatabase) -> list[str]:
    if isinstance(database, SqliteDatabase):
        if not database.path.exists():
            return []
        return [n for (n,) in rows(database, "SELECT name FROM sqlite_master WHERE type='table'")]
    return [
        n
        for (n,) in rows(
            database,
            "SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false))",
        )
    ]


def manage(
    database: ScratchDatabase, media: Path, private: Path, workdir: Path, *args: str
) -> subprocess.CompletedProcess:
    """``manage.py`` as the operator runs it, on ``database`` and these upload folders."""
    env = tree_environment(ROOT, database.url, workdir)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS, MEDIA_ROOT=str(media), PRIVATE_MEDIA_ROOT=str(private)
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def png() -> bytes:
    picture = io.BytesIO()
    PillowImage.new("RGB", (40, 30), (0, 112, 60)).save(picture, format="PNG")
    return picture.getvalue()


def main_content(html: str) -> str:
    """The page's <main> element: what residents read, without the forms' per-visit tokens."""
    found = re.search(r"<main\b.*?</main>", html, re.S)
    assert found, html[:2000]
    return re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r"\1", found.group(0))


RENDER_HOME_PAGE = (
    "import json; from django.test import Client; response = Client().get('/'); "
    "print(json.dumps({'status': response.status_code, 'html': response.content.decode()}))"
)


@pytest.mark.slow  # the demo takes minutes to load on a busy machine (once per test process)
@WHOLE_DEMO
@pytest.mark.django_db(transaction=True)
def test_the_demo_council_comes_back_whole_in_an_empty_database(
    uploads: tuple[Path, Path],
    target: ScratchDatabase,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    media, private = uploads
    started = time.perf_counter()
    whole_demo()  # what load_demo makes
    Image.objects.create(title="Bin day", file=ImageFile(io.BytesIO(png()), name="bin-day.png"))
    Document.objects.create(
        title="Recycling leaflet",
        file=ContentFile(b"%PDF-1.4 recycling leaflet\n", name="recycling.pdf"),
    )
    (private / "submissions").mkdir(parents=True)
    (private / "submissions" / "photo-of-the-fly-tip.jpg").write_bytes(b"\xff\xd8\xff" + b"x" * 500)
    source = source_database()
    home = Client().get("/")
    assert home.status_code == 200

    folder = tmp_path / "backup"
    output = io.StringIO()
    timings = {"load the demo": time.perf_counter() - started}
    started = time.perf_counter()
    call_command("backup", str(folder), stdout=output)
    timings["backup"] = time.perf_counter() - started
    assert "Backup written to" in output.getvalue()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["uploads"]["media"]["files"] == len(files(media)) >= 2
    assert manifest["uploads"]["private_media"]["files"] == 1
    assert oct((folder / "manifest.json").stat().st_mode & 0o777) == oct(0o600)

    restored_media, restored_private = tmp_path / "restored-media", tmp_path / "restored-private"
    started = time.perf_counter()
    result = manage(target, restored_media, restored_private, tmp_path, "restore", str(folder))
    timings["manage.py restore"] = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Row counts match the backup" in result.stdout
    assert "no migrate needed" in result.stdout
    assert "search_rebuild" in result.stdout

    before, after = source.snapshot({}), target.snapshot({})
    assert after.counts == before.counts
    assert sum(before.counts.values()) > 1000  # the demo, not an empty site
    assert manifest["row_counts"] == {
        table: count for table, count in before.counts.items() if table in manifest["row_counts"]
    }
    pages = "SELECT id, title, url_path, live, latest_revision_id FROM wagtailcore_page ORDER BY id"
    assert rows(target, pages) == rows(source, pages)
    revision = "SELECT id, content FROM wagtailcore_revision ORDER BY id DESC LIMIT 20"
    assert rows(target, revision) == rows(source, revision)
    assert files(restored_media) == files(media)
    assert files(restored_private) == files(private)

    served = manage(
        target, restored_media, restored_private, tmp_path, "shell", "-c", RENDER_HOME_PAGE
    )
    assert served.returncode == 0, served.stderr
    page = json.loads(served.stdout.strip().splitlines()[-1])
    assert page["status"] == 200
    assert main_content(page["html"]) == main_content(home.content.decode())
    assert "Northbrook" in page["html"]
    summary = ", ".join(f"{label} {seconds:.1f} s" for label, seconds in timings.items())
    record_property("timings", summary)
    print(f"backup and restore ({connection.vendor}): {summary}")


# --- refusals -----------------------------------------------------------------------------


@pytest.fixture
def small_backup(db, uploads: tuple[Path, Path], tmp_path: Path) -> Path:
    """A backup of the freshly migrated test database and one image file: quick to make."""
    media, _ = uploads
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "map.png").write_bytes(png())
    folder = tmp_path / "small-backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    return folder


def damage(path: Path) -> None:
    """Change one byte in the middle, keeping the size: only the checksum can tell."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damaged", ["database", "media.tar.gz"])
def test_a_damaged_backup_is_refused_and_nothing_is_written(
    small_backup: Path, target: ScratchDatabase, tmp_path: Path, damaged: str
) -> None:
    manifest = json.loads((small_backup / "manifest.json").read_text())
    name = manifest["database"]["file"] if damaged == "database" else damaged
    damage(small_backup / name)
    media, private = tmp_path / "restored-media", tmp_path / "restored-private"

    result = manage(target, media, private, tmp_path, "restore", str(small_backup))

    assert result.returncode == 1
    assert f"{name} does not match its checksum" in result.stderr
    assert "nothing was restored" in result.stderr
    assert "Traceback" not in result.stderr
    assert tables(target) == []
    assert not media.exists() and not private.exists()


def test_a_database_that_has_tables_is_refused(
    small_backup: Path, target: ScratchDatabase, tmp_path: Path
) -> None:
    rows(target, "SELECT 1")  # creates the SQLite file
    if isinstance(target, SqliteDatabase):
        with contextlib.closing(sqlite3.connect(target.path)) as db:
            db.executescript("CREATE TABLE keep_me (id integer); INSERT INTO keep_me VALUES (7);")
    else:
        with psycopg.connect(target.url) as db:
            db.execute("CREATE TABLE keep_me (id integer); INSERT INTO keep_me VALUES (7)")
    media, private = tmp_path / "restored-media", tmp_path / "restored-private"

    result = manage(target, media, private, tmp_path, "restore", str(small_backup))

    assert result.returncode == 1
    assert "already has 1 table (keep_me), so nothing was restored" in result.stderr
    assert "Restore only into a new, empty database" in result.stderr
    assert tables(target) == ["keep_me"]
    assert rows(target, "SELECT id FROM keep_me") == [(7,)]
    assert not media.exists()


def test_an_upload_folder_that_holds_files_is_refused(
    small_backup: Path, target: ScratchDatabase, tmp_path: Path
) -> None:
    media, private = tmp_path / "restored-media", tmp_path / "restored-private"
    (media / "images").mkdir(parents=True)
    (media / "images" / "someone-elses.jpg").write_bytes(b"keep")

    result = manage(target, media, private, tmp_path, "restore", str(small_backup))

    assert result.returncode == 1
    assert f"MEDIA_ROOT ({media}) already holds files" in result.stderr
    assert tables(target) == []
    assert files(media) == {"images/someone-elses.jpg": b"keep"}
    assert not private.exists()


def test_restoring_older_data_says_to_migrate_and_checks_the_rows(
    small_backup: Path, target: ScratchDatabase, tmp_path: Path
) -> None:
    """A backup made before this code's last migration (as after rolling code forward)."""
    manifest_path = small_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"]["core"].pop()
    manifest_path.write_text(json.dumps(manifest))
    media, private = tmp_path / "restored-media", tmp_path / "restored-private"

    result = manage(target, media, private, tmp_path, "restore", str(small_backup))

    assert result.returncode == 0, result.stderr
    assert "This code has 1 migration the backup had not applied: run `manage.py migrate`" in (
        result.stdout
    )
    assert files(media) == {"original_images/map.png": png()}


def test_rows_that_do_not_match_the_manifest_fail_the_restore(
    small_backup: Path, target: ScratchDatabase, tmp_path: Path
) -> None:
    manifest_path = small_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["row_counts"]["django_migrations"] += 1
    manifest_path.write_text(json.dumps(manifest))
    media, private = tmp_path / "restored-media", tmp_path / "restored-private"

    result = manage(target, media, private, tmp_path, "restore", str(small_backup))

    assert result.returncode == 1
    assert "does not hold what the backup says" in result.stderr
    assert "django_migrations: " in result.stderr
    assert "Do not use it" in result.stderr


def test_a_backup_of_the_other_kind_of_database_is_refused(small_backup: Path) -> None:
    manifest_path = small_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    # What a backup of the other kind holds: its own database file, listed with its checksum.
    ours, theirs = manifest["database"]["file"], backup.DATABASE_FILES[other]
    (small_backup / ours).rename(small_backup / theirs)
    manifest["files"][theirs] = manifest["files"].pop(ours)
    manifest["database"].update(vendor=other, file=theirs)
    manifest_path.write_text(json.dumps(manifest))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(small_backup))

    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert str(refused.value).startswith(
        f"This backup is of a {names[other]} database and DATABASE_URL names a "
        f"{names[connection.vendor]} one."
    )


def test_a_missing_folder_or_one_without_a_manifest_is_refused(db, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no backup folder at"):
        call_command("restore", str(tmp_path / "nowhere"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="has no manifest.json, so it is not a Signpost backup"):
        call_command("restore", str(tmp_path / "empty"))
    (tmp_path / "empty" / "manifest.json").write_text('{"format": 1, "files": {}}')
    with pytest.raises(CommandError, match="manifest.json is damaged: it does not list"):
        call_command("restore", str(tmp_path / "empty"))
    (tmp_path / "empty" / "manifest.json").write_text('{"format": 1, "files": ')
    with pytest.raises(CommandError, match="manifest.json is damaged and cannot be read"):
        call_command("restore", str(tmp_path / "empty"))


def test_an_archive_that_would_write_outside_its_folder_is_refused(
    small_backup: Path, target: ScratchDatabase, tmp_path: Path
) -> None:
    archive = small_backup / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    manifest_path = small_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"]["media.tar.gz"] = {
        "sha256": backup.sha256(archive),
        "bytes": archive.stat().st_size,
    }
    manifest_path.write_text(json.dumps(manifest))
    media, private = tmp_path / "restored-media", tmp_path / "restored-private"

    result = manage(target, media, private, tmp_path, "restore", str(small_backup))

    assert result.returncode == 1
    assert "holds '../../escaped.txt', which would not land safely" in result.stderr
    assert tables(target) == []
    assert not (tmp_path / "escaped.txt").exists() and not media.exists()


def test_a_backup_never_overwrites_a_folder(small_backup: Path) -> None:
    with pytest.raises(CommandError, match="already exists and is not an empty folder"):
        call_command("backup", str(small_backup))
    assert (small_backup / "manifest.json").exists()


def test_a_backup_never_goes_inside_an_upload_folder(db, uploads: tuple[Path, Path]) -> None:
    media, private = uploads
    for folder, setting in ((media, "MEDIA_ROOT"), (private, "PRIVATE_MEDIA_ROOT")):
        with pytest.raises(CommandError, match=f"is inside {setting}.*MEDIA_ROOT is public"):
            call_command("backup", str(folder / "backups" / "tonight"))
        assert not folder.exists()


def test_missing_postgresql_tools_are_named(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(backup.BackupError, match="pg_dump is not installed"):
        backup.pg_tool("pg_dump")
    with pytest.raises(backup.BackupError, match="pg_restore is not installed"):
        backup.pg_tool("pg_restore")


def test_the_password_reaches_postgresql_tools_through_the_environment_only() -> None:
    parameters = backup.libpq_parameters(
        {
            "NAME": "signpost",
            "USER": "signpost",
            "PASSWORD": "s3cret",
            "HOST": "db.internal",
            "PORT": "5432",
            "OPTIONS": {"sslmode": "verify-full", "pool": True},
        }
    )
    assert parameters == {
        "dbname": "signpost",
        "user": "signpost",
        "password": "s3cret",
        "host": "db.internal",
        "port": "5432",
        "sslmode": "verify-full",
    }


# --- the nightly job ------------------------------------------------------------------------


def test_the_scheduled_backup_keeps_only_the_retention_period(
    small_backup: Path, tmp_path: Path
) -> None:
    parent = tmp_path / "backups"
    parent.mkdir()
    old = parent / "signpost-20260101-013000"
    small_backup.rename(old)
    manifest = json.loads((old / "manifest.json").read_text())
    manifest["created_at"] = (timezone.now() - datetime.timedelta(days=31)).isoformat()
    (old / "manifest.json").write_text(json.dumps(manifest))
    notes = parent / "signpost-notes"  # not a backup: never deleted
    notes.mkdir()

    made, deleted = backup.scheduled_backup(parent, keep_days=30)

    assert deleted == [old] and not old.exists()
    assert notes.exists()
    assert made.parent == parent and made.name.startswith("signpost-")
    assert json.loads((made / "manifest.json").read_text())["format"] == backup.FORMAT
    assert sorted(p.name for p in parent.iterdir()) == sorted([made.name, "signpost-notes"])


def test_the_nightly_backup_is_a_periodic_job_only_when_a_folder_is_set(
    settings, tmp_path: Path
) -> None:
    assert "backup" not in {job.name for job in scheduler.registered()}
    settings.SIGNPOST_BACKUP_DIR = str(tmp_path / "nightly")
    try:
        apps.get_app_config("core").ready()
        job = {job.name: job for job in scheduler.registered()}["backup"]
        assert job.at == datetime.time(1, 30) and job.every == datetime.timedelta(days=1)
        assert job.task.module_path == nightly_backup.module_path
    finally:
        scheduler.unregister("backup")


def test_the_worker_runs_the_nightly_backup(
    db, uploads: tuple[Path, Path], settings, tmp_path: Path
) -> None:
    settings.SIGNPOST_BACKUP_DIR = str(tmp_path / "nightly")
    settings.SIGNPOST_BACKUP_KEEP_DAYS = 7
    nightly_backup.enqueue()

    (ran,) = run_queued_tasks()

    (made,) = (tmp_path / "nightly").iterdir()
    assert ran.return_value == str(made)
    assert json.loads((made / "manifest.json").read_text())["row_counts"]["django_migrations"] > 0
    assert oct((tmp_path / "nightly").stat().st_mode & 0o777) == oct(0o700)

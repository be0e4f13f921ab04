"""The acceptance for the embedded default: 50 residents submitting at once, for 60 seconds, on
SQLite, with no error and every confirmed reference stored exactly once.

A council trying Signpost runs ``make demo``: SQLite, no database server. The risk there is
SQLite's single writer: before its settings were tuned (cms/settings/environment.py), this
test saw 490 of 613 submissions in 60 s fail with "database is locked". It serves a fresh
file database the way a small council would: gunicorn, two worker processes with threads, the
development settings (tests/harness/concurrency_settings.py lifts only the per-address limit,
because every simulated resident shares 127.0.0.1). The residents run in a separate process
(tests/harness/submitters.py) so that their threads and the server's never share one
interpreter lock, and post the missed-bin report through the JSON forms API as fast as they can.

Knobs for a quicker local run: SIGNPOST_CONCURRENCY_SECONDS (60), SIGNPOST_CONCURRENCY_CLIENTS
(50). CI runs the defaults, which are the acceptance's figures.
"""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.harness.database_plugin import migrated_sqlite_file

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("SIGNPOST_CONCURRENCY_SECONDS", "60"))
CLIENTS = int(os.environ.get("SIGNPOST_CONCURRENCY_CLIENTS", "50"))
WORKERS = int(os.environ.get("SIGNPOST_CONCURRENCY_WORKERS", "2"))
THREADS = int(os.environ.get("SIGNPOST_CONCURRENCY_THREADS", "8"))
# Only what the submissions need: the delivery units (personas.demo) and the demo forms.
LOAD_FORMS = "import eforms.demo, personas.demo; personas.demo.load(); eforms.demo.load()"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="builds its own SQLite database whatever the suite runs on; the SQLite run "
        "(make test) covers it, so the PostgreSQL run does not spend another two minutes",
    ),
]


@dataclass
class Server:
    """A running gunicorn and the file database behind it."""

    base: str
    database: Path
    log: Path


def server_env(folder: Path) -> dict[str, str]:
    """The demo's environment on a database of our own, whatever the calling shell says."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "DATABASE_URL",
            "DATABASE_CONN_MAX_AGE",
            "DEBUG",
            "SECRET_KEY",
            "ELASTICSEARCH_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.harness.concurrency_settings",
            "DATABASE_URL": f"sqlite:///{folder / 'signpost.sqlite3'}",
            # Never real mail: messages are sent after each commit, into memory.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private_media"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> float:
    """Run one manage.py command, failing the test with its output if it fails; its seconds."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return time.monotonic() - started


def free_port() -> int:
    """A loopback port nobody is listening on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(process: subprocess.Popen, base: str, log: Path) -> None:
    """Wait for /healthz, so the load starts on a server that answers."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn exited early:\n{log.read_text()[-3000:]}"
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer /healthz within 90 s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM gunicorn's master (it stops its workers), then make sure its group is gone."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A fresh file database with the demo forms, served by gunicorn on a free loopback port."""
    folder = tmp_path_factory.mktemp("sqlite-concurrency")
    env = server_env(folder)
    migrated = migrated_sqlite_file()
    if migrated is not None:  # the suite's own migrated database: migrate then has nothing to do
        with (
            closing(sqlite3.connect(migrated)) as source,
            closing(sqlite3.connect(folder / "signpost.sqlite3")) as target,
        ):
            source.backup(target)
    setup = {
        "migrate": manage(env, "migrate", "--noinput"),
        "createcachetable": manage(env, "createcachetable"),
        "demo forms": manage(env, "shell", "-c", LOAD_FORMS),
    }
    print("\nset-up: " + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in setup.items()))
    port = free_port()
    log = folder / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi:application",
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
                "--worker-class",
                "gthread",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--chdir",
                str(ROOT),
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() can end all of it
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(process, base, log)
        yield Server(
            base=base, database=Path(env["DATABASE_URL"].removeprefix("sqlite:///")), log=log
        )
    finally:
        stop(process)


def submit_concurrently(base: str) -> dict:
    """Run the residents in their own process and return their tally."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.harness.submitters",
            base,
            "--clients",
            str(CLIENTS),
            "--seconds",
            str(SECONDS),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SECONDS + 300,
    )
    assert result.stdout.strip(), f"the submitters printed nothing:\n{result.stderr}"
    return json.loads(result.stdout)


def stored_references(database: Path) -> list[str]:
    """Every reference in the database, read straight from the file (not through Django)."""
    with closing(sqlite3.connect(database)) as connection:
        return [row[0] for row in connection.execute("SELECT reference FROM eforms_submission")]


def journal_mode(database: Path) -> str:
    """The file's journal mode, which SQLite stores in the file: what the server ran with."""
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("PRAGMA journal_mode").fetchone()[0]


def test_fifty_concurrent_submitters_get_no_errors_and_every_reference_is_stored(
    server: Server,
) -> None:
    before = stored_references(server.database)
    tally = submit_concurrently(server.base)
    stored = [ref for ref in stored_references(server.database) if ref not in set(before)]
    log = server.log.read_text(errors="replace")
    print(
        f"\n{tally['clients']} clients for {tally['seconds']:.1f} s: {tally['confirmed']} confirmed "
        f"({tally['per_second']:.1f}/s), {tally['errors']} errors "
        f"({tally['database_locked']} 'database is locked'), statuses {tally['statuses']}, "
        f"{len(stored)} stored"
    )

    assert journal_mode(server.database) == "wal"
    assert tally["errors"] == 0, json.dumps(tally["failures"], indent=1)
    assert "database is locked" not in log, log[-3000:]
    assert tally["confirmed"] > 0
    assert len(stored) == tally["confirmed"] == tally["unique"]
    assert set(stored) == set(tally["references"])

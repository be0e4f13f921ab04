"""Other processes on the test database: workers, a web server, a publisher, as in production.

A worker is a separate process in production, so the tests that matter start real ones
(``manage.py worker``) and real servers (``manage.py runserver``) against the test's data:

* on PostgreSQL (``make test-postgres``) they connect to the test database itself, so a
  ``transactional_db`` test's committed rows are theirs too;
* on SQLite the test database lives in this process's memory, which no other process can open.
  ``SharedDatabase.share()`` copies it, schema and rows, into a file with SQLite's backup API
  (milliseconds, no migrations), and the processes use that file. The test writes its data
  first, then shares; afterwards it reads what the processes did with ``query``.

Processes run with ``tests.harness.worker_settings`` (the test settings, plus a schedule and a
mail relay from the environment) unless the test names other settings in their environment,
and write their output to a log file next to the database, shown when a test fails.
``GunicornServer`` serves the site as production does, for tests that want the real server.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


class SharedDatabase:
    """The test database, as other processes can open it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sqlite = connection.vendor == "sqlite"
        self.file = folder / "shared.sqlite3"

    def share(self) -> str:
        """Make what the test has written so far visible to processes: their DATABASE_URL."""
        if self.sqlite:
            connection.ensure_connection()
            self.file.unlink(missing_ok=True)
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
            target.close()
            return f"sqlite:///{self.file}"
        database = settings.DATABASES["default"]
        user = database.get("USER") or ""
        password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
        credentials = f"{user}{password}@" if user else ""
        host = database.get("HOST") or "localhost"
        port = f":{database['PORT']}" if database.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{database['NAME']}"

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` (``%s`` placeholders) as the processes left them."""
        if self.sqlite:
            with sqlite3.connect(self.file, timeout=20) as shared:
                rows = shared.execute(sql.replace("%s", "?"), tuple(params)).fetchall()
            shared.close()
            return rows
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())


class ManageProcess:
    """``python manage.py <args>`` in its own process, its output in a log file."""

    def __init__(
        self, name: str, args: Sequence[str], database_url: str, folder: Path, **env: str
    ) -> None:
        self.name = name
        self.log = folder / f"{name}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.harness.worker_settings",
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 120) -> None:
        """Until ``text`` appears in the output; fails with the output if the process ends first."""
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited early:\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} never said {text!r}:\n{self.output()}")
            time.sleep(0.05)

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM (a worker finishes its task in hand), then wait; kill if it will not go."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


class GunicornServer:
    """``gunicorn cms.wsgi:application`` on a loopback port, in its own process group."""

    def __init__(
        self, name: str, port: int, environment: dict[str, str], folder: Path, workers: int = 2
    ) -> None:
        self.name = name
        self.port = port
        self.log = folder / f"{name}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "cms.wsgi:application",
                    "--workers",
                    str(workers),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--graceful-timeout",
                    "10",
                    "--chdir",
                    str(ROOT),
                ],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # stop() can reach the workers through the group
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, timeout: float = 20) -> int:
        """SIGTERM the master (workers finish their request), then SIGKILL what is left."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return self.process.wait()


def run_manage(
    args: Sequence[str], database_url: str, timeout: float = 180, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run one command to the end (a publisher, a shell snippet); fails with its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.harness.worker_settings",
            "DATABASE_URL": database_url,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result

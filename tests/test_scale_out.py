"""Scaling out: two app servers and two workers on one PostgreSQL, and a worker killed mid-burst.

docs/operations.md says a council may add web servers and workers as traffic grows. This holds
it to that with the processes production runs, on a PostgreSQL database of their own (a
throwaway cluster, or a new database on the session's server under ``make test-postgres``):

* two ``gunicorn`` servers (two sync workers each, ``cms.settings.production``) on different
  ports, and two ``manage.py worker`` processes, all on that one database;
* a real SMTP relay (aiosmtpd, tests/harness/smtp.py);
* a burst of 40 API submissions from 40 residents, spread over both servers, while an editor
  (another process) retitles five published pages and publishes a sixth;
* one worker SIGKILLed in the middle of sending an acknowledgement, before the relay
  accepted it: the message it held goes out once its sending lease has passed.

Then every acknowledgement arrived exactly once (one per reference, none missing), every
confirmed reference is stored once, every edit is findable through both servers' search API
(and the old titles are not), and no task failed.

Production sweeps for unsent mail every minute and leases a message for ten; here the lease is
NOTIFICATIONS_SENDING_LEASE_SECONDS=3 and both sweeps run every second, so the dead worker's
message goes within seconds rather than ten minutes. The test then waits longer than a lease,
so a message sent twice (a lease running out under a live send) would show.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import string
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django_tasks import TaskResultStatus

from core import scheduler
from eforms.models import OutboxMessage
from eforms.tests.test_submissions import ANSWERS
from tests.harness.elasticsearch import HarnessError
from tests.harness.postgres import postgres_bindir, throwaway_postgres
from tests.harness.processes import GunicornServer, ManageProcess
from tests.harness.smtp import MailSink, free_port

pytestmark = pytest.mark.slow

SUBMISSIONS = 40
CLIENTS = 4  # residents submitting at the same moment
KILL_AT = 10  # the worker sending the tenth acknowledgement dies before the relay takes it
LEASE_SECONDS = 3
WORKERS = ("worker-a", "worker-b")
# Unique words, so a search for one finds one page: before the edit, and after it.
OLD_TITLES = ["Lapwing meadow", "Curlew common", "Dunlin marsh", "Plover field", "Redshank creek"]
NEW_TITLES = ["Marigold garden", "Kestrel tower", "Bramble walk", "Heronry pond", "Foxglove lane"]
NEW_PAGE_TITLE = "Quince orchard"
STARTED = "Worker "  # core.worker logs "Worker <id> started"


@pytest.fixture
def database_url() -> Iterator[str]:
    """A PostgreSQL database nothing else uses: a new one on the session's server, or a cluster."""
    if connection.vendor == "postgresql":
        yield from _new_database_on_session_server()
        return
    try:
        postgres_bindir()
    except HarnessError as error:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"No PostgreSQL to scale out on: {error}")
    with throwaway_postgres() as url:
        yield url


def _new_database_on_session_server() -> Iterator[str]:
    database = settings.DATABASES["default"]
    name = f"signpost_scale_out_{os.getpid()}"
    server = {
        "host": database.get("HOST") or "localhost",
        "port": database.get("PORT") or 5432,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    user = server["user"] or ""
    password = f":{server['password']}" if server["password"] else ""
    try:
        yield f"postgres://{user}{password}{'@' if user else ''}{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_environment(database_url: str, folder: Path, mail_port: int) -> dict[str, str]:
    """What an operator sets (docs/operations.md), for every process, plus the short sweeps."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "ELASTICSEARCH_URL", "REDIS_URL", "DATABASE_CONN_MAX_AGE"}
    }
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    sweeps = {job.name: {"enabled": False} for job in scheduler.registered()}
    sweeps["notifications-retry"] = {"every": 1}
    sweeps["search-drain"] = {"every": 1}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.harness.production_settings",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private_media"),
            # The load balancer in front: each resident's own address in X-Forwarded-For, so
            # each has their own submission limit, as behind a real proxy.
            "TRUSTED_PROXIES": "127.0.0.1/32",
            "SEARCH_RATE_LIMIT_COUNT": "1000000",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mail_port),
            "EMAIL_TIMEOUT": "5",
            "NOTIFICATIONS_SENDING_LEASE_SECONDS": str(LEASE_SECONDS),
            "SIGNPOST_TEST_SCHEDULE": json.dumps(sweeps),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return environment


def manage(environment: dict[str, str], folder: Path, name: str, *args: str) -> str:
    """One command to the end, as the deploy runs it; its output (fails with it)."""
    process = ManageProcess(name, list(args), environment["DATABASE_URL"], folder, **environment)
    try:
        returncode = process.process.wait(timeout=900)  # migrating takes minutes on a busy machine
    finally:
        process.stop()
    assert returncode == 0, process.output()
    return process.output()


def last_json_line(output: str) -> dict[str, Any]:
    return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])


def wait_until(condition, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def search(port: int, text: str) -> list[str]:
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/api/v1/search/?q={text}", timeout=10
    ) as response:
        return [hit["url"] for hit in json.load(response)["results"]]


def submit(port: int, slug: str, number: int) -> dict[str, Any]:
    """One resident's API submission, through the load balancer (X-Forwarded-For)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/forms/{slug}/submissions/",
        data=json.dumps({"answers": {**ANSWERS, "email": resident(number)}}).encode(),
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": f"scale-out-{number}",
            "X-Forwarded-For": f"198.51.100.{number + 1}",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return {**json.load(response), "http_status": response.status}
    except urllib.error.HTTPError as error:
        return {"http_status": error.code, "body": error.read().decode(errors="replace")}


def resident(number: int) -> str:
    return f"resident{number}@resident.example"


class Killer:
    """The relay's view of the burst: the sender of the KILL_AT-th message dies mid-send.

    Each worker sends from its own address (DEFAULT_FROM_EMAIL), so the envelope says which
    one it is. That worker is SIGKILLed while the relay holds its message unanswered, and the
    message is refused: the dead worker had claimed it and never recorded it sent.
    """

    def __init__(self) -> None:
        self.workers: dict[str, ManageProcess] = {}
        self.seen = 0
        self.killed: str | None = None
        self.killed_at = 0.0
        self.lock = threading.Lock()

    def __call__(self, envelope: Any) -> bool:
        with self.lock:
            self.seen += 1
            if self.seen != KILL_AT:
                return True
            name = sender_name(envelope.mail_from)
            worker = self.workers[name]
            worker.process.kill()
            worker.process.wait()
            self.killed, self.killed_at = name, time.monotonic()
            return False


def sender_address(name: str) -> str:
    return f"no-reply+{name}@northbrook.example"


def sender_name(address: str) -> str:
    return address.split("+", 1)[1].split("@", 1)[0]


def rows(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(database_url) as database:
        return database.execute(sql).fetchall()


@contextlib.contextmanager
def stopped_at_the_end(processes: list[Any]) -> Iterator[None]:
    """Every process is stopped afterwards, and its output printed (shown when the test fails)."""
    try:
        yield
    finally:
        for process in processes:
            process.stop()
            print(f"----- {process.name} -----\n{process.output()[-4000:]}")


def test_two_app_servers_and_two_workers_lose_nothing_and_send_everything_once(
    database_url, tmp_path
):
    killer = Killer()
    with MailSink(delay=0.05, before_keeping=killer) as sink:
        environment = production_environment(database_url, tmp_path, sink.port)
        started = time.monotonic()
        manage(environment, tmp_path, "migrate", "migrate", "--noinput")
        manage(environment, tmp_path, "createcachetable", "createcachetable")
        seeded = last_json_line(
            manage(
                environment,
                tmp_path,
                "seed",
                "shell",
                "-c",
                f"from tests.harness.scale_out_seed import seed; seed({OLD_TITLES!r})",
            )
        )
        print(f"\nMigrated and seeded in {time.monotonic() - started:.0f} s")
        slug, page_ids = seeded["form"], seeded["pages"]

        processes: list[Any] = []
        with stopped_at_the_end(processes):
            ports = [free_port(), free_port()]
            for number, port in enumerate(ports):
                processes.append(GunicornServer(f"web-{number + 1}", port, environment, tmp_path))
            for name in WORKERS:
                worker = ManageProcess(
                    name,
                    ["worker", "--no-reload", "--interval", "0.1", "--worker-id", name],
                    database_url,
                    tmp_path,
                    **{**environment, "DEFAULT_FROM_EMAIL": sender_address(name)},
                )
                killer.workers[name] = worker
                processes.append(worker)
            for worker in killer.workers.values():
                worker.wait_for(STARTED)
            for port in ports:
                assert wait_until(lambda port=port: healthy(port), timeout=120)
            # The seeded pages reach the index through the workers' first drains.
            for port in ports:
                for title in OLD_TITLES:
                    word = title.split()[0]
                    assert wait_until(lambda port=port, word=word: search(port, word), 60), word

            # The burst: residents on both servers, and an editor publishing at the same time.
            retitles = dict(zip(page_ids, NEW_TITLES, strict=True))
            editor = ManageProcess(
                "editor",
                [
                    "shell",
                    "-c",
                    "from tests.harness.scale_out_seed import edit; "
                    f"edit({retitles!r}, {NEW_PAGE_TITLE!r})",
                ],
                database_url,
                tmp_path,
                **environment,
            )
            processes.append(editor)
            burst_started = time.monotonic()
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                answers = list(
                    pool.map(
                        lambda number: submit(ports[number % 2], slug, number), range(SUBMISSIONS)
                    )
                )
            burst_seconds = time.monotonic() - burst_started
            assert editor.process.wait(timeout=120) == 0, editor.output()
            assert [answer["http_status"] for answer in answers] == [201] * SUBMISSIONS, answers
            confirmed = {
                resident(number): answer["reference"] for number, answer in enumerate(answers)
            }

            everyone = set(confirmed)
            assert wait_until(lambda: set(sink.recipients()) >= everyone, timeout=120), (
                sink.recipients()
            )
            assert killer.killed, f"only {killer.seen} messages reached the relay"
            print(
                f"Burst: {SUBMISSIONS} submissions in {burst_seconds:.1f} s; {killer.killed} killed "
                f"{killer.killed_at - burst_started:.1f} s into it; every acknowledgement "
                f"delivered {time.monotonic() - burst_started:.1f} s after the burst began"
            )
            # A second send would come once a lease ran out: wait out more than one.
            time.sleep(LEASE_SECONDS + 2)

            searches: dict[int, dict[str, list[str]]] = {}
            for port in ports:
                for title in NEW_TITLES:
                    word = title.split()[0]
                    assert wait_until(
                        lambda port=port, word=word: search(port, word), timeout=60
                    ), f"{word} never findable on port {port}"
                    searches.setdefault(port, {})[word] = search(port, word)
                searches[port][NEW_PAGE_TITLE.split()[0]] = search(port, NEW_PAGE_TITLE.split()[0])
                for title in OLD_TITLES:
                    searches[port][title.split()[0]] = search(port, title.split()[0])

            survivor = next(name for name in WORKERS if name != killer.killed)
            assert killer.workers[survivor].stop() == 0
            received = sink.recipients()
            acknowledgements = {
                address: [message["Subject"] for message in sink.messages_to(address)]
                for address in everyone
            }

    # Exactly once: every resident one message, carrying their own reference; nothing else.
    assert received == Counter(dict.fromkeys(everyone, 1))
    for address, reference in confirmed.items():
        (subject,) = acknowledgements[address]
        assert reference in subject
    # Stored == confirmed, each reference once.
    stored = [
        reference for (reference,) in rows(database_url, "SELECT reference FROM eforms_submission")
    ]
    assert sorted(stored) == sorted(confirmed.values())
    assert rows(
        database_url, "SELECT status, count(*) FROM eforms_outboxmessage GROUP BY status"
    ) == [(OutboxMessage.SENT, SUBMISSIONS)]
    # Every edit landed in the index, as both servers see it; the old titles are gone.
    expected = {title.split()[0]: [f"/page-{number}/"] for number, title in enumerate(NEW_TITLES)}
    expected[NEW_PAGE_TITLE.split()[0]] = ["/page-new/"]
    expected.update({title.split()[0]: [] for title in OLD_TITLES})
    for port in ports:
        assert searches[port] == expected, f"searches on port {port}: {searches[port]}"
    # No task failed. The killed worker's last task stays RUNNING: nobody finishes it, and
    # nothing needs it to, since the sweep found what it left.
    tasks = rows(
        database_url,
        "SELECT status, task_path, worker_ids FROM django_tasks_database_dbtaskresult",
    )
    assert not [task for task in tasks if task[0] == TaskResultStatus.FAILED], tasks
    running = [task for task in tasks if task[0] == TaskResultStatus.RUNNING]
    assert all(worker_ids[-1] == killer.killed for _status, _path, worker_ids in running), running
    sent_by = Counter(
        sender_name(message["From"].split("<")[-1].rstrip(">")) for _to, message in sink.received
    )
    print(f"Acknowledgements sent by each worker: {dict(sent_by)}; tasks run: {len(tasks)}")
    assert set(sent_by) == set(WORKERS)

"""The worker as operators run it: separate processes on the one database.

* a page published by one process is findable through another process's search API within
  5 seconds, because a third process, the worker, drains the outbox the moment it commits;
* two workers sending from one outbox on PostgreSQL send each message once;
* two workers ticking the scheduler enqueue a periodic job once per interval, not twice.

Every process is a real ``manage.py`` (tests/harness/processes.py): on PostgreSQL they share
the test database; on SQLite they share a file copy of it.
"""

import datetime
import json
import time
import urllib.request
from collections import Counter

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.models import ContentPage
from core import scheduler
from core.models import DeliveryUnit
from eforms.models import OutboxMessage
from eforms.tasks import send_notifications
from tests.harness.processes import ManageProcess, SharedDatabase, run_manage
from tests.harness.smtp import MailSink, free_port
from tests.site import fresh_home_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

STARTED = "Worker "  # core.worker logs "Worker <id> started"


def schedule(**changes: dict) -> str:
    """SIGNPOST_TEST_SCHEDULE: every periodic job switched off but those given here."""
    jobs = {job.name: {"enabled": False} for job in scheduler.registered()}
    jobs.update(changes)
    return json.dumps(jobs)


@pytest.fixture
def shared(tmp_path):
    return SharedDatabase(tmp_path)


@pytest.fixture
def processes():
    """Every process a test starts is stopped afterwards, and its output shown if it failed."""
    started: list[ManageProcess] = []
    yield started
    for process in started:
        process.stop()
        print(f"----- {process.name} -----\n{process.output()[-4000:]}")


def wait_until(condition, timeout, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def search(port, text):
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/api/v1/search/?q={text}", timeout=10
    ) as response:
        return [hit["url"] for hit in json.load(response)["results"]]


def test_a_published_page_is_findable_within_5_seconds_with_the_worker_running(
    shared, processes, tmp_path
):
    home = fresh_home_page()
    unit = DeliveryUnit.objects.create(name="Parks", slug="parks")
    page = home.add_child(
        instance=ContentPage(
            title="Allotments",
            slug="allotments",
            summary="Rent a plot.",
            body=[{"type": "text", "value": "<p>Plots by the river.</p>"}],
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
            live=False,
        )
    )
    url = shared.share()
    port = free_port()
    # No periodic sweep: only the enqueue on commit can make the page findable this fast.
    worker = ManageProcess(
        "worker", ["worker", "--no-reload"], url, tmp_path, SIGNPOST_TEST_SCHEDULE=schedule()
    )
    web = ManageProcess(
        "web", ["runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"], url, tmp_path
    )
    processes.extend([worker, web])
    worker.wait_for(STARTED)
    assert wait_until(lambda: _answers(port), timeout=120), web.output()
    assert search(port, "beekeeping") == []

    published = run_manage(
        [
            "shell",
            "-c",
            "import time\n"
            "from cms.models import ContentPage\n"
            f"page = ContentPage.objects.get(pk={page.pk})\n"
            "page.summary = 'Rent a plot, or keep bees: beekeeping by the river.'\n"
            "page.save_revision().publish()\n"
            "print('published', time.time())\n",
        ],
        url,
    )
    published_at = float(published.stdout.split("published", 1)[1].split()[0])
    found = wait_until(lambda: search(port, "beekeeping") != [], timeout=10, step=0.1)
    seconds = time.time() - published_at
    print(f"\nPublished to findable through the search API: {seconds:.2f} s")
    assert found, worker.output()
    assert seconds < 5
    assert search(port, "beekeeping") == ["/allotments/"]


def _answers(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def test_two_workers_on_postgresql_never_send_one_message_twice(shared, processes, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Several workers sending at once is a PostgreSQL deployment (on SQLite, run one "
            "worker: docs/operations.md). Run it with make test-postgres."
        )
    residents = [f"resident{number}@resident.example" for number in range(60)]
    for address in residents:
        OutboxMessage.objects.create(to=address, subject="Your request", body="Received.")
    url = shared.share()
    with MailSink(delay=0.05) as sink:
        mail = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_TIMEOUT": "5",
            "SIGNPOST_TEST_SCHEDULE": schedule(),
        }
        workers = [
            ManageProcess(
                name,
                ["worker", "--no-reload", "--interval", "0.1", "--worker-id", name],
                url,
                tmp_path,
                **mail,
            )
            for name in ("worker-a", "worker-b")
        ]
        processes.extend(workers)
        for worker in workers:
            worker.wait_for(STARTED)
        # Both are polling: six sends at once, so both drain the outbox at the same time.
        for _ in range(6):
            send_notifications.enqueue()
        assert wait_until(
            lambda: (
                OutboxMessage.objects.filter(status=OutboxMessage.SENT).count() == len(residents)
            ),
            timeout=120,
        )
        assert wait_until(lambda: not _unfinished("eforms.tasks.send_notifications"), 60)
        for worker in workers:
            assert worker.stop() == 0
        received = sink.recipients()
    assert received == Counter(dict.fromkeys(residents, 1))
    sent_by = Counter()
    for worker_ids, value in shared.query(
        "SELECT worker_ids, return_value FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = %s AND status = 'SUCCESSFUL'",
        ["eforms.tasks.send_notifications"],
    ):
        sent_by[_decoded(worker_ids)[-1]] += _decoded(value)["sent"]
    print(f"\nMessages sent by each worker: {dict(sent_by)}")
    assert set(sent_by) == {"worker-a", "worker-b"} and all(sent_by.values())


def _unfinished(task_path):
    """Tasks for ``task_path`` still waiting or running (PostgreSQL: the test's own database)."""
    return DBTaskResult.objects.filter(
        task_path=task_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).exists()


def test_two_workers_enqueue_a_periodic_job_once_per_interval(shared, processes, tmp_path):
    interval = 0.5
    url = shared.share()
    workers = [
        ManageProcess(
            name,
            ["worker", "--no-reload", "--interval", "0.05", "--worker-id", name],
            url,
            tmp_path,
            SIGNPOST_TEST_SCHEDULE=schedule(**{"search-drain": {"every": interval}}),
        )
        for name in ("worker-a", "worker-b")
    ]
    processes.extend(workers)
    for worker in workers:
        worker.wait_for(STARTED)
    time.sleep(6)
    for worker in workers:
        assert worker.stop() == 0

    rows = shared.query(
        "SELECT enqueued_at, worker_ids FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = %s ORDER BY enqueued_at",
        ["search.tasks.drain_outbox"],
    )
    times = [_moment(enqueued_at) for enqueued_at, _worker_ids in rows]
    span = (times[-1] - times[0]).total_seconds()
    # A run enqueued just before the workers stopped was never claimed: its worker_ids is "[]".
    claimed = [_decoded(worker_ids) for _enqueued_at, worker_ids in rows]
    ran_by = Counter(ids[-1] for ids in claimed if ids)
    print(f"\n{len(times)} runs in {span:.2f} s at one per {interval} s; run by {dict(ran_by)}")
    # Each run takes its own slot on the grid, so n runs need at least (n - 1) intervals.
    # Both workers enqueueing each slot would make about twice as many.
    assert len(times) >= 6
    assert (len(times) - 1) * interval <= span + interval


def _decoded(value):
    return json.loads(value) if isinstance(value, str) else value


def _moment(value):
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value)
    return value

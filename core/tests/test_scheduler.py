"""core.scheduler: periodic jobs enqueued once per slot, however many workers tick.

The claim is a conditional UPDATE on the job's row; these tests call ``enqueue_due`` as each
worker's cycle does, against the real database and the real django-tasks-db queue.
tests/test_worker_processes.py runs two worker processes against each other.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from core import scheduler
from core.models import ScheduledJob
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


@task()
def tick() -> str:
    """A periodic job for these tests."""
    return "ticked"


@task()
def broken() -> None:
    """A periodic job that fails, as a real one might."""
    raise RuntimeError("the disk is full")


@pytest.fixture
def only(settings):
    """Register test jobs, with every real job switched off so only these are due."""
    names = []

    def register(name, **kwargs):
        names.append(name)
        return scheduler.register(name, **kwargs)

    settings.SIGNPOST_SCHEDULE = {job.name: {"enabled": False} for job in scheduler.registered()}
    yield register
    for name in names:
        scheduler.unregister(name)


def runs(task_function):
    return DBTaskResult.objects.filter(task_path=task_function.module_path).count()


def test_a_due_job_is_enqueued_once_however_many_workers_tick(only):
    only("tick", every=datetime.timedelta(seconds=30), task=tick)
    assert scheduler.enqueue_due(NOON) == ["tick"]  # seen for the first time: due at once
    for _worker in range(3):  # the other workers' ticks in the same moment
        assert scheduler.enqueue_due(NOON) == []
    assert runs(tick) == 1
    row = ScheduledJob.objects.get(name="tick")
    assert row.next_run_at == NOON + datetime.timedelta(seconds=30)
    assert row.last_run_at == NOON and row.last_status == ScheduledJob.ENQUEUED

    assert scheduler.enqueue_due(NOON + datetime.timedelta(seconds=29)) == []
    assert scheduler.enqueue_due(NOON + datetime.timedelta(seconds=31)) == ["tick"]
    assert scheduler.enqueue_due(NOON + datetime.timedelta(seconds=31)) == []
    assert runs(tick) == 2


def test_missed_slots_are_skipped_not_piled_up(only):
    """A worker back after an hour enqueues one run, then keeps to the same grid."""
    only("tick", every=datetime.timedelta(seconds=30), task=tick)
    scheduler.enqueue_due(NOON)
    an_hour_on = NOON + datetime.timedelta(hours=1, seconds=10)
    assert scheduler.enqueue_due(an_hour_on) == ["tick"]
    assert scheduler.enqueue_due(an_hour_on) == []
    assert runs(tick) == 2
    assert ScheduledJob.objects.get(name="tick").next_run_at == NOON + datetime.timedelta(
        hours=1, seconds=30
    )


def test_a_daily_job_waits_for_its_time_of_day(only, settings):
    settings.TIME_ZONE = "Europe/London"
    only("nightly", every=datetime.timedelta(days=1), at=datetime.time(3, 0), task=tick)
    assert scheduler.enqueue_due(NOON) == []  # 1 pm in London: not until 3 am tomorrow
    row = ScheduledJob.objects.get(name="nightly")
    assert timezone.localtime(row.next_run_at).isoformat() == "2026-06-02T03:00:00+01:00"
    assert scheduler.enqueue_due(row.next_run_at) == ["nightly"]
    row.refresh_from_db()
    assert timezone.localtime(row.next_run_at).isoformat() == "2026-06-03T03:00:00+01:00"


def test_each_runs_outcome_is_recorded_on_its_row(only, settings):
    only("tick", every=datetime.timedelta(minutes=1), task=tick)
    only("broken", every=datetime.timedelta(minutes=1), task=broken)
    assert sorted(scheduler.enqueue_due(NOON)) == ["broken", "tick"]
    with pytest.raises(AssertionError, match="the disk is full"):
        run_queued_tasks()  # the helper stops at a failed Signpost task; the row keeps why
    run_queued_tasks()
    rows = {row.name: row for row in ScheduledJob.objects.all()}
    assert rows["tick"].last_status == ScheduledJob.SUCCEEDED and rows["tick"].last_error == ""
    assert rows["broken"].last_status == ScheduledJob.FAILED
    assert rows["broken"].last_error == "RuntimeError: the disk is full"
    assert (
        DBTaskResult.objects.get(task_path=tick.module_path).status == TaskResultStatus.SUCCESSFUL
    )


def test_settings_change_an_interval_or_switch_a_job_off(only, settings):
    only("tick", every=datetime.timedelta(seconds=30), task=tick)
    only("off", every=datetime.timedelta(seconds=30), task=tick)
    settings.SIGNPOST_SCHEDULE = {
        **settings.SIGNPOST_SCHEDULE,
        "tick": {"every": 5},
        "off": {"enabled": False},
    }
    assert scheduler.enqueue_due(NOON) == ["tick"]
    assert scheduler.enqueue_due(NOON + datetime.timedelta(seconds=6)) == ["tick"]
    assert not ScheduledJob.objects.filter(name="off").exists()


def test_every_app_registers_its_periodic_jobs():
    jobs = {job.name: job for job in scheduler.registered()}
    assert {name: job.task.module_path for name, job in jobs.items()} == {
        "audit-prune": "core.tasks.prune_audit_log",
        "content-checks": "webteam.tasks.run_content_checks",
        "notifications-retry": "eforms.tasks.send_notifications",
        "page-feedback-purge": "backlog.tasks.purge_page_feedback",
        "partner-feeds": "directory.tasks.pull_due_feeds",
        "problem-reports-purge": "directory.tasks.purge_problem_reports",
        "retention-purge": "eforms.tasks.purge_expired",
        "review-reminders": "webteam.tasks.send_review_reminders",
        "search-drain": "search.tasks.drain_outbox",
        "search-log-flush": "search.tasks.flush_search_log",
        "search-log-purge": "search.tasks.purge_search_logs",
        "bin-reminders": "bins.tasks.send_reminders",
        "task-results-prune": "core.tasks.prune_task_results",
        "upload-scan": "eforms.tasks.scan_uploads",
    }
    assert jobs["search-drain"].every == datetime.timedelta(seconds=30)
    assert jobs["search-log-flush"].every == datetime.timedelta(minutes=1)
    assert jobs["content-checks"].at == datetime.time(2, 0)
    assert jobs["upload-scan"].every == datetime.timedelta(minutes=2)
    assert jobs["partner-feeds"].every == datetime.timedelta(minutes=10)


def test_a_time_of_day_needs_a_daily_job():
    with pytest.raises(ValueError, match="every=1 day"):
        scheduler.PeriodicJob(
            name="x", every=datetime.timedelta(hours=1), task=tick, at=datetime.time(3)
        )


@pytest.mark.django_db(transaction=True)
def test_workers_ticking_at_the_same_instant_on_postgresql_enqueue_once(only):
    """Eight threads, each its own connection, claim the same due slot at once."""
    if connection.vendor != "postgresql":
        pytest.skip("Threads need their own connections to a server: run with make test-postgres")
    only("tick", every=datetime.timedelta(seconds=30), task=tick)
    ScheduledJob.objects.create(name="tick", next_run_at=NOON)
    start = threading.Barrier(8)
    claimed = []

    def worker():
        start.wait()
        try:
            claimed.extend(scheduler.enqueue_due(NOON))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert claimed == ["tick"]
    assert runs(tick) == 1


def test_job_runs_say_when_each_job_last_started_finished_and_is_next_due(only):
    """What the Operations report shows for each job, from its row and its last task."""
    only("tick", every=datetime.timedelta(seconds=30), task=tick)
    only("broken", every=datetime.timedelta(days=1), at=datetime.time(3, 0), task=broken)
    only("waiting", every=datetime.timedelta(days=1), at=datetime.time(23, 0), task=tick)
    scheduler.enqueue_due(NOON)
    ScheduledJob.objects.filter(name="broken").update(next_run_at=NOON)
    assert sorted(scheduler.enqueue_due(NOON)) == ["broken"]
    with pytest.raises(AssertionError, match="the disk is full"):
        run_queued_tasks()
    run_queued_tasks()

    runs = {run["name"]: run for run in scheduler.job_runs(NOON + datetime.timedelta(seconds=10))}
    assert {"tick", "broken", "waiting"} <= set(runs)
    assert runs["search-drain"]["enabled"] is False  # the real jobs, switched off by `only`
    ticked = runs["tick"]
    assert ticked["schedule"] == "every 30 seconds" and ticked["task"] == tick.module_path
    assert ticked["last_status_label"] == "Finished" and ticked["last_error"] == ""
    assert ticked["last_enqueued_at"] == NOON
    assert ticked["last_started_at"] <= ticked["last_finished_at"]
    assert ticked["next_run_at"] == NOON + datetime.timedelta(seconds=30)
    assert not ticked["overdue"]
    failed = runs["broken"]
    assert failed["schedule"] == "daily at 03:00"
    assert failed["last_status_label"] == "Failed"
    assert failed["last_error"] == "RuntimeError: the disk is full"
    assert failed["last_finished_at"] is not None
    never = runs["waiting"]
    assert never["last_status_label"] == "Not run yet" and never["last_started_at"] is None

    # No worker for an hour: a 30-second job is overdue; the daily job is not.
    later = {run["name"]: run for run in scheduler.job_runs(NOON + datetime.timedelta(hours=1))}
    assert later["tick"]["overdue"] and not later["broken"]["overdue"]

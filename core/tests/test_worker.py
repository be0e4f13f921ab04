"""The worker loop and handing work to it: real queue rows, django-tasks-db's own claim loop.

Enqueuing waits for the commit and asks once per burst (core/background.py); the worker runs
what is queued, takes its turn with the scheduler, and stops only after the task in hand.
"""

import datetime
import threading
import time

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from core import scheduler
from core.background import enqueue_on_commit
from core.models import ScheduledJob
from core.worker import Worker

PATH = "core.tests.test_worker.note"
finished = threading.Event()


@task()
def note(text: str = "done") -> str:
    """A task for these tests."""
    return text


@task()
def slow() -> str:
    """Takes a moment, so the worker can be told to stop while it runs."""
    time.sleep(0.5)
    finished.set()
    return "finished"


def waiting():
    return DBTaskResult.objects.filter(task_path=PATH, status=TaskResultStatus.READY).count()


@pytest.mark.django_db
def test_a_task_is_enqueued_once_the_transaction_commits_and_once_per_burst(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _save in range(5):
            enqueue_on_commit(PATH)
        assert waiting() == 0  # nothing a worker could start before the rows exist
    assert len(callbacks) == 1 and waiting() == 1
    # Another burst while that task still waits: it will read this burst's rows too.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(PATH)
    assert waiting() == 1
    # Once it has started it may have read too early, so the next commit asks again.
    DBTaskResult.objects.filter(task_path=PATH).update(status=TaskResultStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(PATH)
    assert waiting() == 1 and DBTaskResult.objects.filter(task_path=PATH).count() == 2


@pytest.mark.django_db
def test_a_rolled_back_change_enqueues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            enqueue_on_commit(PATH)
            raise RuntimeError("the save failed")
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_enqueuing_never_breaks_the_request_that_stored_its_rows(
    django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit("core.tests.test_worker.no_such_task")
    assert "the next periodic sweep will run it" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_queue_and_the_schedule_in_one_loop(settings):
    """The real loop: django-tasks-db claims each row (BEGIN EXCLUSIVE on SQLite, FOR UPDATE
    SKIP LOCKED on PostgreSQL), runs it and records the result; the scheduler ticks first."""
    settings.SIGNPOST_SCHEDULE = {job.name: {"enabled": False} for job in scheduler.registered()}
    scheduler.register("note", every=datetime.timedelta(minutes=5), task=note)
    try:
        queued = note.enqueue("by hand")
        Worker(interval=0.05, worker_id="the-worker").run(batch=True)
    finally:
        scheduler.unregister("note")
    rows = DBTaskResult.objects.filter(task_path=PATH)
    assert sorted(row.return_value for row in rows) == ["by hand", "done"]
    assert {row.status for row in rows} == {TaskResultStatus.SUCCESSFUL}
    assert all(row.worker_ids == ["the-worker"] for row in rows)
    assert rows.get(pk=queued.id).finished_at is not None
    assert ScheduledJob.objects.get(name="note").last_status == ScheduledJob.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_stopping_finishes_the_task_in_hand(settings):
    settings.SIGNPOST_SCHEDULE = {job.name: {"enabled": False} for job in scheduler.registered()}
    finished.clear()
    slow.enqueue()
    note.enqueue()
    worker = Worker(interval=0.05, tasks_per_cycle=1)
    loop = threading.Thread(target=worker.run)
    loop.start()
    assert finished.wait(10)
    worker.stop()  # arrives while slow() is running or just after: either way it finishes
    loop.join(10)
    assert not loop.is_alive()
    assert DBTaskResult.objects.get(task_path=slow.module_path).status == (
        TaskResultStatus.SUCCESSFUL
    )


@pytest.mark.django_db
def test_the_command_lists_the_schedule(capsys):
    call_command("worker", "--list")
    out = capsys.readouterr().out
    assert "search-drain: search.tasks.drain_outbox, every 30 seconds" in out
    assert "retention-purge: eforms.tasks.purge_expired, daily at 03:00" in out
    assert "not run yet" in out

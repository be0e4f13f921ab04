"""core.health: the background task queue's depth and wait, and the one judgement every queue
shares ("degraded" once the oldest item is older than its limit)."""

import datetime

import pytest
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from core.health import queue_health, task_queue_state

pytestmark = pytest.mark.django_db


@task()
def chore() -> None:
    """A task for these tests; it is only ever queued, never run."""


def test_a_queue_is_degraded_only_past_its_limit():
    message = "{depth} waiting, the oldest for {age} s (more than {limit} s)"
    assert queue_health(0, None, 60, message) == {
        "status": "ok",
        "depth": 0,
        "oldest_age_seconds": None,
        "max_age_seconds": 60,
    }
    assert queue_health(3, 60.0, 60, message)["status"] == "ok"
    late = queue_health(3, 61.4, 60, message)
    assert late["status"] == "degraded" and late["detail"] == (
        "3 waiting, the oldest for 61 s (more than 60 s)"
    )


def test_tasks_waiting_to_start_past_the_limit_degrade_the_task_queue(settings):
    settings.TASKS_QUEUE_MAX_AGE_SECONDS = 300
    assert task_queue_state()["depth"] == 0 and task_queue_state()["status"] == "ok"
    first = chore.enqueue()
    chore.enqueue()
    state = task_queue_state()
    assert state["status"] == "ok" and state["depth"] == 2 and state["running"] == 0
    assert state["oldest_age_seconds"] < 60 and state["max_age_seconds"] == 300

    DBTaskResult.objects.filter(id=first.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    state = task_queue_state()
    assert state["status"] == "degraded" and state["oldest_age_seconds"] >= 360
    assert "is a worker (manage.py worker) running?" in state["detail"]

    DBTaskResult.objects.filter(id=first.id).update(status="RUNNING")
    state = task_queue_state()
    assert state["status"] == "ok" and state["depth"] == 1 and state["running"] == 1


def test_a_task_for_later_waits_from_its_time_not_from_when_it_was_queued(settings):
    settings.TASKS_QUEUE_MAX_AGE_SECONDS = 300
    now = timezone.now()
    later = chore.using(run_after=now + datetime.timedelta(hours=1)).enqueue()
    DBTaskResult.objects.filter(id=later.id).update(enqueued_at=now - datetime.timedelta(days=1))
    assert task_queue_state()["depth"] == 0  # not due yet: not waiting

    DBTaskResult.objects.filter(id=later.id).update(run_after=now - datetime.timedelta(minutes=2))
    state = task_queue_state()
    assert state["depth"] == 1 and 110 <= state["oldest_age_seconds"] < 300
    assert state["status"] == "ok"

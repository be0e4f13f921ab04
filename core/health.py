"""How a queue is doing, in one shape for every queue: the parts of /healthz and the Operations
report that say whether work is waiting too long.

Each app that owns a queue reports its own (search its outbox, eforms its notifications, core
the background task queue below) through its public surface, and the site puts them side by
side. A queue is never "down": it keeps its work until it is done, so the worst it reports is
"degraded", which is for a monitor to notice and tell someone.
"""

from __future__ import annotations

import datetime
from typing import Literal, NotRequired, TypedDict

from django.conf import settings
from django.db.models import Case, DateTimeField, F, Min, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

Status = Literal["ok", "degraded"]


class QueueHealth(TypedDict):
    """What every queue reports: how much waits, how long the oldest has waited, and the limit."""

    status: Status
    depth: int  # items waiting
    oldest_age_seconds: float | None  # None when nothing waits
    max_age_seconds: int  # older than this is "degraded"
    detail: NotRequired[str]


class TaskQueueHealth(QueueHealth):
    """The background task queue: also how many tasks are running now."""

    running: int


def age_seconds(oldest: datetime.datetime | None, now: datetime.datetime) -> float | None:
    """Seconds since ``oldest`` (never negative, to a tenth), or None when nothing waits."""
    if oldest is None:
        return None
    return round(max((now - oldest).total_seconds(), 0.0), 1)


def queue_health(depth: int, oldest_age: float | None, limit: int, too_old: str) -> QueueHealth:
    """The common report: "degraded", with ``too_old`` as the detail, past ``limit`` seconds.

    ``too_old`` may use ``{depth}``, ``{age}`` (whole seconds) and ``{limit}``.
    """
    report: QueueHealth = {
        "status": "ok",
        "depth": depth,
        "oldest_age_seconds": oldest_age,
        "max_age_seconds": limit,
    }
    if oldest_age is not None and oldest_age > limit:
        report["status"] = "degraded"
        report["detail"] = too_old.format(depth=depth, age=f"{oldest_age:.0f}", limit=limit)
    return report


def task_queue_state(now: datetime.datetime | None = None) -> TaskQueueHealth:
    """The background task queue (django-tasks-db): tasks ready to run, and the oldest's wait.

    A task waits from when it was enqueued, or from its ``run_after`` if that came later (a
    task scheduled for later is not waiting before then). "degraded" past
    TASKS_QUEUE_MAX_AGE_SECONDS: no worker is running, or every worker is busy with a long job.
    """
    now = now or timezone.now()
    never = get_date_max()
    ready = DBTaskResult.objects.ready()
    oldest = ready.annotate(
        waiting_since=Case(
            When(run_after=never, then=F("enqueued_at")),
            default=Greatest("enqueued_at", "run_after"),
            output_field=DateTimeField(),
        )
    ).aggregate(oldest=Min("waiting_since"))["oldest"]
    base = queue_health(
        ready.count(),
        age_seconds(oldest, now),
        int(settings.TASKS_QUEUE_MAX_AGE_SECONDS),
        "The oldest of {depth} background task(s) has waited {age} s to start (more than "
        "{limit} s): is a worker (manage.py worker) running?",
    )
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    return {**base, "running": running}

"""Periodic jobs: one registry in code, and a claim in the database so each run happens once.

Apps register their periodic jobs from ``AppConfig.ready``, naming a task from their own
``tasks.py``; core never imports an app, so the registry lives here and the apps come to it::

    scheduler.register("search-drain", every=timedelta(seconds=30), task=drain_outbox)
    scheduler.register("retention-purge", every=timedelta(days=1), at=time(3, 0), task=purge)

The worker (``manage.py worker``, core/worker.py) calls ``enqueue_due`` on every cycle. Each
job has a ``ScheduledJob`` row holding when it is next due. A due job is claimed with one
conditional UPDATE (``... SET next_run_at = <the next slot> WHERE name = ... AND next_run_at <=
now``), and only the worker whose UPDATE changed the row enqueues the run, in the same
transaction. That is safe with any number of workers on any number of machines: on PostgreSQL
a second UPDATE waits for the first one's row lock and then re-checks its WHERE against the
committed row, which is no longer due; SQLite has one writer at a time, so the second UPDATE
runs after the first has committed and matches nothing. Workers' clocks must agree (NTP).

Runs follow a fixed grid (due time plus whole intervals), so a worker that was down for an
hour enqueues one catch-up run, not sixty. ``SIGNPOST_SCHEDULE`` in settings can change a
job's interval or time of day, or switch it off, without touching the code that registers it.
"""

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from .models import ScheduledJob

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class PeriodicJob:
    """A task to enqueue every ``every``; with ``at``, once a day at that local time."""

    name: str
    every: datetime.timedelta
    task: Task[[], Any]
    at: datetime.time | None = None
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.every <= datetime.timedelta(0):
            raise ValueError(f"Periodic job {self.name!r} needs a positive interval.")
        if self.at is not None and self.every != ONE_DAY:
            raise ValueError(f"Periodic job {self.name!r}: a time of day needs every=1 day.")

    def first_run(self, now: datetime.datetime) -> datetime.datetime:
        """A job seen for the first time runs at once, or at its next time of day."""
        return now if self.at is None else _next_local_time(self.at, now)

    @property
    def schedule(self) -> str:
        """How an operator would say it: "every 30 seconds", "daily at 03:00"."""
        return f"daily at {self.at:%H:%M}" if self.at else f"every {describe_interval(self.every)}"

    def following(self, due: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
        """The first slot after ``now`` on this job's grid: missed slots are skipped, not queued."""
        if self.at is not None:
            return _next_local_time(self.at, now)
        missed = (now - due) // self.every
        return due + (missed + 1) * self.every


_jobs: dict[str, PeriodicJob] = {}


def register(
    name: str,
    *,
    every: datetime.timedelta,
    task: Task[[], Any],
    at: datetime.time | None = None,
) -> PeriodicJob:
    """Add a periodic job (call from ``AppConfig.ready``). Registering a name again replaces it."""
    job = PeriodicJob(name=name, every=every, task=task, at=at)
    _jobs[name] = job
    return job


def unregister(name: str) -> None:
    """Forget a job (tests register their own and clean up after themselves)."""
    _jobs.pop(name, None)


def registered() -> list[PeriodicJob]:
    """Every job as it will run: the registered schedule with ``SIGNPOST_SCHEDULE`` applied."""
    overrides: Mapping[str, Mapping[str, Any]] = getattr(settings, "SIGNPOST_SCHEDULE", {})
    jobs = []
    for name in sorted(_jobs):
        job = _jobs[name]
        change = dict(overrides.get(name, {}))
        if "every" in change and not isinstance(change["every"], datetime.timedelta):
            change["every"] = datetime.timedelta(seconds=float(change["every"]))
        jobs.append(replace(job, **change) if change else job)
    return jobs


def enqueue_due(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job that is due and that no other worker claimed first: the names enqueued.

    Two queries when nothing is due (the rows, and creating any missing ones); a claim and an
    enqueue, in one transaction, for each job that is.
    """
    now = now or timezone.now()
    jobs = [job for job in registered() if job.enabled]
    if not jobs:
        return []
    due_at = dict(
        ScheduledJob.objects.filter(name__in=[job.name for job in jobs]).values_list(
            "name", "next_run_at"
        )
    )
    missing = [job for job in jobs if job.name not in due_at]
    if missing:
        # Two workers starting together may both create a row: the second insert is ignored.
        ScheduledJob.objects.bulk_create(
            [ScheduledJob(name=job.name, next_run_at=job.first_run(now)) for job in missing],
            ignore_conflicts=True,
        )
        due_at.update({job.name: job.first_run(now) for job in missing})
    return [
        job.name for job in jobs if due_at[job.name] <= now and _claim(job, due_at[job.name], now)
    ]


def _claim(job: PeriodicJob, due: datetime.datetime, now: datetime.datetime) -> bool:
    """Move the job's row to its next slot and enqueue this run, unless another worker did."""
    with transaction.atomic():
        claimed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=job.following(due, now),
            last_run_at=now,
            last_status=ScheduledJob.ENQUEUED,
            last_error="",
        )
        if not claimed:
            return False
        result = job.task.enqueue()
        ScheduledJob.objects.filter(name=job.name).update(last_task_id=str(result.id))
    logger.info("Enqueued periodic job %s (task %s)", job.name, result.id)
    return True


def record_started(sender: object, task_result: TaskResult[Any], **kwargs: object) -> None:
    """``task_started`` receiver: a periodic job's row says it is running."""
    _record(task_result, ScheduledJob.RUNNING, "")


def record_finished(sender: object, task_result: TaskResult[Any], **kwargs: object) -> None:
    """``task_finished`` receiver: a periodic job's row says how its last run ended, and why."""
    if task_result.status == TaskResultStatus.SUCCESSFUL:
        _record(task_result, ScheduledJob.SUCCEEDED, "")
        return
    error = task_result.errors[-1].traceback if task_result.errors else ""
    lines = error.strip().splitlines()
    _record(task_result, ScheduledJob.FAILED, lines[-1][:2000] if lines else "")


def _record(task_result: TaskResult[Any], status: str, error: str) -> None:
    """Only tasks that are periodic jobs have a row: every other task costs no query here."""
    path = task_result.task.module_path
    if not any(job.task.module_path == path for job in _jobs.values()):
        return
    ScheduledJob.objects.filter(last_task_id=str(task_result.id)).update(
        last_status=status, last_error=error
    )


class JobRun(TypedDict):
    """One periodic job as the Operations report shows it: its schedule and its last run."""

    name: str
    task: str  # the task's dotted path
    schedule: str  # "every 30 seconds", "daily at 03:00"
    enabled: bool
    last_enqueued_at: datetime.datetime | None
    last_started_at: datetime.datetime | None  # None: not started yet, or its task forgotten
    last_finished_at: datetime.datetime | None
    last_status: str  # a ScheduledJob status ("" before the first run)
    last_status_label: str  # in words: "Finished", "Failed", "Not run yet"
    last_error: str
    next_run_at: datetime.datetime | None  # None before any worker has seen the job
    overdue: bool  # due more than one interval ago: no worker is running the schedule


def job_runs(now: datetime.datetime | None = None) -> list[JobRun]:
    """Every registered job with its last run: when it was enqueued, started and finished.

    Start and finish come from the job's last task in django-tasks-db's table, so they are
    unknown once ``prune_task_results`` has forgotten that task (a week after it succeeded).
    Three queries, however many jobs.
    """
    now = now or timezone.now()
    jobs = registered()
    rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=[j.name for j in jobs])}
    task_ids = [row.last_task_id for row in rows.values() if row.last_task_id]
    tasks = {
        str(task.id): task
        for task in DBTaskResult.objects.filter(id__in=task_ids).only(
            "id", "started_at", "finished_at"
        )
    }
    labels = dict(ScheduledJob.STATUS_CHOICES)
    runs: list[JobRun] = []
    for job in jobs:
        row = rows.get(job.name)
        task = tasks.get(row.last_task_id) if row is not None else None
        status = row.last_status if row is not None else ""
        runs.append(
            {
                "name": job.name,
                "task": job.task.module_path,
                "schedule": job.schedule,
                "enabled": job.enabled,
                "last_enqueued_at": row.last_run_at if row is not None else None,
                "last_started_at": task.started_at if task is not None else None,
                "last_finished_at": task.finished_at if task is not None else None,
                "last_status": status,
                "last_status_label": labels.get(status, "Not run yet"),
                "last_error": row.last_error if row is not None else "",
                "next_run_at": row.next_run_at if row is not None else None,
                "overdue": bool(
                    job.enabled and row is not None and row.next_run_at < now - job.every
                ),
            }
        )
    return runs


def describe_interval(every: datetime.timedelta) -> str:
    """30 seconds, 5 minutes, 2 hours: how an operator would say the interval."""
    seconds = int(every.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0 and seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _next_local_time(at: datetime.time, now: datetime.datetime) -> datetime.datetime:
    """The next moment after ``now`` when the site's clock (TIME_ZONE) reads ``at``."""
    local = timezone.localtime(now)
    candidate = timezone.make_aware(datetime.datetime.combine(local.date(), at))
    if candidate <= now:
        candidate = timezone.make_aware(
            datetime.datetime.combine(local.date() + datetime.timedelta(days=1), at)
        )
    return candidate

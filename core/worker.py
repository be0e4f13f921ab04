"""The background worker: every deferred job, and the periodic scheduler, in one loop.

Mail and text messages, search indexing, Wagtail's reference index and search updates, and
the periodic jobs (core/scheduler.py) are rows in django-tasks-db's table. This loop runs them,
so no resident's request waits for a mail server or a search engine, and operators run one
command (``manage.py worker``) instead of a cron entry per job.

Each cycle:

1. the scheduler enqueues the periodic jobs that are due (``scheduler.enqueue_due``; each run
   is claimed once however many workers there are);
2. if a plain read finds a ready task, django-tasks-db's own worker loop runs the ready
   tasks, highest priority first, at most
   ``tasks_per_cycle`` of them so the scheduler is never starved by a long queue;
3. when nothing ran, the worker waits ``interval`` seconds before looking again.

Claiming a task is django-tasks-db's: in a transaction it selects one ready row with
``SELECT ... FOR UPDATE SKIP LOCKED`` and marks it RUNNING before committing. On PostgreSQL
other workers skip the locked row, so several workers on several machines never run one task
twice. SQLite has no row locks (Django drops FOR UPDATE there): django-tasks-db opens that
transaction with ``BEGIN EXCLUSIVE`` instead, so one worker at a time picks a task and the
next sees it RUNNING. That is safe too, but every claim locks the whole file briefly: on
SQLite, run one worker (the demo does); run several on PostgreSQL.

A task that fails is recorded FAILED with its traceback and not retried by the queue; the
periodic sweeps (search outbox, notifications) find the work it left and try again.
"""

import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Any

from django.db import OperationalError, close_old_connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks.utils import get_random_id
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker
from django_tasks_db.models import DBTaskResult

from . import scheduler

logger = logging.getLogger(__name__)


class _CountingQueueWorker(QueueWorker):
    """django-tasks-db's loop, unchanged, counting the tasks it ran in this cycle."""

    ran = 0

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        """Run one claimed task exactly as django-tasks-db does, and count it."""
        try:
            super().run_task(db_task_result)
        finally:
            self.ran += 1


class Worker:
    """One worker process: the scheduler's tick and django-tasks-db's task loop, taking turns."""

    def __init__(
        self,
        *,
        interval: float = 1.0,
        schedule: bool = True,
        queue_names: Sequence[str] = ("*",),
        backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
        worker_id: str | None = None,
        tasks_per_cycle: int = 20,
    ) -> None:
        self.interval = interval
        self.schedule = schedule
        self.queue_names = list(queue_names)
        self.backend_name = backend_name
        self.worker_id = worker_id or get_random_id()
        self.tasks_per_cycle = tasks_per_cycle
        self.stopping = False
        self._wake = threading.Event()
        self._queue_worker: _CountingQueueWorker | None = None

    def cycle(self) -> int:
        """Enqueue the periodic jobs that are due, then run ready tasks: how many tasks ran."""
        if self.schedule:
            try:
                scheduler.enqueue_due()
            except Exception:  # a locked or lost database: try again next cycle
                logger.exception("The scheduler could not enqueue periodic jobs this cycle")
        if self.stopping or not self._anything_ready():
            return 0
        queue_worker = _CountingQueueWorker(
            queue_names=self.queue_names,
            interval=0,
            batch=True,  # return as soon as nothing is ready, so the scheduler gets its turn
            backend_name=self.backend_name,
            startup_delay=False,
            max_tasks=self.tasks_per_cycle,
            worker_id=self.worker_id,
        )
        self._queue_worker = queue_worker
        try:
            queue_worker.run()
        finally:
            self._queue_worker = None
        return queue_worker.ran

    def _anything_ready(self) -> bool:
        """A plain read first: django-tasks-db's claim opens a write transaction (on SQLite an
        exclusive lock on the whole file), which an idle worker polling every second must not
        take from the web processes."""
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if "*" not in self.queue_names:
            ready = ready.filter(queue_name__in=self.queue_names)
        try:
            return ready.exists()
        except OperationalError as error:  # SQLite busy with a writer: look again next cycle
            if "is locked" not in str(error):
                raise
            return False

    def run(self, *, batch: bool = False, max_cycles: int | None = None) -> None:
        """Cycle until stopped; with ``batch``, until a cycle finds nothing to run."""
        logger.info("Worker %s started", self.worker_id)
        cycles = 0
        while not self.stopping:
            ran = self.cycle()
            cycles += 1
            if (batch and not ran) or (max_cycles is not None and cycles >= max_cycles):
                break
            close_old_connections()
            if not ran:
                self._wake.wait(self.interval)
        logger.info("Worker %s stopped", self.worker_id)

    def stop(self) -> None:
        """Finish the task in hand, then leave the loop (also from another thread)."""
        self.stopping = True
        if self._queue_worker is not None:
            self._queue_worker.running = False
        self._wake.set()

    def handle_signals(self) -> None:
        """SIGTERM or Ctrl-C: finish the current task and exit; a second one exits at once."""

        def stop(signum: int, frame: FrameType | None) -> None:
            if self.stopping:
                logger.warning("Stopping now, abandoning the current task")
                sys.exit(1)
            logger.warning("%s: stopping after the current task", signal.strsignal(signum))
            self.stop()

        for name in ("SIGINT", "SIGTERM", "SIGQUIT"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), stop)

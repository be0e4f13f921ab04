"""Run the background worker: queued tasks and the periodic jobs, in one process.

    manage.py worker                 # until stopped (SIGTERM finishes the task in hand)
    manage.py worker --batch         # run what is due and queued, then exit
    manage.py worker --list          # the periodic jobs: when each last ran, when it is next due

Several workers may run at once, on one machine or several: each task and each periodic run
is claimed by one of them (see core/worker.py and core/scheduler.py).
"""

import logging
import os
from argparse import ArgumentParser, BooleanOptionalAction
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS

from core import scheduler
from core.models import ScheduledJob
from core.worker import Worker


class Command(BaseCommand):
    help = "Run queued background tasks (mail, search indexing, Wagtail's) and the periodic jobs."

    def add_arguments(self, parser: CommandParser | ArgumentParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when there is nothing to do (default: 1).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the periodic jobs that are due and every queued task, then exit.",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Only run queued tasks; leave the periodic jobs to other workers.",
        )
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Queues to take tasks from, separated by commas (default: all).",
        )
        parser.add_argument("--backend", default=DEFAULT_TASK_BACKEND_ALIAS, dest="backend_name")
        parser.add_argument(
            "--worker-id", default=None, help="Unique per worker (default: random)."
        )
        parser.add_argument(
            "--reload",
            action=BooleanOptionalAction,
            default=settings.DEBUG,
            help="Restart when the code changes (default: on when DEBUG is on).",
        )
        parser.add_argument(
            "--list",
            action="store_true",
            dest="show_schedule",
            help="Show the periodic jobs and how their last run went, then exit.",
        )

    def handle(
        self,
        *,
        interval: float,
        batch: bool,
        schedule: bool,
        queue_name: str,
        backend_name: str,
        worker_id: str | None,
        reload: bool,
        show_schedule: bool,
        verbosity: int,
        **options: Any,
    ) -> None:
        if show_schedule:
            self.list_jobs()
            return
        self.configure_logging(verbosity)
        worker = Worker(
            interval=interval,
            schedule=schedule,
            queue_names=queue_name.split(","),
            backend_name=backend_name,
            worker_id=worker_id,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":  # the child that does the work
                worker.handle_signals()
            run_with_reloader(worker.run)
            return
        worker.handle_signals()
        worker.run(batch=batch)

    def configure_logging(self, verbosity: int) -> None:
        """Each task's start and end at verbosity 1; the queue loop's own chatter from 2."""
        levels = {0: logging.ERROR, 1: logging.INFO}
        level = levels.get(verbosity, logging.DEBUG)
        for name in ("core.worker", "core.scheduler", "django_tasks"):
            logger = logging.getLogger(name)
            logger.setLevel(level)
            if not logger.hasHandlers():
                logger.addHandler(logging.StreamHandler(self.stdout))
        # django-tasks-db announces "starting" and "no more tasks" on every cycle.
        queue_logger = logging.getLogger("django_tasks_db")
        queue_logger.setLevel(logging.DEBUG if verbosity > 1 else logging.WARNING)

    def list_jobs(self) -> None:
        """One paragraph per job, for an operator checking that the schedule runs."""
        rows = {row.name: row for row in ScheduledJob.objects.all()}
        now = timezone.now()
        for job in scheduler.registered():
            row = rows.get(job.name)
            self.stdout.write(f"{job.name}: {job.task.module_path}, {job.schedule}")
            if not job.enabled:
                self.stdout.write("  switched off (SIGNPOST_SCHEDULE)")
            if row is None:
                self.stdout.write("  not run yet: the first worker to start will schedule it")
                continue
            last = (
                timezone.localtime(row.last_run_at).strftime("%Y-%m-%d %H:%M:%S")
                if row.last_run_at
                else "never"
            )
            status = row.get_last_status_display() or "not run yet"
            self.stdout.write(f"  last run: {last} ({status})")
            if row.last_error:
                self.stdout.write(f"  last error: {row.last_error}")
            late = " (overdue: is a worker running?)" if row.next_run_at < now - job.every else ""
            next_run = timezone.localtime(row.next_run_at).strftime("%Y-%m-%d %H:%M:%S")
            self.stdout.write(f"  next run: {next_run}{late}")

"""Handing work to the background worker once the change that needs it has committed.

A resident's request or an editor's publish writes rows (an outbox message, a search outbox
entry) and asks for a task that will act on them. The task is enqueued only after the commit:
a worker that picked it up earlier could not see the rows yet, and one from a transaction that
rolls back would have nothing to do. A burst of changes asks for one task, not one each:

* within one transaction, a second request for the same task adds nothing;
* after the commit, no task is enqueued while one for the same function is still waiting
  (READY) in the database queue. That waiting task has not started, so when it runs it reads
  the rows this transaction has just committed; a task that has already started may have read
  before them, so then a fresh one is enqueued.

Tasks are named by dotted path (``"eforms.tasks.send_notifications"``) and imported only at
commit time, so a module that writes outbox rows need not import the tasks that read them.
Enqueuing must never turn a stored request into an error page: a failure is logged and left to
the worker's periodic sweep, which finds the rows anyway.
"""

import logging
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class _EnqueueAfterCommit:
    """The on-commit callback, recognisable so a transaction registers it once per task."""

    def __init__(self, task_path: str) -> None:
        self.task_path = task_path
        # Django forgets a transaction's callbacks once they have run; a test that runs them
        # early (captureOnCommitCallbacks) leaves them listed, so a callback that has run no
        # longer counts.
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        enqueue_unless_waiting(self.task_path)


def enqueue_on_commit(task_path: str, using: str | None = None) -> None:
    """Enqueue the task at ``task_path`` (it takes no arguments) when this transaction commits."""
    connection = transaction.get_connection(using)
    for _savepoints, callback, _robust in connection.run_on_commit:
        if (
            isinstance(callback, _EnqueueAfterCommit)
            and callback.task_path == task_path
            and not callback.ran
        ):
            return
    transaction.on_commit(_EnqueueAfterCommit(task_path), using=using, robust=True)


def enqueue_unless_waiting(task_path: str) -> bool:
    """Enqueue the task unless one is already waiting to start. True when one was enqueued."""
    try:
        task: Task[[], Any] = import_string(task_path)
        backend = task.get_backend()
        if (
            isinstance(backend, DatabaseBackend)
            and DBTaskResult.objects.filter(
                status=TaskResultStatus.READY,
                task_path=task.module_path,
                backend_name=backend.alias,
            ).exists()
        ):
            return False
        task.enqueue()
    except Exception:  # the rows are stored; the periodic sweep will pick them up
        logger.exception("Could not enqueue %s; the next periodic sweep will run it", task_path)
        return False
    return True

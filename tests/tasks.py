"""Running the background queue from a test, as the worker would, until nothing is left.

The test settings use the real database backend (django-tasks-db), so what a request enqueues
is a row, and nothing runs until a test says so, exactly as in production nothing runs until
the worker picks it up. ``run_queued_tasks`` is that worker for a test inside one transaction
(pytest's ``db`` fixture): each ready row, highest priority first, is claimed and run through
django-tasks-db's own ``Worker.run_task``, which records the outcome and sends the same signals.

What it leaves out is the worker loop's claim transaction (``BEGIN EXCLUSIVE`` on SQLite, which
cannot open inside the test's transaction; ``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL), and the scheduler. Those are tested with the real loop and real processes in
core/tests/test_worker.py and tests/test_worker_processes.py.
"""

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER_ID = "test-run-queued-tasks"
OUR_APPS = {
    "core",
    "search",
    "personas",
    "directory",
    "eforms",
    "bins",
    "backlog",
    "webteam",
    "journeys",
    "cms",
}


def run_queued_tasks(limit: int = 5000) -> list[DBTaskResult]:
    """Run every ready task, and those they enqueue, until none is left: the rows that ran.

    Fails loudly when one of Signpost's own tasks failed, with its traceback: a test that
    expected mail to go should hear why it did not, not count an empty outbox. Wagtail's tasks
    may fail as they would in production (a reference-index update for a page the test has
    deleted since) without failing the test.
    """
    runner = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER_ID,
    )
    ran = []
    while len(ran) < limit:
        row = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS).first()
        if row is None:
            break
        row.claim(WORKER_ID)
        runner.run_task(row)
        row.refresh_from_db()
        ran.append(row)
        if row.status == TaskResultStatus.FAILED and row.task_path.split(".")[0] in OUR_APPS:
            raise AssertionError(f"{row.task_path} failed:\n{row.traceback}")
    else:
        raise AssertionError(f"Still tasks queued after {limit}: does a task enqueue itself?")
    return ran


def queued(task_path: str) -> int:
    """How many tasks for ``task_path`` wait to run (READY)."""
    return DBTaskResult.objects.ready().filter(task_path=task_path).count()

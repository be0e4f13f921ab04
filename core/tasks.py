"""The kernel's own periodic job: forgetting finished background tasks.

Every queued task leaves a row in django-tasks-db's table (the search sweep alone adds nearly
three thousand a day), kept so an operator can see what ran and why something failed. Rows of
tasks that succeeded go after a week, failed ones after a month.
"""

import datetime

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

KEEP_SUCCEEDED = datetime.timedelta(days=7)
KEEP_FAILED = datetime.timedelta(days=30)


@task(priority=-10)
def prune_task_results() -> int:
    """Delete old rows of finished tasks; returns how many went."""
    now = timezone.now()
    finished = DBTaskResult.objects.finished()
    deleted, _ = (
        finished.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_SUCCEEDED)
        | finished.filter(status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED)
    ).delete()
    return deleted

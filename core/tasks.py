"""The kernel's own tasks: forgetting finished background tasks, the nightly backup, and
the approval emails.

Every queued task leaves a row in django-tasks-db's table (the search sweep alone adds nearly
three thousand a day), kept so an operator can see what ran and why something failed. Rows of
tasks that succeeded go after a week, failed ones after a month. The same daily run forgets
the admin's create-form tokens (``CreationClaim``, core/create_once.py) after a day: a form
left open longer than that and sent again is no longer recognised.
"""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from . import audit, workflow_mail
from .backup import scheduled_backup
from .models import CreationClaim

logger = logging.getLogger(__name__)

KEEP_SUCCEEDED = datetime.timedelta(days=7)
KEEP_FAILED = datetime.timedelta(days=30)
KEEP_CREATION_CLAIMS = datetime.timedelta(days=1)


@task(priority=-10)
def prune_task_results() -> int:
    """Delete old rows of finished tasks (and old create-form tokens); returns how many tasks
    went."""
    now = timezone.now()
    finished = DBTaskResult.objects.finished()
    deleted, _ = (
        finished.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_SUCCEEDED)
        | finished.filter(status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED)
    ).delete()
    CreationClaim.objects.filter(created_at__lt=now - KEEP_CREATION_CLAIMS).delete()
    return deleted


@task(priority=-10)
def prune_audit_log() -> int:
    """Delete audit entries older than ``SIGNPOST_AUDIT_KEEP_DAYS`` (core/audit.py)."""
    return audit.prune()


MAIL_ATTEMPTS = 6
FIRST_MAIL_RETRY = datetime.timedelta(minutes=1)


@task()
def send_workflow_email(kind: str, instance_id: int, user_id: int | None, attempt: int = 1) -> bool:
    """Send one approval-workflow email (core/workflow_mail.py); if the relay cannot take it,
    try again later, with the gap doubling each time, and fail for good after six tries."""
    if workflow_mail.send(kind, instance_id, user_id):
        return True
    if attempt >= MAIL_ATTEMPTS:
        raise RuntimeError(f"Gave up sending the {kind} email after {attempt} tries")
    later = timezone.now() + FIRST_MAIL_RETRY * 2 ** (attempt - 1)
    send_workflow_email.using(run_after=later).enqueue(kind, instance_id, user_id, attempt + 1)
    return False


@task(priority=-10)
def nightly_backup() -> str:
    """Back up into SIGNPOST_BACKUP_DIR and delete backups past SIGNPOST_BACKUP_KEEP_DAYS.

    Registered only when SIGNPOST_BACKUP_DIR is set (core/apps.py). A failure fails the task,
    so ``manage.py worker --list`` shows the job as failed with the reason.
    """
    folder, deleted = scheduled_backup(
        Path(settings.SIGNPOST_BACKUP_DIR), settings.SIGNPOST_BACKUP_KEEP_DAYS
    )
    logger.info("Backup written to %s; %d expired backups deleted", folder, len(deleted))
    return str(folder)

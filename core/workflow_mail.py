"""The approval workflow's emails, sent by the background worker rather than in the request.

Wagtail tells reviewers when something is submitted to their task, and tells the editor who
submitted it when it is approved or sent back with a comment. Its signal handlers send those
emails as the signal fires, inside the editor's or reviewer's request, so a slow or hung mail
relay would hold up "Submit for approval" and "Approve" for the mail server's timeout.

Signpost takes Wagtail's places on those signals: Django keeps one receiver per ``dispatch_uid``
and sender, so ``connect`` first disconnects whatever holds Wagtail's ``dispatch_uid``s (Wagtail's
own receivers, when ``wagtail.admin`` was ready first) and then connects ours under them (when
``core`` is ready first, Wagtail's later connect is ignored). Either order of
``INSTALLED_APPS`` gives the same result. Ours enqueue ``core.tasks.send_workflow_email`` once the change commits; the
worker runs Wagtail's own notifier there, with Wagtail's templates, recipients and the
recipients' notification preferences. A send that fails is tried again with growing gaps.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import Signal
from django.utils.module_loading import import_string
from wagtail.admin import signal_handlers as wagtail_mail
from wagtail.admin.mail import Notifier
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

# kind: (signal, sender and the model of its instance, Wagtail's dispatch_uid, Wagtail's notifier)
NOTIFICATIONS: dict[str, tuple[Signal, type[TaskState] | type[WorkflowState], str, Notifier]] = {
    "task_submitted": (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        wagtail_mail.task_submission_email_notifier,
    ),
    "workflow_submitted": (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        wagtail_mail.workflow_submission_email_notifier,
    ),
    "workflow_rejected": (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        wagtail_mail.workflow_rejection_email_notifier,
    ),
    "workflow_approved": (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        wagtail_mail.workflow_approval_email_notifier,
    ),
}

SEND_TASK = "core.tasks.send_workflow_email"


class DeferredNotification:
    """A signal receiver that asks the worker to send one kind of workflow email."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, sender: type, instance: Any, user: Any = None, **kwargs: Any) -> None:
        user_id = getattr(user, "pk", None)
        transaction.on_commit(lambda: enqueue(self.kind, instance.pk, user_id), robust=True)


def enqueue(kind: str, instance_id: int, user_id: int | None) -> None:
    """Queue the email (by dotted path: the task's module imports this one)."""
    import_string(SEND_TASK).enqueue(kind, instance_id, user_id)


def connect() -> None:
    """Take Wagtail's places on its workflow signals (call from ``CoreConfig.ready``)."""
    for kind, (signal, sender, dispatch_uid, _notifier) in NOTIFICATIONS.items():
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(
            DeferredNotification(kind), sender=sender, dispatch_uid=dispatch_uid, weak=False
        )


def send(kind: str, instance_id: int, user_id: int | None) -> bool:
    """Send one workflow email now (in the worker); True when every recipient got it."""
    _signal, sender, _uid, notifier = NOTIFICATIONS[kind]
    instance = sender.objects.filter(pk=instance_id).first()
    if instance is None:  # withdrawn and deleted before the worker came to it
        return True
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return bool(notifier(instance=instance, user=user))

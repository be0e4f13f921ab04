"""The notifications outbox as operators see it: how much waits, what failed, sending it again.

The site reads these through ``eforms.api``: ``notification_queue_state`` for /healthz and the Operations
report, ``failed_messages`` and ``retry_failed_messages`` for the report's list and its buttons. Staff
who run the site need to know that a message failed and to whom it was going, not who that
was: recipients are shown masked ("j***@example.org") and the recipient's address is taken out
of the error text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TypedDict

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from core.background import enqueue_on_commit
from core.health import QueueHealth, age_seconds, queue_health

from .models import OutboxMessage
from .notifications import SEND_TASK

MASK = "***"


class NotificationQueueHealth(QueueHealth):
    """The notifications part of /healthz: also how many messages Signpost gave up on."""

    failed: int


class FailedMessage(TypedDict):
    """One message Signpost gave up on, without the resident's details."""

    id: int
    channel: str  # "Email" or "Text message"
    recipient: str  # masked: "j***@example.org", "07***123"
    subject: str
    reference: str  # the request's, or "" for a message about no request
    attempts: int
    last_error: str  # with the recipient's address masked
    queued_at: datetime.datetime
    failed_at: datetime.datetime | None
    is_failure_alert: bool


def notification_queue_state(now: datetime.datetime | None = None) -> NotificationQueueHealth:
    """Messages waiting to be sent and how long the oldest has waited since it was written.

    "degraded" past NOTIFICATIONS_QUEUE_MAX_AGE_SECONDS: a message that old has failed several
    times (the relay or GOV.UK Notify is failing) or nothing is sending at all. Messages given
    up on are counted (``failed``) but do not degrade the queue: their owners are alerted, and
    the Operations report lists them.
    """
    now = now or timezone.now()
    pending = OutboxMessage.objects.filter(status=OutboxMessage.PENDING)
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    base = queue_health(
        pending.count(),
        age_seconds(oldest, now),
        int(settings.NOTIFICATIONS_QUEUE_MAX_AGE_SECONDS),
        "The oldest of {depth} message(s) to residents or staff has waited {age} s to be sent "
        "(more than {limit} s): is the mail relay or GOV.UK Notify failing, or no worker running?",
    )
    failed = OutboxMessage.objects.filter(status=OutboxMessage.FAILED).count()
    return {**base, "failed": failed}


def mask_recipient(address: str) -> str:
    """Enough of an address to tell messages apart, too little to identify the person.

    ``jane.smith@example.org`` → ``j***@example.org``; ``07700900123`` → ``07***123``.
    """
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if at:
        return f"{local[:1]}{MASK}@{domain}"
    if len(address) <= 5:
        return MASK
    return f"{address[:2]}{MASK}{address[-3:]}"


def _scrub(text: str, address: str) -> str:
    """The error text with the recipient's address replaced by its masked form."""
    address = address.strip()
    return text.replace(address, mask_recipient(address)) if address else text


def failed_messages(limit: int = 200) -> list[FailedMessage]:
    """The messages Signpost gave up on, most recent failure first."""
    messages = (
        OutboxMessage.objects.filter(status=OutboxMessage.FAILED)
        .select_related("submission")
        .order_by("-failed_at", "-pk")[:limit]
    )
    return [
        {
            "id": message.pk,
            "channel": message.get_channel_display(),
            "recipient": mask_recipient(message.to),
            "subject": message.subject,
            "reference": message.submission.reference if message.submission else "",
            "attempts": message.attempts,
            "last_error": _scrub(message.last_error, message.to),
            "queued_at": message.created_at,
            "failed_at": message.failed_at,
            "is_failure_alert": message.is_failure_alert,
        }
        for message in messages
    ]


def retry_failed_messages(ids: Iterable[int] | None = None) -> int:
    """Send failed messages again (all of them, or those in ``ids``): how many will be tried.

    Each goes back to waiting with no attempts counted, so it goes through the whole back-off
    again before Signpost gives up (and alerts) a second time. The send task is enqueued when
    the caller's transaction commits. A message that is no longer failed is left alone, so a
    second click changes nothing.
    """
    messages = OutboxMessage.objects.filter(status=OutboxMessage.FAILED)
    if ids is not None:
        messages = messages.filter(pk__in=list(ids))
    retried = messages.update(
        status=OutboxMessage.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        failed_at=None,
    )
    if retried:
        enqueue_on_commit(SEND_TASK)
    return retried

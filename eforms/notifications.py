"""Messages to residents and staff, through an outbox so nothing is lost when mail is down.

Every message is written to ``OutboxMessage`` in the same transaction as the change it reports.
Sending is tried straight after commit; a failure only leaves the row for
``manage.py send_notifications``, which retries with growing gaps. A submission never waits
for, or fails because of, a mail server.

Email goes through Django's email backend unless ``NOTIFY_API_KEY`` is set, when email and text
messages go through GOV.UK Notify. Notify sends from templates: set
``NOTIFY_EMAIL_TEMPLATE_ID`` (a template whose subject is ((subject)) and body is ((body)))
and ``NOTIFY_SMS_TEMPLATE_ID`` (body ((body))).
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 6 * 60 * 60


class NotConfigured(Exception):
    pass


# Every text message starts with the council's name ("Northbrook Borough Council: ...") so the
# resident knows who it is from. The name is a site setting, which belongs to cms, above eforms:
# cms hands over a function instead of eforms importing it (see CmsConfig.ready).
_council_name_provider: Callable[[HttpRequest | None], str] | None = None


def register_council_name(provider: Callable[[HttpRequest | None], str]) -> None:
    """``provider(request or None) -> str``: the council's name for the request's site (or the
    default site when there is no request, e.g. a status change made by staff). The last
    registration wins."""
    global _council_name_provider
    _council_name_provider = provider


def council_name(request: HttpRequest | None = None) -> str:
    """The name that signs text messages; Wagtail's site name when nothing is registered."""
    name = _council_name_provider(request) if _council_name_provider is not None else ""
    return name or settings.WAGTAIL_SITE_NAME


def queue(to, body, *, subject="", channel=OutboxMessage.EMAIL, submission=None):
    """Write a message to the outbox and try to send it once the transaction commits."""
    message = OutboxMessage.objects.create(
        channel=channel, to=to, subject=subject, body=body, submission=submission
    )
    transaction.on_commit(lambda: send_now([message.pk]))
    return message


def backoff(attempts):
    """1 minute, then doubling, at most 6 hours."""
    return datetime.timedelta(
        seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS)
    )


def notify_client():
    from notifications_python_client.notifications import NotificationsAPIClient

    return NotificationsAPIClient(settings.NOTIFY_API_KEY)


def deliver(message):
    """Send one message; raises on failure."""
    api_key = getattr(settings, "NOTIFY_API_KEY", "")
    if message.channel == OutboxMessage.SMS:
        template_id = getattr(settings, "NOTIFY_SMS_TEMPLATE_ID", "")
        if not api_key or not template_id:
            raise NotConfigured("Text messages need NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID")
        notify_client().send_sms_notification(
            phone_number=message.to, template_id=template_id, personalisation={"body": message.body}
        )
        return
    if api_key:
        template_id = getattr(settings, "NOTIFY_EMAIL_TEMPLATE_ID", "")
        if not template_id:
            raise NotConfigured("Email through GOV.UK Notify needs NOTIFY_EMAIL_TEMPLATE_ID")
        notify_client().send_email_notification(
            email_address=message.to,
            template_id=template_id,
            personalisation={"subject": message.subject, "body": message.body},
        )
        return
    EmailMessage(subject=message.subject, body=message.body, to=[message.to]).send(
        fail_silently=False
    )


def attempt(message):
    """Try one message and record the outcome. Returns True when it went."""
    now = timezone.now()
    try:
        deliver(message)
    except Exception as error:  # any failure (network, Notify, config) is retried, never raised
        message.attempts += 1
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= MAX_ATTEMPTS or isinstance(error, NotConfigured):
            message.status = OutboxMessage.FAILED
        message.next_attempt_at = now + backoff(message.attempts)
        message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        logger.warning("Could not send outbox message %s: %s", message.pk, message.last_error)
        return False
    message.attempts += 1
    message.status = OutboxMessage.SENT
    message.sent_at = now
    message.last_error = ""
    message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return True


def send_now(ids):
    """Called after commit: try these messages once. Never raises."""
    for message in OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.PENDING):
        try:
            attempt(message)
        except Exception:  # even the bookkeeping failing must not break the resident's request
            logger.exception("Outbox message %s could not be recorded", message.pk)


def due_messages(now=None, include_waiting=False):
    now = now or timezone.now()
    messages = OutboxMessage.objects.filter(status=OutboxMessage.PENDING)
    if not include_waiting:
        messages = messages.filter(Q(next_attempt_at__lte=now))
    return messages.order_by("next_attempt_at", "pk")


def drain(limit=500, include_waiting=False):
    """Send what is due. Returns (sent, failed)."""
    sent = failed = 0
    for message in due_messages(include_waiting=include_waiting)[:limit]:
        with transaction.atomic():
            locked = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message.pk, status=OutboxMessage.PENDING)
                .first()
            )
            if locked is None:
                continue
            if attempt(locked):
                sent += 1
            else:
                failed += 1
    return sent, failed

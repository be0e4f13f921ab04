"""Messages to residents and staff, through an outbox so nothing is lost when mail is down.

Every message is written to ``OutboxMessage`` in the same transaction as the change it reports,
and that transaction asks the background worker to send it once it commits
(``eforms.tasks.send_notifications``). Nothing is sent inside the resident's request: a hung
mail relay or a slow GOV.UK Notify costs the worker time, never the resident. A failure leaves
the row for the worker's sweep every minute, which retries with growing gaps.

Each message is claimed before it is sent with one conditional UPDATE that moves its next
attempt past a lease (``NOTIFICATIONS_SENDING_LEASE_SECONDS``, 10 minutes): with several workers, on PostgreSQL or SQLite, one
message is sent by one of them, and no transaction is held open while a mail server answers.
A worker that dies mid-send leaves the message to be tried again when the lease runs out.

When the mail relay (or Notify) cannot be reached at all, a sweep stops trying that way of
sending after the first failure: a hung relay costs one timeout per sweep, not one per message.

Email goes through Django's email backend unless ``NOTIFY_API_KEY`` is set, when email and text
messages go through GOV.UK Notify. Notify sends from templates: set
``NOTIFY_EMAIL_TEMPLATE_ID`` (a template whose subject is ((subject)) and body is ((body)))
and ``NOTIFY_SMS_TEMPLATE_ID`` (body ((body))).

A message Signpost gives up on (``MAX_ATTEMPTS`` failures, or a way of sending that is not set
up) is marked failed, and one alert is written through this same outbox to the owning delivery
unit's contact address (``SIGNPOST_OPERATIONS_EMAIL``, then ``ADMINS``, when the unit has none).
The alert names the request's reference and what failed, never the resident's details, and
links to the Operations report, where staff send failed messages again. An alert that fails
alerts nobody.
"""

import datetime
import logging
import smtplib
import socket
from collections.abc import Callable

import requests
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from notifications_python_client.notifications import NotificationsAPIClient

from core.background import enqueue_on_commit

from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 6 * 60 * 60
# Longer than any one send can take (EMAIL_TIMEOUT, Notify's timeout): a claimed message is
# not tried by another worker until this has passed. NOTIFICATIONS_SENDING_LEASE_SECONDS changes it.
SENDING_LEASE = datetime.timedelta(minutes=10)
SEND_TASK = "eforms.tasks.send_notifications"
# Failures that mean the relay or Notify could not be reached, rather than this message being
# refused: the rest of a sweep would only wait for the same timeout again.
UNREACHABLE = (
    TimeoutError,
    ConnectionError,
    socket.gaierror,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    requests.ConnectionError,
    requests.Timeout,
)


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


# The failure alert links to the Operations report, which the site (cms, above eforms) serves:
# cms hands over a function that gives its address (see CmsConfig.ready).
_operations_report_url: Callable[[], str] | None = None


def register_operations_report(provider: Callable[[], str]) -> None:
    """``provider() -> str``: the admin path of the report that lists failed messages."""
    global _operations_report_url
    _operations_report_url = provider


def operations_report_url() -> str:
    """The full address of the Operations report (the admin's home while none is registered)."""
    path = _operations_report_url() if _operations_report_url is not None else "/admin/"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def queue(
    to,
    body,
    *,
    subject="",
    channel=OutboxMessage.EMAIL,
    submission=None,
    draft=None,
    is_failure_alert=False,
):
    """Write a message to the outbox; the worker sends it once the transaction commits."""
    message = OutboxMessage.objects.create(
        channel=channel,
        to=to,
        subject=subject,
        body=body,
        submission=submission,
        draft=draft,
        is_failure_alert=is_failure_alert,
    )
    enqueue_on_commit(SEND_TASK)
    return message


def backoff(attempts):
    """1 minute, then doubling, at most 6 hours."""
    return datetime.timedelta(
        seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS)
    )


def notify_client():

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


def attempt(message: OutboxMessage) -> Exception | None:
    """Try one message and record the outcome: None when it went, else what went wrong."""
    now = timezone.now()
    try:
        deliver(message)
    except Exception as error:  # any failure (network, Notify, config) is retried, never raised
        message.attempts += 1
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        gave_up = message.attempts >= MAX_ATTEMPTS or isinstance(error, NotConfigured)
        if gave_up:
            message.status = OutboxMessage.FAILED
            message.failed_at = now
        message.next_attempt_at = now + backoff(message.attempts)
        # The failure and its alert are stored together, or neither is.
        with transaction.atomic():
            message.save(
                update_fields=["attempts", "last_error", "status", "next_attempt_at", "failed_at"]
            )
            if gave_up:
                alert_failure(message, error)
        # The error's class only: its text may quote the recipient's address.
        logger.warning(
            "Could not send outbox message %s (%s)%s",
            message.pk,
            type(error).__name__,
            ": gave up" if gave_up else "",
        )
        return error
    message.attempts += 1
    message.status = OutboxMessage.SENT
    message.sent_at = now
    message.last_error = ""
    message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return None


def alert_recipients(message: OutboxMessage) -> list[str]:
    """Who hears that ``message`` failed: the owning delivery unit's contact address, else
    ``SIGNPOST_OPERATIONS_EMAIL``, else the ``ADMINS``' addresses (maybe nobody)."""
    submission = message.submission
    if submission is not None:
        unit = submission.delivery_unit or submission.form.delivery_unit
        if unit is not None and unit.contact_email:
            return [unit.contact_email]
    fallback = getattr(settings, "SIGNPOST_OPERATIONS_EMAIL", "")
    if fallback:
        return [fallback]
    return [address for _name, address in getattr(settings, "ADMINS", [])]


def alert_failure(message: OutboxMessage, error: Exception) -> list[OutboxMessage]:
    """Queue one alert that ``message`` will not be sent, through the outbox (so it is retried).

    Staff are told the request's reference, the form, the way of sending and why Signpost gave
    up, and where to send it again; not who it was for, what it said or the error's own text,
    which may quote the resident's address. A failed alert is not alerted about.
    """
    if message.is_failure_alert:
        return []
    recipients = alert_recipients(message)
    if not recipients:
        logger.warning("Outbox message %s failed and nobody is set up to hear of it", message.pk)
        return []
    submission = message.submission
    what = "A text message" if message.channel == OutboxMessage.SMS else "An email"
    about = f" about request {submission.reference} ({submission.form_title})" if submission else ""
    if isinstance(error, NotConfigured):
        why = (
            "It cannot be sent because this way of sending is not set up: "
            f"{error}. Ask whoever runs Signpost to set it up."
        )
    else:
        why = (
            f"Signpost tried {message.attempts} times over several hours and stopped trying. "
            f"The last attempt failed with {type(error).__name__}."
        )
    body = "\n\n".join(
        [
            f"{what}{about} could not be sent.",
            why,
            "Whoever it was for has not received it. If it was for the resident and they need "
            "to know, contact them another way (their details are in the request).",
            f"See the failed message and send it again from the Operations report: "
            f"{operations_report_url()}",
        ]
    )
    reference = f" about {submission.reference}" if submission else ""
    subject = f"Not sent: a message{reference}"
    return [
        queue(to, body, subject=subject, submission=submission, is_failure_alert=True)
        for to in recipients
    ]


def due_messages(now=None, include_waiting=False):
    now = now or timezone.now()
    messages = OutboxMessage.objects.filter(status=OutboxMessage.PENDING)
    if not include_waiting:
        messages = messages.filter(Q(next_attempt_at__lte=now))
    return messages.order_by("next_attempt_at", "pk")


def transport(message: OutboxMessage) -> str:
    """How a message leaves: through GOV.UK Notify, or Django's email backend (the relay)."""
    if message.channel == OutboxMessage.SMS or getattr(settings, "NOTIFY_API_KEY", ""):
        return "notify"
    return "email"


def claim(message: OutboxMessage, now: datetime.datetime) -> bool:
    """Take the message for one attempt, unless another worker took or sent it since we read it.

    One UPDATE that matches only the row as we read it (still pending, same next attempt) and
    moves the next attempt past the lease. Whichever worker's UPDATE changes the row sends.
    """
    claimed = OutboxMessage.objects.filter(
        pk=message.pk,
        status=OutboxMessage.PENDING,
        next_attempt_at=message.next_attempt_at,
    ).update(next_attempt_at=now + sending_lease())
    return claimed == 1


def sending_lease() -> datetime.timedelta:
    """How long a claimed message is left to the worker that claimed it (the setting, or 10 min).

    A worker that dies mid-send holds its message this long; then the next sweep sends it.
    """
    seconds = getattr(settings, "NOTIFICATIONS_SENDING_LEASE_SECONDS", None)
    return SENDING_LEASE if seconds is None else datetime.timedelta(seconds=seconds)


def drain(limit: int = 500, include_waiting: bool = False) -> tuple[int, int]:
    """Send what is due (with ``include_waiting``, also what waits out its back-off).

    Returns (sent, failed). A way of sending that cannot be reached is not tried again in this
    run; its messages stay due for the next sweep.
    """
    sent = failed = 0
    unreachable: set[str] = set()
    for message in due_messages(include_waiting=include_waiting)[:limit]:
        if transport(message) in unreachable or not claim(message, timezone.now()):
            continue
        error = attempt(message)
        if error is None:
            sent += 1
            continue
        failed += 1
        if isinstance(error, UNREACHABLE):
            unreachable.add(transport(message))
    return sent, failed

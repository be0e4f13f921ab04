"""The notifications outbox for operators: its health, the messages Signpost gave up on, sending
them again, and the alert to the owning unit when a message finally fails.

Mail goes through Django's real SMTP backend to a real server on the loopback interface (an
aiosmtpd sink, tests/harness/smtp.py), or to a port where nothing listens when the relay is down.
"""

import datetime

import pytest
from django.utils import timezone

from eforms import notifications
from eforms.api import (
    failed_messages,
    notification_queue_state,
    retry_failed_messages,
)
from eforms.models import OutboxMessage
from eforms.operations import mask_recipient
from eforms.services import submit
from tests.harness.smtp import MailSink, free_port
from tests.tasks import queued, run_queued_tasks

from .test_submissions import ANSWERS

pytestmark = pytest.mark.django_db

RESIDENT = "sam@resident.example"
UNIT_ADDRESS = "streets@northbrook.example"
SEND_TASK = "eforms.tasks.send_notifications"


@pytest.fixture
def relay(settings):
    """Django's SMTP backend pointed at a working mail server."""
    with MailSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
            "127.0.0.1",
            sink.port,
            5,
        )
        yield sink


@pytest.fixture
def no_notify(settings):
    """Text messages cannot be sent: GOV.UK Notify is not set up."""
    settings.NOTIFY_API_KEY = ""
    settings.NOTIFY_SMS_TEMPLATE_ID = ""


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``committed(fn, ...)``: call it as if its transaction committed (the test's never does),
    so the tasks it asks for are queued."""

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """Run the queue as the worker would, with the tasks that tasks' own commits ask for."""

    def run():
        for _ in range(10):
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                run_queued_tasks()
            if not callbacks:
                return
        raise AssertionError("The queue never emptied")

    return run


@pytest.fixture
def submitted(committed):
    def send(form, **answers):
        return committed(submit, form, {**ANSWERS, **answers})

    return send


@pytest.fixture
def texting(submitted):
    return lambda form: submitted(form, phone={"number": "07700 900 982", "text_updates": True})


# -- The queue's health ----------------------------------------------------------------------


def test_the_queue_is_degraded_once_its_oldest_message_waits_past_the_limit(
    form, settings, submitted
):
    settings.NOTIFICATIONS_QUEUE_MAX_AGE_SECONDS = 600
    assert notification_queue_state() == {
        "status": "ok",
        "depth": 0,
        "oldest_age_seconds": None,
        "max_age_seconds": 600,
        "failed": 0,
    }
    submitted(form)
    state = notification_queue_state()
    assert state["status"] == "ok" and state["depth"] == 1 and state["oldest_age_seconds"] < 60

    OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    state = notification_queue_state()
    assert state["status"] == "degraded" and state["oldest_age_seconds"] >= 660
    assert "more than 600 s" in state["detail"] and "mail relay" in state["detail"]

    # A message given up on is counted, and no longer waits: the owners were alerted.
    OutboxMessage.objects.update(status=OutboxMessage.FAILED)
    state = notification_queue_state()
    assert state["status"] == "ok" and state["depth"] == 0 and state["failed"] == 1


# -- What operators see ------------------------------------------------------------------------


def test_recipients_are_masked():
    assert mask_recipient("jane.smith@example.org") == "j***@example.org"
    assert mask_recipient("07700900123") == "07***123"
    assert mask_recipient("999") == "***"


def test_failed_messages_hide_who_they_were_for(form, submitted):
    submission = submitted(form)
    message = OutboxMessage.objects.get(to=RESIDENT)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.FAILED,
        attempts=10,
        failed_at=timezone.now(),
        last_error=f"SMTPRecipientsRefused: {{'{RESIDENT}': (550, b'No such user')}}",
    )
    (row,) = failed_messages()
    assert row["recipient"] == "s***@resident.example"
    assert row["reference"] == submission.reference
    assert RESIDENT not in row["last_error"] and "s***@resident.example" in row["last_error"]
    assert row["attempts"] == 10 and row["channel"] == "Email"


def test_sending_again_starts_the_back_off_from_the_beginning_once_committed(
    form, django_capture_on_commit_callbacks, relay, submitted
):
    submitted(form)
    OutboxMessage.objects.update(next_attempt_at=timezone.now() + datetime.timedelta(hours=1))
    run_queued_tasks()  # the send the submission asked for: the message is not due
    OutboxMessage.objects.update(
        status=OutboxMessage.FAILED, attempts=10, failed_at=timezone.now(), last_error="x"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        assert retry_failed_messages() == 1
        assert queued(SEND_TASK) == 0  # nothing is asked of the worker before the commit
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.PENDING and message.attempts == 0
    assert message.failed_at is None and message.next_attempt_at <= timezone.now()
    for callback in callbacks:
        callback()
    assert queued(SEND_TASK) == 1
    assert retry_failed_messages() == 0  # a second click finds nothing failed

    run_queued_tasks()
    message.refresh_from_db()
    assert message.status == OutboxMessage.SENT
    assert relay.recipients() == {RESIDENT: 1}


def test_sending_one_again_leaves_the_others(form, submitted):
    submitted(form)
    submitted(form, email="alex@resident.example")
    OutboxMessage.objects.update(status=OutboxMessage.FAILED, failed_at=timezone.now())
    first = OutboxMessage.objects.get(to=RESIDENT)
    assert retry_failed_messages([first.pk]) == 1
    assert set(OutboxMessage.objects.values_list("to", "status")) == {
        (RESIDENT, OutboxMessage.PENDING),
        ("alex@resident.example", OutboxMessage.FAILED),
    }


# -- The alert when a message finally fails ----------------------------------------------------


def test_a_text_that_cannot_be_sent_alerts_the_owning_unit_without_the_residents_details(
    form, relay, no_notify, settings, texting, worker
):
    settings.WAGTAILADMIN_BASE_URL = "https://www.northbrook.example"
    submission = texting(form)
    worker()

    sms = OutboxMessage.objects.get(channel=OutboxMessage.SMS)
    assert sms.status == OutboxMessage.FAILED and sms.failed_at is not None
    alert = OutboxMessage.objects.get(is_failure_alert=True)
    assert alert.status == OutboxMessage.SENT and alert.to == UNIT_ADDRESS
    (received,) = relay.messages_to(UNIT_ADDRESS)
    assert received["Subject"] == f"Not sent: a message about {submission.reference}"
    text = received.get_payload(decode=True).decode()
    assert f"A text message about request {submission.reference}" in text
    assert "not set up" in text
    assert "https://www.northbrook.example/admin/reports/operations/" in text
    for personal in ("07700", "900 982", "Sam", "Resident", RESIDENT, "Mill Lane", "Sinkhole"):
        assert personal not in text and personal not in received["Subject"], personal
    # The resident's acknowledgement went; the alert is the only other message.
    assert relay.recipients() == {RESIDENT: 1, UNIT_ADDRESS: 1}


def test_the_last_of_ten_failures_alerts_once_and_the_alert_waits_for_the_relay(
    form, settings, relay, submitted, worker
):
    """Relay down: the tenth failure gives up and queues the alert, which is retried like any
    message until the relay is back, and then delivered once."""
    settings.EMAIL_PORT = free_port()  # nothing listens: the relay is down
    submission = submitted(form)
    message = OutboxMessage.objects.get(to=RESIDENT)
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=notifications.MAX_ATTEMPTS - 1)
    worker()
    message.refresh_from_db()
    assert message.status == OutboxMessage.FAILED and message.attempts == 10
    alert = OutboxMessage.objects.get(is_failure_alert=True)
    assert alert.submission == submission and alert.to == UNIT_ADDRESS
    assert alert.status == OutboxMessage.PENDING and alert.attempts == 1  # the relay is down
    assert "tried 10 times" in alert.body

    settings.EMAIL_PORT = relay.port  # the relay recovers
    OutboxMessage.objects.filter(pk=alert.pk).update(next_attempt_at=timezone.now())
    notifications.drain()
    notifications.drain(include_waiting=True)
    alert.refresh_from_db()
    assert alert.status == OutboxMessage.SENT
    assert relay.recipients() == {UNIT_ADDRESS: 1}
    assert OutboxMessage.objects.filter(is_failure_alert=True).count() == 1


def test_an_alert_that_fails_alerts_nobody(form, settings, relay, submitted, worker):
    """Email through GOV.UK Notify without its template: every email fails for good, the
    alert too, and that is where it stops."""
    settings.NOTIFY_API_KEY = "not-used"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = ""
    submitted(form)
    worker()
    assert set(OutboxMessage.objects.values_list("is_failure_alert", "status")) == {
        (False, OutboxMessage.FAILED),
        (True, OutboxMessage.FAILED),
    }
    assert OutboxMessage.objects.count() == 2
    worker()
    notifications.drain(include_waiting=True)
    assert OutboxMessage.objects.count() == 2
    assert relay.recipients() == {}


def test_without_a_unit_address_the_operations_address_hears_of_it(
    form, relay, no_notify, settings, texting, worker
):
    form.delivery_unit.contact_email = ""
    form.delivery_unit.save()
    settings.SIGNPOST_OPERATIONS_EMAIL = "digital@northbrook.example"
    texting(form)
    worker()
    assert relay.recipients()["digital@northbrook.example"] == 1


def test_then_the_admins_and_otherwise_the_log(
    form, relay, no_notify, settings, caplog, texting, worker
):
    form.delivery_unit.contact_email = ""
    form.delivery_unit.save()
    settings.SIGNPOST_OPERATIONS_EMAIL = ""
    settings.ADMINS = [("Web team", "web@northbrook.example"), ("Duty", "duty@northbrook.example")]
    texting(form)
    worker()
    assert relay.recipients()["web@northbrook.example"] == 1
    assert relay.recipients()["duty@northbrook.example"] == 1

    settings.ADMINS = []
    texting(form)
    worker()
    assert OutboxMessage.objects.filter(is_failure_alert=True).count() == 2  # no new one
    assert "nobody is set up to hear of it" in caplog.text
    assert "07700" not in caplog.text and RESIDENT not in caplog.text

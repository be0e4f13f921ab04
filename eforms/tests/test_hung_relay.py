"""A mail relay that hangs never reaches the resident.

The runtime issue: with a hung SMTP relay each message cost EMAIL_TIMEOUT inside the request,
four API submissions took 20 to 40 seconds, and a form with two staff addresses passed
gunicorn's 30 second limit, so the resident saw an error page for a request we had stored.

Here the relay is real (a socket that accepts and never answers, tests/harness/smtp.py), so is
Django's SMTP backend, and so is the worker (core/worker.py, with django-tasks-db's claim
loop). Requests only write rows; the worker meets the hung relay, gives up after one timeout,
and delivers everything exactly once to a working server (aiosmtpd) when the relay recovers.
"""

import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import ScheduledJob
from core.worker import Worker
from eforms import notifications
from eforms.models import OutboxMessage, Submission
from tests.harness.smtp import HungSMTPServer, MailSink
from tests.site import fresh_home_page
from tests.tasks import queued

from .conftest import make_form
from .test_flow import fill_to_check
from .test_submissions import ANSWERS, post_api

pytestmark = pytest.mark.django_db(transaction=True)

SUBMISSIONS = 20
EMAIL_TIMEOUT = 2
STAFF = ["streets@northbrook.example", "duty-officer@northbrook.example"]
# Each request is measured in this process: the processor time the server spends on it (this
# thread's CPU time: the test client runs the view here, with no network). Wall time is printed,
# not asserted: on a loaded machine it measures the other processes. That no request waited for
# the relay is proved by the relay itself: it counts every connection, and sees none.
SERVER_SECONDS = 1.0


@pytest.fixture
def hung_relay(settings):
    """Django's SMTP backend pointed at a relay that accepts connections and never answers."""
    with HungSMTPServer() as relay:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", relay.port
        settings.EMAIL_TIMEOUT = EMAIL_TIMEOUT
        yield relay


@pytest.fixture
def staffed_form(unit):
    """A form that alerts two staff addresses, like the one that hit gunicorn's limit."""
    fresh_home_page()  # a transactional test starts empty: the locale, the site
    return make_form(unit, slug="staffed-report", notify_emails="\n".join(STAFF))


def timed(request):
    """The response, the server's CPU seconds on it, and the wall-clock seconds."""
    started, cpu_started = time.perf_counter(), time.thread_time()
    response = request()
    return response, time.thread_time() - cpu_started, time.perf_counter() - started


def test_twenty_submissions_answer_at_once_and_are_delivered_once_when_the_relay_recovers(
    client, staffed_form, hung_relay, settings
):
    residents = [f"resident{number}@resident.example" for number in range(SUBMISSIONS)]
    # A warm server: one refused submission first (templates, URL map, caches), like a
    # gunicorn worker that has served before. It stores nothing and sends nothing.
    assert post_api(client, staffed_form.slug, {}).status_code == 400
    timings, walls = [], []
    for address in residents:
        response, seconds, wall = timed(
            lambda address=address: post_api(
                client, staffed_form.slug, {**ANSWERS, "email": address}
            )
        )
        assert response.status_code == 201, response.content
        timings.append(seconds)
        walls.append(wall)
    print(
        "\nAPI submissions with a hung relay, server CPU seconds each: "
        + " ".join(f"{seconds:.3f}" for seconds in timings)
        + f"\nslowest {max(timings):.3f}, mean {sum(timings) / len(timings):.3f}"
        + f"; wall-clock slowest {max(walls):.3f}, mean {sum(walls) / len(walls):.3f}"
    )
    assert max(timings) < SERVER_SECONDS
    assert hung_relay.connections == 0  # no request so much as opened a connection to it
    assert Submission.objects.filter(status=Submission.ACKNOWLEDGED).count() == SUBMISSIONS
    assert OutboxMessage.objects.filter(status=OutboxMessage.PENDING).count() == SUBMISSIONS * 3
    # Twenty commits asked for one send: a burst queues one task, not one each.
    assert queued("eforms.tasks.send_notifications") == 1

    # The worker meets the hung relay: one timeout, then it leaves the rest for the next sweep.
    started = time.perf_counter()
    Worker(interval=0.05, schedule=False).run(batch=True)
    outage_seconds = time.perf_counter() - started
    assert hung_relay.connections == 1
    assert outage_seconds < EMAIL_TIMEOUT * 3, outage_seconds
    tried = OutboxMessage.objects.get(attempts=1)
    assert tried.status == OutboxMessage.PENDING and "SMTPServerDisconnected" in tried.last_error
    assert not OutboxMessage.objects.filter(status=OutboxMessage.SENT).exists()

    with MailSink() as sink:
        settings.EMAIL_PORT = sink.port  # the relay recovers
        # The worker, with its scheduler: the retry sweep sends everything that is due...
        Worker(interval=0.05).run(batch=True)
        assert OutboxMessage.objects.filter(status=OutboxMessage.PENDING).count() == 1
        # ...and a minute later, once its back-off has passed, the one tried during the outage.
        a_minute_on = timezone.now()
        OutboxMessage.objects.filter(pk=tried.pk).update(next_attempt_at=a_minute_on)
        ScheduledJob.objects.filter(name="notifications-retry").update(next_run_at=a_minute_on)
        Worker(interval=0.05).run(batch=True)
        # Another sweep, and an operator's send_notifications, find nothing left to send.
        ScheduledJob.objects.filter(name="notifications-retry").update(next_run_at=timezone.now())
        Worker(interval=0.05).run(batch=True)
        call_command("send_notifications", "--now")

    received = sink.recipients()
    assert {address: received[address] for address in residents} == dict.fromkeys(residents, 1)
    assert {address: received[address] for address in STAFF} == dict.fromkeys(STAFF, SUBMISSIONS)
    assert sum(received.values()) == SUBMISSIONS * 3
    for address in residents:
        (acknowledgement,) = sink.messages_to(address)
        reference = Submission.objects.get(email=address).reference
        assert reference in acknowledgement["Subject"]
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.SENT).exists()


def test_the_final_send_answers_at_once_with_a_hung_relay(client, staffed_form, hung_relay):
    """The resident's "Accept and send" on the HTML form, with two staff addresses to alert."""
    fill_to_check(client, staffed_form)
    response, seconds, wall = timed(
        lambda: client.post(f"/forms/{staffed_form.slug}/check-your-answers/")
    )
    print(f"\nFinal send with a hung relay: {seconds:.3f} s of server CPU ({wall:.3f} s wall)")
    assert response.status_code == 302 and "/confirmation/" in response["Location"]
    assert seconds < SERVER_SECONDS
    assert hung_relay.connections == 0
    assert OutboxMessage.objects.filter(status=OutboxMessage.PENDING).count() == 3
    assert client.get(response["Location"]).status_code == 200


def test_a_hung_relay_costs_a_sweep_one_timeout_not_one_per_message(hung_relay, staffed_form):
    """Ten messages due, the relay hung: the sweep tries one, then leaves the rest due."""
    for number in range(10):
        OutboxMessage.objects.create(to=f"r{number}@resident.example", subject="Hi", body="Hi")
    started = time.perf_counter()
    sent, failed = notifications.drain()
    seconds = time.perf_counter() - started
    assert (sent, failed) == (0, 1)
    assert seconds < EMAIL_TIMEOUT * 2, seconds
    assert (
        OutboxMessage.objects.filter(attempts=0, next_attempt_at__lte=timezone.now()).count() == 9
    )


def test_a_message_held_by_a_dead_worker_goes_once_its_lease_runs_out(settings, staffed_form):
    """A worker claimed the message and died before sending: nobody else sends it until the
    lease (NOTIFICATIONS_SENDING_LEASE_SECONDS) has passed, then the next sweep does, once."""
    settings.NOTIFICATIONS_SENDING_LEASE_SECONDS = 2
    message = OutboxMessage.objects.create(to="held@resident.example", subject="Hi", body="Hi")
    assert notifications.claim(message, timezone.now())  # the worker that then died
    with MailSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        assert notifications.drain() == (0, 0)  # still its lease
        time.sleep(2.2)
        assert notifications.drain() == (1, 0)
        assert notifications.drain() == (0, 0)
    assert sink.recipients() == {"held@resident.example": 1}
    message.refresh_from_db()
    assert message.status == OutboxMessage.SENT

"""Reports › Operations: the queues, the messages Signpost gave up on (masked), parked search
changes and the periodic jobs, for superusers and the central web team only; its buttons are
POSTs with CSRF that only change rows and leave the work to the worker."""

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.tests.factories import DeliveryUnitFactory, UserFactory
from eforms.models import OutboxMessage
from eforms.tests.factories import FormDefinitionFactory, SubmissionFactory
from search.models import OutboxEntry
from tests.tasks import queued

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/operations/"
RETRY_ALL = "/admin/reports/operations/messages/retry/"
RETRY_PARKED = "/admin/reports/operations/search/retry/"
RESIDENT = "jane.smith@resident.example"


def retry_one(message):
    return f"/admin/reports/operations/messages/{message.pk}/retry/"


@pytest.fixture
def failed(home_page, django_capture_on_commit_callbacks):
    """A message Signpost gave up on. The setup commits, as it would have long before (so the
    tasks it asks for are queued), and the worker has run them: the queue starts empty."""
    with django_capture_on_commit_callbacks(execute=True):
        unit = DeliveryUnitFactory(slug="street-scene", name="Street scene")
        submission = SubmissionFactory(
            form=FormDefinitionFactory(delivery_unit=unit), delivery_unit=unit
        )
    DBTaskResult.objects.all().delete()
    return OutboxMessage.objects.create(
        to=RESIDENT,
        subject=f"Update on {submission.reference}: Resolved",
        body="Your request is resolved.",
        submission=submission,
        status=OutboxMessage.FAILED,
        attempts=10,
        failed_at=timezone.now(),
        last_error=f"SMTPRecipientsRefused: {{'{RESIDENT}': (550, b'Mailbox unavailable')}}",
    )


@pytest.fixture
def web_team(db):
    return UserFactory(web_team=True)


@pytest.fixture
def unit_editor(db):
    return UserFactory(unit_editor=True, units=[DeliveryUnitFactory(slug="street-scene")])


def test_the_web_team_sees_every_queue_and_the_failed_message_masked(client, web_team, failed):
    OutboxEntry.objects.create(
        action=OutboxEntry.INDEX,
        model_label="cms.contentpage",
        object_pk="7",
        document_id="page:7",
        attempts=5,
        last_error="mapper_parsing_exception: failed to parse field [review_by]",
        parked_at=timezone.now(),
    )
    client.force_login(web_team)
    response = client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    for queue in ("Search index changes", "Messages to residents and staff", "Background tasks"):
        assert queue in html
    assert "j***@resident.example" in html and RESIDENT not in html
    assert failed.submission.reference in html and "Mailbox unavailable" in html
    assert "Retry all" in html and "csrfmiddlewaretoken" in html
    assert "page:7" in html and "mapper_parsing_exception" in html
    assert "search-drain" in html and "Every 30 seconds" in html  # the periodic jobs
    assert "notifications-retry" in html


def test_reports_menu_lists_operations_for_the_web_team_only(client, web_team, unit_editor):
    client.force_login(web_team)
    assert REPORT in client.get("/admin/").content.decode()
    client.force_login(unit_editor)
    assert REPORT not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", ["unit_editor", "product_owner"])
def test_other_staff_are_refused_the_report_and_its_buttons(client, failed, role):
    user = UserFactory(**{role: True})
    client.force_login(user)
    refused = client.get(REPORT)
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    for url in (RETRY_ALL, retry_one(failed), RETRY_PARKED):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"] == "/admin/"
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.FAILED and failed.attempts == 10
    assert queued("eforms.tasks.send_notifications") == 0


def test_a_superuser_may_run_the_report(client, failed):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(REPORT).status_code == 200


def test_the_buttons_need_a_csrf_token(web_team, failed):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(web_team)
    assert browser.post(RETRY_ALL).status_code == 403
    assert browser.post(retry_one(failed)).status_code == 403
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.FAILED


def test_retrying_is_a_post_only(client, web_team, failed):
    client.force_login(web_team)
    assert client.get(RETRY_ALL).status_code == 405
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.FAILED


def test_retry_puts_the_message_back_through_the_back_off(
    client, web_team, failed, django_capture_on_commit_callbacks
):
    client.force_login(web_team)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_one(failed), follow=True)
    assert "back in the queue" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.PENDING and failed.attempts == 0
    assert failed.failed_at is None
    assert queued("eforms.tasks.send_notifications") == 1

    again = client.post(retry_one(failed), follow=True)  # pressed twice: nothing more to do
    assert "no longer waiting to be sent again" in again.content.decode()


def test_retry_all_and_retry_parked(client, web_team, failed, django_capture_on_commit_callbacks):
    other = OutboxMessage.objects.create(
        to="07700900123", channel=OutboxMessage.SMS, body="Hi", status=OutboxMessage.FAILED
    )
    entry = OutboxEntry.objects.create(
        action=OutboxEntry.INDEX,
        model_label="cms.contentpage",
        object_pk="7",
        document_id="page:7",
        attempts=5,
        parked_at=timezone.now(),
    )
    client.force_login(web_team)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RETRY_ALL, follow=True)
    assert "2 messages are back in the queue" in response.content.decode()
    assert set(
        OutboxMessage.objects.filter(pk__in=[failed.pk, other.pk]).values_list("status", flat=True)
    ) == {OutboxMessage.PENDING}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RETRY_PARKED, follow=True)
    assert "1 search change will be tried again" in response.content.decode()
    entry.refresh_from_db()
    assert entry.parked_at is None and entry.attempts == 0
    assert queued("search.tasks.drain_outbox") == 1

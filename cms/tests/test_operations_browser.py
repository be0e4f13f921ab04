"""Reports › Operations in a real browser, as a member of the central web team: from the admin
dashboard through the Reports menu to a message Signpost gave up on, "Retry all", and the
message delivered by the worker to a real mail server. The retry buttons are plain forms, so
they work with JavaScript off too."""

import pytest
from django.utils import timezone

from core.tests.factories import TEST_PASSWORD, DeliveryUnitFactory, UserFactory
from eforms.models import OutboxMessage
from eforms.tests.factories import FormDefinitionFactory, SubmissionFactory
from tests.browser import DESKTOP, save_screenshot
from tests.harness.smtp import MailSink
from tests.site import fresh_home_page
from tests.tasks import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = "jane.smith@resident.example"
OTHER = "alex@resident.example"


@pytest.fixture
def relay(settings):
    with MailSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
            "127.0.0.1",
            sink.port,
            5,
        )
        yield sink


@pytest.fixture
def gave_up(live_server):
    """Two messages about one request that Signpost stopped trying to send."""
    fresh_home_page()
    unit = DeliveryUnitFactory(slug="street-scene", name="Street scene")
    submission = SubmissionFactory(form=FormDefinitionFactory(delivery_unit=unit))
    messages = [
        OutboxMessage.objects.create(
            to=to,
            subject=f"Update on {submission.reference}: Resolved",
            body="Your request is resolved.",
            submission=submission,
            status=OutboxMessage.FAILED,
            attempts=10,
            failed_at=timezone.now(),
            last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        )
        for to in (RESIDENT, OTHER)
    ]
    return live_server.url, submission, messages


@pytest.fixture
def contexts(browser):
    """Browser contexts the test opens, closed at the end (an open one keeps the live server's
    connections alive into the next test)."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def signed_in(browser, url, user, contexts, javascript=True):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", java_script_enabled=javascript)
    contexts.append(context)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.goto(f"{url}/admin/login/")
    tab.get_by_label("Username").fill(user.username)
    tab.get_by_label("Password").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{url}/admin/")
    return tab


def test_the_web_team_sends_failed_messages_again_from_the_operations_report(
    browser, gave_up, relay, contexts
):
    url, submission, (first, second) = gave_up
    web_team = UserFactory(web_team=True)

    # Without JavaScript: the report's buttons are plain forms.
    plain = signed_in(browser, url, web_team, contexts, javascript=False)
    plain.goto(f"{url}/admin/reports/operations/")
    plain.get_by_role(
        "button", name=f"Retry the message to a***@resident.example about {submission.reference}"
    ).click()
    assert "back in the queue" in plain.locator("body").inner_text()
    second.refresh_from_db()
    assert second.status == OutboxMessage.PENDING

    tab = signed_in(browser, url, web_team, contexts)
    tab.get_by_role("button", name="Reports").click()
    tab.get_by_role("link", name="Operations").click()
    tab.wait_for_url(f"{url}/admin/reports/operations/")
    assert tab.get_by_role("heading", name="Operations", level=1).is_visible()
    queues = tab.get_by_role("table", name="Queues")
    for name in ("Search index changes", "Messages to residents and staff", "Background tasks"):
        assert queues.get_by_role("rowheader", name=name).is_visible()

    failed = tab.get_by_role("table", name="Messages that could not be sent")
    row = failed.locator(f"tr[data-message='{first.pk}']")
    assert "j***@resident.example" in row.inner_text()
    assert submission.reference in row.inner_text() and "SMTPServerDisconnected" in row.inner_text()
    assert RESIDENT not in tab.content()
    save_screenshot(tab, "operations-report-failed-message")

    tab.get_by_role("button", name="Retry all").click()
    tab.wait_for_url(f"{url}/admin/reports/operations/")
    assert "1 message is back in the queue" in tab.locator("body").inner_text()
    assert "Every message was sent or is still being tried." in tab.locator("body").inner_text()
    first.refresh_from_db()
    assert first.status == OutboxMessage.PENDING and first.attempts == 0

    run_queued_tasks()  # the worker
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == OutboxMessage.SENT
    assert relay.recipients() == {RESIDENT: 1, OTHER: 1}

    tab.reload()
    messages_row = tab.get_by_role("table", name="Queues").locator("tr[data-queue='notifications']")
    assert "OK" in messages_row.inner_text()

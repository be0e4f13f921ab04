"""'Report a problem' on a service: the owning unit is told, the reporter is answered if they
asked for a reply, nothing is sent inside the request, and reports are rate-limited."""

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from core.models import DeliveryUnit
from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR
from core.roles import ensure_roles
from directory import problems
from directory.models import ListingProblem, ServiceText
from directory.tests.factories import ServiceFactory
from eforms.models import OutboxMessage
from tests.caches import clear_caches
from tests.tasks import queued, run_queued_tasks

pytestmark = pytest.mark.django_db

OWNER = "youth@northbrook.example"


@pytest.fixture(autouse=True)
def fresh_limits():
    # Every test starts in the default language anyway (conftest.py).
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def youth_unit(db):
    return DeliveryUnit.objects.create(slug="youth", name="Youth services", contact_email=OWNER)


@pytest.fixture
def service(youth_unit):
    return ServiceFactory(name="Friday youth club", owner=youth_unit)


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """POST as the resident, running what the request leaves for after its commit (asking the
    worker to send), as a live request does."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def report_url(service):
    return service.get_url() + "report/"


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_the_owning_unit_is_told_and_the_reporter_acknowledged_by_the_worker(client, send, service):
    response = send(
        report_url(service),
        {
            "kind": "times",
            "details": "It now starts at 6pm",
            "wants_reply": "yes",
            "reporter_email": "robin@resident.example",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/report/done/?reply=1")
    assert mail.outbox == []  # nothing is sent inside the resident's request
    assert queued("eforms.tasks.send_notifications") == 1
    problem = ListingProblem.objects.get()
    assert problem.reporter_email == "robin@resident.example" and problem.status == "new"

    run_queued_tasks()
    (to_owner,) = sent_to(OWNER)
    assert to_owner.subject == "Problem reported with the listing for Friday youth club"
    assert "What is wrong: The opening times are wrong" in to_owner.body
    assert "What they told us: It now starts at 6pm" in to_owner.body
    assert f"/admin/snippets/directory/listingproblem/edit/{problem.pk}/" in to_owner.body
    assert "robin@resident.example" not in to_owner.body  # the owner needs the report, not them
    (ack,) = sent_to("robin@resident.example")
    assert ack.subject == "We have received your report about Friday youth club"
    assert "We will email you again when they have." in ack.body

    done = client.get(response["Location"]).content.decode()
    assert "Thank you for your report" in done and "We have emailed you" in done


def test_no_reply_wanted_means_no_email_kept_and_none_sent(client, send, service):
    response = send(
        report_url(service),
        {"kind": "closed", "wants_reply": "no", "reporter_email": "typed@resident.example"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/report/done/")
    assert ListingProblem.objects.get().reporter_email == ""
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [[OWNER]]
    done = client.get(response["Location"]).content.decode()
    assert "You did not ask for a reply" in done


def test_a_reply_needs_an_email_address_and_bad_input_is_explained(client, send, service):
    page = send(report_url(service), {"kind": "times", "wants_reply": "yes"})
    assert page.status_code == 200
    assert "Enter your email address so we can reply, or choose no" in page.content.decode()
    page = send(
        report_url(service), {"kind": "times", "wants_reply": "yes", "reporter_email": "robin@"}
    )
    assert "Enter an email address in the correct format" in page.content.decode()
    assert not ListingProblem.objects.exists() and not OutboxMessage.objects.exists()


def test_no_contact_address_falls_back_to_members_then_the_web_team(client, send, youth_unit):
    ensure_roles()
    web = User.objects.create_user("web", "web@northbrook.example", "pw")
    web.groups.add(Group.objects.get(name=CENTRAL_WEB_TEAM))
    youth_unit.contact_email = ""
    youth_unit.save()
    service = ServiceFactory(name="Lunch club", owner=youth_unit)
    assert problems.owner_addresses(service) == ["web@northbrook.example"]
    editor = User.objects.create_user("ed", "ed@northbrook.example", "pw")
    editor.groups.add(Group.objects.get(name=DELIVERY_UNIT_EDITOR))
    youth_unit.members.add(editor)
    assert problems.owner_addresses(service) == ["ed@northbrook.example"]
    orphan = ServiceFactory(name="Nobody's club", owner=None)
    assert problems.owner_addresses(orphan) == ["web@northbrook.example"]


def test_resolving_the_report_in_the_admin_tells_the_reporter_once(
    client, send, service, admin_user, django_capture_on_commit_callbacks
):
    send(
        report_url(service),
        {"kind": "contact", "wants_reply": "yes", "reporter_email": "robin@resident.example"},
    )
    run_queued_tasks()
    mail.outbox.clear()
    problem = ListingProblem.objects.get()
    client.force_login(admin_user)
    edit = f"/admin/snippets/directory/listingproblem/edit/{problem.pk}/"
    listing = client.get("/admin/snippets/directory/listingproblem/").content.decode()
    assert "Friday youth club" in listing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {"status": "in-progress", "staff_notes": "Phoning them"})
    run_queued_tasks()
    assert mail.outbox == []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(edit, {"status": "resolved", "staff_notes": "New number added"})
        assert response.status_code == 302
        run_queued_tasks()
    (told,) = sent_to("robin@resident.example")
    assert told.subject == "We have checked the listing for Friday youth club"
    assert "New number added" not in told.body  # staff notes stay with staff
    problem.refresh_from_db()
    assert problem.resolved_at is not None and problem.reporter_told_at is not None


def test_a_polish_reporter_is_answered_in_polish_words_for_the_listing(client, send, service):
    from wagtail.models import Locale

    polish = Locale.objects.get_or_create(language_code="pl")[0]
    english = ServiceText.objects.get(service_id=service.pk, locale=Locale.get_default())
    ServiceText.objects.create(
        service_id=service.pk,
        translation_key=english.translation_key,
        locale=polish,
        name="Piątkowy klub młodzieżowy",
        description=english.description,
    )
    send(
        "/pl" + report_url(service),
        {"kind": "times", "wants_reply": "yes", "reporter_email": "ola@resident.example"},
    )
    run_queued_tasks()
    (to_owner,) = sent_to(OWNER)
    assert "Friday youth club" in to_owner.subject  # staff read the listing's own words
    (ack,) = sent_to("ola@resident.example")
    assert "Piątkowy klub młodzieżowy" in ack.subject
    assert ListingProblem.objects.get().language == "pl"


def test_reports_are_rate_limited_per_address(client, send, service, settings):
    settings.DIRECTORY_REPORT_RATE_LIMIT = (2, 3600)
    for _ in range(2):
        assert client.post(report_url(service), {"kind": "other"}).status_code == 302
    refused = client.post(report_url(service), {"kind": "other"})
    assert refused.status_code == 429
    assert "Sorry, there have been too many reports" in refused.content.decode()
    assert ListingProblem.objects.count() == 2
    other = type(client)(REMOTE_ADDR="192.0.2.9")
    assert other.post(report_url(service), {"kind": "other"}).status_code == 302

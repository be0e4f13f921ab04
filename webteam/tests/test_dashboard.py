"""The web team dashboard leads to the fix: links to each editor, filters, pagination, honest
counts, a unit editor's own dashboard, "mark as reviewed" and the weekly reminder email."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from wagtail.models import PageLogEntry

from cms.models import ContentPage
from cms.tests.factories import ContentPageFactory
from core import scheduler
from core.tests.factories import DeliveryUnitFactory, UserFactory
from eforms.models import FormDefinition, OutboxMessage
from eforms.tests.factories import FormDefinitionFactory
from tests.harness.smtp import MailSink
from tests.tasks import run_queued_tasks
from webteam.quality import ERROR, WARNING, Finding, store_results
from webteam.quality.reviews import LOG_ACTION, queue_reminders

TODAY = datetime.date.today()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def streets(db):
    return DeliveryUnitFactory(
        slug="street-scene", name="Street scene", contact_email="streets@northbrook.example"
    )


@pytest.fixture
def parking(db):
    return DeliveryUnitFactory(
        slug="parking", name="Parking", contact_email="parking@northbrook.example"
    )


def page_for(unit, home_page, slug, review_by=datetime.date(2030, 1, 1), **fields):
    return ContentPageFactory(
        parent=home_page,
        slug=slug,
        title=fields.pop("title", slug.replace("-", " ").capitalize()),
        delivery_unit=unit,
        review_by=review_by,
        **fields,
    )


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def section(html, slug):
    return html.select_one(f'section[data-report="{slug}"]')


def web_team_client(client):
    client.force_login(UserFactory(web_team=True))
    return client


@pytest.mark.django_db
def test_findings_link_to_the_editor_filter_and_page_through_every_row(
    client, home_page, streets, parking
):
    pages = [page_for(streets, home_page, f"street-{n}") for n in range(26)]
    for page in pages:
        store_results(
            page,
            [
                Finding("image-alt", ERROR, "1 image has no alternative text."),
                Finding("long-sentence", WARNING, "1 sentence is longer than 25 words."),
            ],
        )
    parked = page_for(parking, home_page, "parking-permits")
    store_results(parked, [Finding("jargon", WARNING, "Instead of “utilise”, try “use”.")])
    web_team_client(client)

    html = soup(client.get("/admin/webteam/"))
    findings = section(html, "findings")
    assert findings.h2.get_text(strip=True) == "Content check findings: 53 findings on 27 pages"
    assert len(findings.select("tbody tr")) == 50
    first_link = findings.select_one("tbody tr td a")
    linked = {a["href"] for a in findings.select("tbody tr td:first-child a")}
    assert linked <= {f"/admin/pages/{p.pk}/edit/" for p in [*pages, parked]}
    assert first_link.get_text(strip=True).startswith("Street")
    assert "Page 1 of 2" in findings.get_text()

    next_url = findings.select_one("nav li.next a")["href"]
    second = section(soup(client.get("/admin/webteam/" + next_url.split("#")[0])), "findings")
    assert len(second.select("tbody tr")) == 3
    assert "Page 2 of 2" in second.get_text()

    only_errors = section(soup(client.get("/admin/webteam/", {"severity": "error"})), "findings")
    assert only_errors.h2.get_text(strip=True).endswith("26 findings on 26 pages")
    assert {td.get_text() for td in only_errors.select("tbody td:nth-of-type(2)")} == {"Error"}

    jargon = soup(client.get("/admin/webteam/", {"check": "jargon"}))
    rows = section(jargon, "findings").select("tbody tr")
    assert [r.a["href"] for r in rows] == [f"/admin/pages/{parked.pk}/edit/"]

    parking_only = section(soup(client.get("/admin/webteam/", {"unit": "parking"})), "findings")
    assert parking_only.h2.get_text(strip=True).endswith("1 finding on 1 page")

    csv = client.get("/admin/webteam/", {"unit": "street-scene", "export": "findings"})
    lines = csv.content.decode().splitlines()
    assert len(lines) == 53 and lines[1].startswith("Street")


@pytest.mark.django_db
def test_overdue_and_due_soon_reviews_link_to_pages_and_forms(client, home_page, streets):
    overdue = page_for(streets, home_page, "bulky-waste", review_by=days(-3))
    soon = page_for(streets, home_page, "garden-waste", review_by=days(10))
    page_for(streets, home_page, "later", review_by=days(60))
    form = FormDefinitionFactory(
        title="Report a missed bin", delivery_unit=streets, review_by=days(5), live=True
    )
    web_team_client(client)

    html = soup(client.get("/admin/webteam/"))
    late = section(html, "overdue")
    assert late.h2.get_text(strip=True) == "Overdue reviews: 1 page or form"
    assert late.select_one("tbody td a")["href"] == f"/admin/pages/{overdue.pk}/edit/"
    assert "Overdue by 3 days" in late.get_text()

    due = section(html, "due-soon")
    links = [a["href"] for a in due.select("tbody td:first-child a")]
    assert links == [
        f"/admin/snippets/eforms/formdefinition/edit/{form.pk}/",
        f"/admin/pages/{soon.pk}/edit/",
    ]
    assert "Due in 5 days" in due.get_text() and "Later" not in due.get_text()
    marks = due.select("a[href^='/admin/webteam/reviewed/']")
    assert [a.get_text(" ", strip=True) for a in marks] == [
        "Mark as reviewed : Report a missed bin",
        "Mark as reviewed : Garden waste",
    ]


@pytest.mark.django_db
def test_a_unit_editor_sees_only_their_own_units_dashboard(client, home_page, streets, parking):
    own = page_for(streets, home_page, "street-cleaning", review_by=days(-1))
    other = page_for(parking, home_page, "parking-fines", review_by=days(-1))
    store_results(own, [Finding("image-alt", ERROR, "1 image has no alternative text.")])
    store_results(other, [Finding("image-alt", ERROR, "1 image has no alternative text.")])
    editor = UserFactory(unit_editor=True, units=[streets])
    client.force_login(editor)

    html = soup(client.get("/admin/webteam/"))
    text = html.get_text()
    assert "Your unit's dashboard" in text
    assert "Street cleaning" in text and "Parking fines" not in text
    assert section(html, "findings").select_one("tbody a")["href"] == f"/admin/pages/{own.pk}/edit/"
    assert section(html, "overdue").select_one("tbody a")["href"] == f"/admin/pages/{own.pk}/edit/"
    assert section(html, "zero-searches") is None  # residents' searches are not theirs to read
    assert [o["value"] for o in html.select("#filter-unit option")] == ["", "street-scene"]
    assert client.get("/admin/webteam/", {"unit": "parking"}).status_code == 404
    csv = client.get("/admin/webteam/", {"export": "overdue"}).content.decode()
    assert "Street cleaning" in csv and "Parking fines" not in csv
    assert client.get("/admin/webteam/", {"export": "zero-searches"}).status_code == 404

    nobody = UserFactory(unit_editor=True)  # in no unit yet: owns nothing
    client.force_login(nobody)
    assert client.get("/admin/webteam/").status_code in (302, 403)


@pytest.mark.django_db
def test_mark_as_reviewed_moves_the_date_records_who_and_changes_no_content(
    client, home_page, streets
):
    page = page_for(streets, home_page, "street-lights", review_by=days(-10))
    page.refresh_from_db()
    live_revision = page.live_revision_id
    assert live_revision is not None
    editor = UserFactory(unit_editor=True, units=[streets], username="sam")
    client.force_login(editor)
    content_type = ContentType.objects.get_for_model(ContentPage)
    url = f"/admin/webteam/reviewed/{content_type.pk}/{page.pk}/"

    form = soup(client.get(url))
    assert "Nothing on the page changes and nothing is published" in form.get_text()
    assert (
        form.select_one("input[name=next_review]")["value"]
        == (TODAY + datetime.timedelta(days=365)).isoformat()
    )

    refused = client.post(url, {"next_review": days(-1).isoformat()})
    assert "Choose a next review date after today." in refused.content.decode()
    assert (
        "Enter the next review date as a real date"
        in client.post(url, {"next_review": "31/02/2026"}).content.decode()
    )
    page.refresh_from_db()
    assert page.review_by == days(-10)

    done = client.post(url, {"next_review": days(200).isoformat(), "next": "/admin/webteam/"})
    assert done.status_code == 302 and done["Location"] == "/admin/webteam/"

    page.refresh_from_db()
    assert page.review_by == days(200)
    assert page.live_revision_id == live_revision and page.latest_revision_id == live_revision
    assert page.get_latest_revision().content["review_by"] == days(200).isoformat()
    entry = PageLogEntry.objects.get(page=page, action=LOG_ACTION)
    assert entry.user == editor and entry.timestamp.date() == TODAY
    assert entry.data["next_review_by"] == days(200).isoformat()
    history = client.get(f"/admin/pages/{page.pk}/history/").content.decode()
    assert "Marked as reviewed" in history
    editor_form = client.get(f"/admin/pages/{page.pk}/edit/").context["form"]
    assert editor_form.initial["review_by"] == days(200)


@pytest.mark.django_db
def test_a_unit_editor_cannot_mark_another_units_page(client, home_page, streets, parking):
    other = page_for(parking, home_page, "parking-zones", review_by=days(-1))
    client.force_login(UserFactory(unit_editor=True, units=[streets]))
    content_type = ContentType.objects.get_for_model(ContentPage)
    response = client.post(
        f"/admin/webteam/reviewed/{content_type.pk}/{other.pk}/",
        {"next_review": days(100).isoformat()},
    )
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.review_by == days(-1)


@pytest.mark.django_db
def test_weekly_email_tells_each_unit_what_is_overdue_and_due_soon(
    settings, home_page, streets, parking, django_capture_on_commit_callbacks
):
    page_for(streets, home_page, "street-lights", review_by=days(-2), title="Street lights")
    page_for(streets, home_page, "graffiti", review_by=days(20), title="Graffiti")
    page_for(streets, home_page, "later-on", review_by=days(45), title="Later on")
    FormDefinitionFactory(
        title="Report a missed bin", delivery_unit=streets, review_by=days(3), live=True
    )
    page_for(parking, home_page, "parking-ok", review_by=days(90))  # nothing due: no email
    quiet = DeliveryUnitFactory(slug="no-address", name="No address", contact_email="")
    page_for(quiet, home_page, "no-one-to-tell", review_by=days(-5))

    job = {j.name: j for j in scheduler.registered()}["review-reminders"]
    assert job.every == datetime.timedelta(days=7)

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.WAGTAILADMIN_BASE_URL = "https://cms.northbrook.example"
    with MailSink() as sink:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        with django_capture_on_commit_callbacks(execute=True):
            assert queue_reminders() == 1
        run_queued_tasks()

    assert sink.recipients() == {"streets@northbrook.example": 1}
    (message,) = sink.messages_to("streets@northbrook.example")
    assert message["Subject"] == "Street scene: 3 reviews to do"
    body = message.get_payload(decode=True).decode().replace("\r\n", "\n")
    lights = ContentPage.objects.get(slug="street-lights")
    form = FormDefinition.objects.get(title="Report a missed bin")
    assert "Overdue (1):\n- Page: Street lights\n  was due" in body
    assert f"https://cms.northbrook.example/admin/pages/{lights.pk}/edit/" in body
    assert "Due in the next 30 days (2):\n- Form: Report a missed bin" in body
    assert (
        f"https://cms.northbrook.example/admin/snippets/eforms/formdefinition/edit/{form.pk}/"
        in body
    )
    assert "Graffiti" in body and "Later on" not in body
    assert OutboxMessage.objects.get().status == OutboxMessage.SENT


@pytest.mark.django_db
def test_the_weekly_job_runs_in_the_worker(home_page, streets):
    """The scheduler enqueues the task; the worker runs it and fills the outbox."""
    from webteam.tasks import send_review_reminders

    page_for(streets, home_page, "street-lights", review_by=days(-2))
    result = send_review_reminders.enqueue()
    ran = run_queued_tasks()
    assert result.id in {str(row.id) for row in ran}
    assert OutboxMessage.objects.filter(to="streets@northbrook.example").count() == 1

"""The approval workflow walked in a real browser, as each role, with real mail.

A delivery-unit editor signs in at /admin/, creates a service with a place in their unit (the
admin autosaves it as they type), opens their draft journey, and submits both for approval. The
web team member is emailed (a real SMTP server, tests/harness/smtp.py; the worker sends it),
signs in, and approves both from the dashboard. Both are then live for residents. The editor
cannot open another unit's page, form or service.
"""

import datetime
from email.header import decode_header, make_header

import pytest

from core.models import DeliveryUnit
from core.tests.factories import UserFactory
from core.worker import Worker
from directory.models import Service
from directory.tests.factories import LocationFactory, OrganizationFactory, ServiceFactory
from eforms.models import FormDefinition
from journeys.models import JourneyPage, PersonaPage
from personas.models import Persona
from tests.browser import save_screenshot, sign_in
from tests.harness.smtp import MailSink
from tests.site import fresh_home_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REVIEW_BY = datetime.date(2030, 1, 1)


@pytest.fixture
def mail_sink(settings):
    with MailSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        yield sink


@pytest.fixture
def council(live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    home = fresh_home_page()
    streets = DeliveryUnit.objects.create(slug="street-scene", name="Street scene")
    parking = DeliveryUnit.objects.create(slug="parking", name="Parking")
    persona = Persona.objects.create(
        slug="report-and-transact", name="Report", intent="Report something", order=1
    )
    hub = home.add_child(
        instance=PersonaPage(
            title="Report something",
            slug="report",
            persona=persona,
            delivery_unit=parking,
            review_by=REVIEW_BY,
        )
    )
    hub.save_revision().publish()
    editor = UserFactory(unit_editor=True, units=[streets], username="edna")
    web = UserFactory(web_team=True, username="wendy")
    journey = hub.add_child(
        instance=JourneyPage(
            title="Report a missed bin",
            slug="missed-bin",
            summary="Tell us.",
            what_happens_next="We collect it.",
            service_level="2 working days",
            steps=[{"type": "step", "value": {"title": "Check your day"}}],
            delivery_unit=streets,
            review_by=REVIEW_BY,
            live=False,
            owner=editor,
        )
    )
    journey.personas.add(persona)
    journey.save_revision(user=editor)
    others = {
        "page": hub,
        "service": ServiceFactory(owner=parking, name="Permit desk"),
        "form": FormDefinition.objects.create(
            title="Parking permit", slug="permit", purpose="Apply.", delivery_unit=parking
        ),
    }
    OrganizationFactory(name="Northbrook Bereavement Trust")
    LocationFactory(name="Northbrook Library")
    return {"url": live_server.url, "editor": editor, "web": web, "journey": journey, **others}


def choose(page, button_name, item):
    """Pick a snippet in Wagtail's chooser modal."""
    page.get_by_role("button", name=button_name).click()
    page.locator(".modal").get_by_role("link", name=item).first.click()
    page.locator(".modal").wait_for(state="hidden")


def submit_for_approval(page):
    page.locator("[data-w-dropdown-target='toggle']", has_text="").last.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit to Web team approval").click()


def test_editor_submits_web_team_approves_both_go_live(browser, council, mail_sink):
    url = council["url"]
    editor = browser.new_context(locale="en-GB").new_page()
    editor.set_default_timeout(30_000)
    sign_in(editor, url, "edna")

    # A new service with a place. The admin autosaves while the editor types.
    editor.goto(url + "/admin/snippets/directory/service/add/")
    editor.fill("#id_name", "Bereavement café")
    choose(editor, "Choose organization", "Northbrook Bereavement Trust")
    editor.fill("#id_description", "A friendly place to talk after someone dies.")
    editor.get_by_role("button", name="Add Where").click()
    editor.wait_for_timeout(2_000)  # autosave runs with the place row still empty
    choose(editor, "Choose location", "Northbrook Library")
    # The owner chooser offers only the editor's one unit, already chosen.
    assert editor.locator("#id_owner").input_value() == str(
        council["editor"].delivery_units.get().pk
    )
    submit_for_approval(editor)
    editor.wait_for_load_state()
    assert "could not be saved" not in editor.content()
    save_screenshot(editor, "approval-service-submitted")
    service = Service.objects.get(name="Bereavement café")
    assert not service.live and service.current_workflow_state is not None
    assert [link.location.name for link in service.service_at_locations.all()] == [
        "Northbrook Library"
    ]

    # The draft journey: open it from the editor and submit it.
    journey = council["journey"]
    editor.goto(url + f"/admin/pages/{journey.pk}/edit/")
    submit_for_approval(editor)
    editor.wait_for_load_state()
    journey.refresh_from_db()
    assert journey.current_workflow_state is not None

    # Nothing of it is live yet.
    resident = browser.new_context(locale="en-GB").new_page()
    resident.goto(url + "/directory/?q=bereavement")
    assert "Bereavement café" not in resident.content()

    # The worker emails the web team.
    Worker(interval=0.05, schedule=False).run(batch=True)
    subjects = [
        " ".join(str(make_header(decode_header(message["Subject"]))).split())
        for message in mail_sink.messages_to(council["web"].email)
    ]
    assert any("Bereavement café" in subject for subject in subjects), subjects
    assert any("Report a missed bin" in subject for subject in subjects), subjects

    # The web team approves both from the dashboard.
    web = browser.new_context(locale="en-GB").new_page()
    web.set_default_timeout(30_000)
    sign_in(web, url, "wendy")
    for title in ("Bereavement café", "Report a missed bin"):
        row = web.locator("#awaiting-review-section tr", has_text=title)
        row.get_by_role("button", name="Actions").click()
        with web.expect_navigation():
            row.get_by_role("button", name="Approve", exact=True).click()
        web.goto(url + "/admin/")
    assert web.locator("#awaiting-review-section").count() == 0  # nothing left to review
    save_screenshot(web, "approval-dashboard-after")

    resident.goto(url + "/directory/?q=bereavement")
    assert "Bereavement café" in resident.content()
    resident.goto(url + "/report/missed-bin/")
    assert resident.locator("h1").inner_text() == "Report a missed bin"

    # The editor hears back.
    Worker(interval=0.05, schedule=False).run(batch=True)
    assert mail_sink.messages_to(council["editor"].email)

    # Another unit's page, form and service are not theirs to open.
    for address in (
        f"/admin/pages/{council['page'].pk}/edit/",
        f"/admin/snippets/eforms/formdefinition/edit/{council['form'].pk}/",
        f"/admin/snippets/directory/service/edit/{council['service'].pk}/",
    ):
        editor.goto(url + address)
        assert "Sorry, you do not have permission to access this area" in editor.content(), address

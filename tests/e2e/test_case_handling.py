"""Case handling in a real browser: a resident reports a problem with a service from the
directory on a phone, and the owning unit's email arrives at a real SMTP server once the
worker runs; a member of staff finds a request by postcode, assigns it to themselves, notes
something internal, and downloads the CSV, and the resident's tracking page never shows the note.
"""

import csv
import io
import re
from email.header import decode_header, make_header

import pytest
from django.contrib.auth.models import Group, User

from core.models import DeliveryUnit
from core.permissions import DELIVERY_UNIT_EDITOR
from directory.models import ListingProblem, Service
from eforms.fields import CleanContext
from eforms.services import submit
from eforms.tests.conftest import make_form
from eforms.validation import validate_answers
from tests.browser import DESKTOP, save_screenshot
from tests.caches import clear_caches
from tests.harness.smtp import MailSink
from tests.site import fresh_home_page
from tests.tasks import run_queued_tasks

from .conftest import check_accessibility, dismiss_cookie_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Spoke to the resident: the hole is by the bus stop, not outside number 14."


@pytest.fixture
def mail_sink(settings):
    """Django's SMTP backend pointed at a real server that keeps what it is given."""
    with MailSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = False
        yield sink


def subject(message):
    """The Subject header as the reader sees it (non-ASCII words arrive encoded)."""
    return str(make_header(decode_header(message["Subject"]))).replace("\r\n", "").strip()


@pytest.fixture
def directory_site(live_server):
    """The live server with the demo directory (and the personas and units it names)."""
    import personas.demo
    from directory import demo

    fresh_home_page()
    clear_caches()
    quiet = io.StringIO()
    personas.demo.load(stdout=quiet)
    demo.load(stdout=quiet)
    run_queued_tasks()
    return live_server.url


def test_a_resident_on_a_phone_reports_a_problem_and_the_owning_unit_hears(
    phone_page, directory_site, mail_sink
):
    service = Service.objects.select_related("owner").get(
        name__startswith="Northbrook Foodbank at St"
    )
    owner_email = service.owner.contact_email
    assert owner_email

    page = phone_page
    page.goto(directory_site + "/directory/")
    dismiss_cookie_banner(page)
    page.get_by_label("Search the directory").fill("foodbank")
    page.locator("#main-content").get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name=service.name).click()
    page.get_by_role("link", name="Report a problem with this listing").click()

    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()  # nothing chosen yet
    assert (
        page.locator(".sp-error-summary")
        .inner_text()
        .count("Select what is wrong with this listing")
    )
    page.get_by_label("The opening times are wrong").check()
    page.get_by_label("Tell us more (optional)").fill("Saturday sessions now start at 11am.")
    page.get_by_role(
        "group", name="Do you want us to email you when we have checked it?"
    ).get_by_label("Yes").check()
    page.get_by_role("button", name="Send report").click()
    assert (
        "Enter your email address so we can reply, or choose no"
        in page.locator(".sp-error-summary").inner_text()
    )
    page.get_by_label("Your email address").fill("robin@resident.example")
    check_accessibility(page, "report-a-problem-form")
    page.get_by_role("button", name="Send report").click()

    page.wait_for_url(re.compile(r".*/report/done/.*"))
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your report"
    assert "We have emailed you to say we have your report" in page.content()
    check_accessibility(page, "report-a-problem-done")
    assert ListingProblem.objects.get().reporter_email == "robin@resident.example"
    assert mail_sink.recipients() == {}  # the request only wrote rows

    run_queued_tasks()  # the worker
    (to_owner,) = mail_sink.messages_to(owner_email)
    assert subject(to_owner) == f"Problem reported with the listing for {service.name}"
    body = to_owner.get_payload(decode=True).decode()
    assert "What is wrong: The opening times are wrong" in body
    assert "Saturday sessions now start at 11am." in body
    (ack,) = mail_sink.messages_to("robin@resident.example")
    assert subject(ack) == f"We have received your report about {service.name}"

    page.get_by_role("link", name=f"Back to {service.name}").click()
    page.wait_for_url(re.compile(r".*/services/[^/]+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == service.name


@pytest.fixture
def requests_site(live_server):
    """A form owned by Street scene, two requests from different postcodes, and its officer."""
    fresh_home_page()
    clear_caches()
    unit = DeliveryUnit.objects.create(
        slug="street-scene", name="Street scene", contact_email="streets@northbrook.example"
    )
    form = make_form(unit, slug="pothole-report", title="Report a pothole")
    sent = {}
    for postcode, street, email in [
        ("nb1 1aa", "14 Mill Lane", "sam@resident.example"),
        ("NB2 3CD", "2 High Street", "alex@resident.example"),
    ]:
        answers = {
            "problem": "pothole",
            "description": f"Deep pothole on {street}",
            "address": {"postcode": postcode, "line_1": street, "town": "Northbrook"},
            "full_name": "A Resident",
            "email": email,
            "consent": True,
        }
        cleaned, errors, _path = validate_answers(form.schema, answers, CleanContext())
        assert not errors, errors
        sent[postcode] = submit(form, cleaned)
    officer = User.objects.create_user(
        "casey",
        "casey@northbrook.example",
        "a-long-password-1",
        first_name="Casey",
        last_name="Officer",
    )
    officer.groups.add(Group.objects.get(name=DELIVERY_UNIT_EDITOR))
    officer.delivery_units.add(unit)
    return live_server.url, sent["nb1 1aa"], sent["NB2 3CD"]


def test_staff_find_a_request_by_postcode_assign_it_note_it_and_export_it(
    browser, requests_site, tmp_path
):
    url, mine, other = requests_site
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(url + "/admin/login/")
        page.get_by_label("Username").fill("casey")
        page.get_by_label("Password").fill("a-long-password-1")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(url + "/admin/")
        page.get_by_role("link", name="Requests inbox").click()
        page.wait_for_url(re.compile(r".*/admin/submissions/$"))

        def search(term):
            page.get_by_label("Reference, email address or postcode").fill(term)
            with page.expect_navigation():
                page.get_by_role("button", name="Filter").click()
            assert term.lower() not in page.url.lower()  # never in an address, so never logged
            return page.locator("table.listing tbody a").all_inner_texts()

        assert search("NB1 1AA") == [mine.reference]
        page.get_by_role("link", name=mine.reference).click()
        page.wait_for_url(re.compile(rf".*/admin/submissions/{mine.pk}/$"))
        assert page.locator("[data-assignee]").inner_text() == "Nobody"
        page.get_by_role("button", name="Assign to me").click()
        page.get_by_text(f"{mine.reference} is assigned to you.").wait_for()
        assert page.locator("[data-assignee]").inner_text() == "Casey Officer"

        page.get_by_label("Add an internal note").fill(NOTE)
        page.get_by_role("button", name="Add note").click()
        page.get_by_text("Note added. Only staff can see it.").wait_for()
        notes = page.locator("[data-notes]").inner_text()
        assert "Assigned to Casey Officer." in notes and NOTE in notes and "Casey Officer" in notes
        save_screenshot(page, "staff-request-assigned-and-noted")

        page.get_by_role("link", name="Back to the inbox").click()
        assert search("nb11aa") == [mine.reference]
        with page.expect_download() as waiting:
            page.get_by_role("link", name="Export CSV").click()
        download = waiting.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        text = path.read_bytes().decode("utf-8")
        assert text.startswith("\ufeff")  # Excel reads it as UTF-8
        headings, *rows = list(csv.reader(io.StringIO(text[1:])))
        assert headings[:12] == [
            "Reference",
            "Form",
            "Form version",  # which version of the form the resident answered
            "Status",
            "Received",
            "Expected by",
            "Closed",
            "Assigned to",
            "Channel",
            "Email",
            "Mobile",
            "Postcode",
        ]
        for question in ("What is the problem?", "Describe the problem", "Where is it?"):
            assert question in headings
        (row,) = rows  # only what the search found
        exported = dict(zip(headings, row, strict=True))
        assert exported["Reference"] == mine.reference
        assert exported["Assigned to"] == "Casey Officer"
        assert exported["Postcode"] == "NB1 1AA"
        assert exported["Describe the problem"] == "Deep pothole on 14 Mill Lane"
        assert exported["What is the problem?"] == "Pothole"
        assert NOTE not in text  # internal notes stay in Signpost
    finally:
        context.close()

    resident = browser.new_context(viewport=DESKTOP, locale="en-GB")
    try:
        tab = resident.new_page()
        tab.goto(f"{url}/track/{mine.track_token}/")
        assert mine.track_token not in tab.url  # swapped for the session on first use
        assert tab.get_by_role("heading", level=1).inner_text() == f"Request {mine.reference}"
        seen = tab.content()
        assert "bus stop" not in seen and "Casey" not in seen and "Assigned" not in seen
    finally:
        resident.close()

"""Subject access and erasure in a real browser, as a member of the central web team: from the
admin dashboard through Reports › Residents' data, find what is held about a resident's email
address (a request and a problem report), download it as a zip, erase it after confirming, and
read the three entries in Reports › Audit trail. The address never appears in a URL."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from core.tests.factories import TEST_PASSWORD, DeliveryUnitFactory, UserFactory
from directory.models import ListingProblem
from directory.tests.factories import ServiceFactory
from eforms.fields import CleanContext
from eforms.models import Submission
from eforms.services import submit
from eforms.tests.conftest import make_form
from eforms.validation import validate_answers
from tests.browser import DESKTOP, save_screenshot
from tests.caches import clear_caches
from tests.site import fresh_home_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = "sam.resident@example.org"


@pytest.fixture
def resident_data(live_server):
    """A request and a problem report from one resident, and a request from another."""
    fresh_home_page()
    clear_caches()
    unit = DeliveryUnitFactory(
        slug="street-scene", name="Street scene", contact_email="streets@northbrook.example"
    )
    form = make_form(unit, slug="pothole-report", title="Report a pothole")
    sent = []
    for email, street in [(RESIDENT, "14 Mill Lane"), ("alex@example.org", "2 High Street")]:
        answers = {
            "problem": "pothole",
            "description": f"Deep pothole on {street}",
            "address": {"postcode": "NB1 1AA", "line_1": street, "town": "Northbrook"},
            "full_name": "A Resident",
            "email": email,
            "consent": True,
        }
        cleaned, errors, _path = validate_answers(form.schema, answers, CleanContext())
        assert not errors, errors
        sent.append(submit(form, cleaned))
    ListingProblem.objects.create(
        service=ServiceFactory(), kind="times", details="Shut on Mondays", reporter_email=RESIDENT
    )
    return live_server.url, sent[0], sent[1]


def test_the_web_team_finds_exports_and_erases_a_residents_data(browser, resident_data, tmp_path):
    url, theirs, someone_elses = resident_data
    web_team = UserFactory(username="robin", web_team=True)
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    try:
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.goto(f"{url}/admin/login/")
        tab.get_by_label("Username").fill(web_team.username)
        tab.get_by_label("Password").fill(TEST_PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url(f"{url}/admin/")

        tab.get_by_role("button", name="Reports").click()
        tab.get_by_role("link", name="Residents' data").click()
        tab.wait_for_url(f"{url}/admin/reports/residents-data/")
        tab.get_by_role("button", name="Find their data").click()
        assert "Enter the resident's email address" in tab.get_by_role("alert").inner_text()

        tab.get_by_label("Resident's email address").fill(RESIDENT.upper())
        tab.get_by_role("button", name="Find their data").click()
        heading = tab.get_by_role("heading", name=f"What we hold about {RESIDENT}")
        heading.wait_for()
        assert RESIDENT not in tab.url
        requests = tab.get_by_role("table", name="Requests and forms").inner_text()
        assert theirs.reference in requests and someone_elses.reference not in requests
        reports = tab.get_by_role("table", name="Problem reports on listings").inner_text()
        assert "The opening times are wrong" in reports
        save_screenshot(tab, "residents-data-found")

        with tab.expect_download() as waiting:
            tab.get_by_role("button", name="Export everything (zip)").click()
        path = tmp_path / waiting.value.suggested_filename
        waiting.value.save_as(path)
        data = json.loads(zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("data.json"))
        (request,) = [r for r in data["sources"]["eforms"]["records"] if r["type"] == "request"]
        assert request["reference"] == theirs.reference
        assert request["answers"]["description"] == "Deep pothole on 14 Mill Lane"
        assert data["sources"]["directory"]["records"][0]["details"] == "Shut on Mondays"

        tab.get_by_role("button", name="Erase everything").click()
        tab.get_by_role(
            "heading", name=f"Are you sure you want to erase everything held about {RESIDENT}?"
        ).wait_for()
        assert Submission.objects.filter(pk=theirs.pk).exists()  # not until confirmed
        tab.get_by_role("button", name="Yes, erase it").click()
        tab.wait_for_url(f"{url}/admin/reports/residents-data/")
        assert "held about s***@example.org" in tab.locator("body").inner_text()
        assert list(Submission.objects.values_list("pk", flat=True)) == [someone_elses.pk]
        assert not ListingProblem.objects.exists()

        tab.get_by_label("Resident's email address").fill(RESIDENT)
        tab.get_by_role("button", name="Find their data").click()
        tab.get_by_text("Signpost holds nothing about this email address.").wait_for()

        tab.get_by_role("button", name="Reports").click()
        tab.get_by_role("link", name="Audit trail", exact=True).click()
        tab.wait_for_url(f"{url}/admin/reports/audit-trail/")
        trail = tab.get_by_role("table", name="Audit trail")
        erased = trail.locator("tr[data-audit='erased']").inner_text()
        assert "robin" in erased and "resident s***@example.org" in erased
        assert "127.0.0.1" in erased
        assert trail.locator("tr[data-audit='exported']").count() == 1
        assert trail.locator("tr[data-audit='searched']").count() == 2
        assert RESIDENT not in tab.content()
        save_screenshot(tab, "audit-trail")

        tab.get_by_label("Action").select_option("erased")
        with tab.expect_navigation():
            tab.get_by_role("button", name="Filter").click()
        assert "action=erased" in tab.url
        expect(trail.locator("tbody tr")).to_have_count(1)
        expect(trail.locator("tbody tr")).to_contain_text("s***@example.org")
    finally:
        context.close()

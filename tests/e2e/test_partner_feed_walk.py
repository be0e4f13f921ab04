"""Issue 20, part 4, walked in a real browser: the central web team registers a partner's ORUK
API from the admin, presses "Pull now", the worker pulls it, and the run history shows what
came in; a resident then finds the partner's service in the directory."""

import pytest
from playwright.sync_api import expect

from core.models import DeliveryUnit
from core.tests.factories import UserFactory
from core.worker import Worker
from directory.models import Service
from directory.tests.feed_server import FeedServer
from tests.site import fresh_home_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record(n):
    return {
        "id": f"7c6b5a4d-3e2f-4a1b-8c9d-0e1f2a3b4c{n:02d}",
        "name": f"Befriending circle {n}",
        "description": "Weekly phone calls with a volunteer for people living alone.",
        "status": "active",
        "last_modified": "2026-11-20T08:00:00Z",
        "organization": {"id": "7c6b5a4d-3e2f-4a1b-8c9d-0e1f2a3b4cff", "name": "Good Neighbours"},
    }


def test_web_team_registers_a_feed_pulls_it_and_residents_find_its_services(
    browser, live_server, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    fresh_home_page()
    DeliveryUnit.objects.create(slug="adult-care", name="Adult social care")
    UserFactory(web_team=True, username="wendy")

    with FeedServer([record(1), record(2)]) as partner:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "wendy")
        page.fill("#id_password", "pw")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()

        # From the dashboard: Directory > Partner feeds > Add.
        page.get_by_role("button", name="Directory").click()
        page.get_by_role("link", name="Partner feeds").click()
        page.get_by_role("link", name="Add partner feed").first.click()
        page.get_by_role("textbox", name="Name").fill("Good Neighbours")
        page.get_by_role("textbox", name="Feed address").fill(partner.url)
        owner = page.locator("#id_owner")
        if owner.evaluate("element => element.tagName") == "SELECT":
            owner.select_option(label="Adult social care")
        else:
            page.get_by_role("button", name="Choose delivery unit").click()
            page.locator(".modal").get_by_role("link", name="Adult social care").click()
        page.get_by_role("textbox", name="Who to tell when a pull fails").fill(
            "adults@northbrook.example"
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Save").first.click()
        expect(page.get_by_role("link", name="Good Neighbours")).to_be_visible()
        expect(page.get_by_text("Not pulled yet")).to_be_visible()

        page.get_by_role("link", name="Run history").first.click()
        expect(page.get_by_text("This feed has not been pulled yet.")).to_be_visible()
        with page.expect_navigation():
            page.get_by_role("button", name="Pull now").click()
        expect(page.get_by_text("The pull of Good Neighbours has started.")).to_be_visible()
        assert not partner.requests, "the pull waits for the worker"

        Worker(interval=0.05, schedule=False).run(batch=True)
        page.reload()
        row = page.locator("tr[data-run-status]").first
        expect(row).to_contain_text("Succeeded")
        row.get_by_text("Show the report").click()
        expect(row).to_contain_text("Created 2, updated 0, unchanged 0, rejected 0.")
        context.close()

    assert Service.objects.filter(name__startswith="Befriending circle").count() == 2
    resident = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    phone = resident.new_page()
    phone.goto(live_server.url + "/directory/?q=befriending")
    expect(phone.get_by_role("link", name="Befriending circle 1")).to_be_visible()
    resident.close()

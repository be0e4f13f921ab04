"""Issue 17, walked by the web team and then a resident: a web team member signs in, opens
Settings › Promoted search results from the admin menu, promotes the missed-bin journey for
"bins not emptied", and a resident searching those words on a phone sees it first, marked
"Recommended", straight away: each process holds the list of promoted searches in memory
(search.promotions) and forgets it when an editor saves one, so nobody waits for it."""

import pytest
from playwright.sync_api import expect

from core.tests.factories import UserFactory
from tests.browser import save_screenshot

from .test_search_walk import RESULTS, search_from_home, top_three

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "bins not emptied"


def test_web_team_promotes_a_journey_and_residents_see_it_first(demo_council, resident, browser):
    UserFactory(web_team=True, username="wren")

    # Before: the resident's words do not lead to the journey first, and nothing is recommended.
    search_from_home(resident, demo_council, WORDS)
    expect(resident.locator(".sp-search-result--promoted")).to_have_count(0)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    admin = context.new_page()
    admin.set_default_timeout(30_000)
    admin.goto(demo_council + "/admin/login/")
    admin.fill("#id_username", "wren")
    admin.fill("#id_password", "pw")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Sign in").click()

    # From the dashboard: Settings › Promoted search results › Add.
    admin.get_by_role("button", name="Settings").click()
    with admin.expect_navigation():
        admin.get_by_role("link", name="Promoted search results").click()
    with admin.expect_navigation():
        admin.get_by_role("link", name="Add new promoted result").first.click()
    admin.get_by_label("Search term(s)/phrase").fill(WORDS)
    admin.get_by_role("button", name="Add a recommended result").click()
    admin.get_by_role("button", name="Choose a page").first.click()
    modal = admin.locator(".modal")
    modal.locator("input[name='q']").fill("missed bin")
    modal.get_by_role("link", name="Report a missed bin").first.click()
    modal.wait_for(state="hidden")
    admin.locator("textarea[name$='-description']").first.fill(
        "Tell us today and we collect it within 2 working days."
    )
    with admin.expect_navigation():
        admin.get_by_role("button", name="Create").click()
    expect(admin.locator(".messages")).to_contain_text(WORDS)
    save_screenshot(admin, "promotion-saved")
    context.close()

    # The resident, searching the same words straight after, sees it first and recommended.
    search_from_home(resident, demo_council, WORDS)
    promoted = resident.locator(".sp-search-result--promoted")
    expect(promoted).to_have_count(1)
    expect(promoted).to_contain_text("Recommended")
    expect(promoted).to_contain_text("within 2 working days")
    assert "/missed-bin" in top_three(resident)[0]
    first = resident.locator(RESULTS).first
    with resident.expect_navigation():
        first.tap()
    expect(resident.locator("h1")).to_contain_text("missed bin")
    save_screenshot(resident, f"promotion-resident-{resident.mode}")

"""Issue 18 (part 2): a cached journey shows an approved change on the resident's next visit.

With the page cache on (the real Redis), a resident on a phone opens a journey whose step lists
services from the directory, twice: the second answer comes from the cache. A delivery-unit
editor signs in, changes the description of one of those services and submits it for approval;
the resident still sees the live words (a draft is not news). The web team approves it from the
dashboard, and the resident's next visit to the journey shows the new words, while a page that
does not show the service is still served from the cache.
"""

import pytest
from playwright.sync_api import expect

from core.tests.factories import UserFactory
from directory.models import Service
from tests.browser import save_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

JOURNEY = "/cusp-of-care/stay-independent-at-home/"
PHONE_390 = {"width": 390, "height": 844}
NEW_WORDS = "Now open on Saturdays for home adaptation advice."


@pytest.fixture
def cached_council(demo_council, redis_caches, settings, live_server):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True  # as production has it, with Redis
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return demo_council


def visit(page, url):
    """Open ``url`` as a resident would; returns what the page cache said about it."""
    response = page.goto(url)
    assert response.status == 200
    return response.header_value("x-page-cache")


def test_an_approved_service_change_shows_on_the_cached_journey_at_once(browser, cached_council):
    url = cached_council
    resident = browser.new_context(viewport=PHONE_390, is_mobile=True, has_touch=True).new_page()
    assert visit(resident, url + JOURNEY) == "stored"
    assert visit(resident, url + "/cookies/") == "stored"
    assert visit(resident, url + JOURNEY) == "hit"
    listing = resident.locator(".sp-directory-listing").first
    service = next(s for s in Service.objects.filter(live=True) if s.name in listing.text_content())
    assert resident.context.cookies() == []

    UserFactory(unit_editor=True, units=[service.owner], username="edna")
    UserFactory(web_team=True, username="wendy")
    editor = browser.new_context(locale="en-GB").new_page()
    editor.set_default_timeout(30_000)
    sign_in(editor, url, "edna")
    editor.goto(url + f"/admin/snippets/directory/service/edit/{service.pk}/")
    editor.fill("#id_description", NEW_WORDS)
    editor.locator("[data-w-dropdown-target='toggle']", has_text="").last.click()
    with editor.expect_navigation():
        editor.get_by_role("button", name="Submit to Web team approval").click()
    assert "could not be saved" not in editor.content()

    # Waiting for approval: residents still see what is live.
    visit(resident, url + JOURNEY)
    expect(listing).to_contain_text(service.name)
    expect(listing).not_to_contain_text(NEW_WORDS)

    web = browser.new_context(locale="en-GB").new_page()
    web.set_default_timeout(30_000)
    sign_in(web, url, "wendy")
    row = web.locator("#awaiting-review-section tr", has_text=service.name)
    row.get_by_role("button", name="Actions").click()
    with web.expect_navigation():
        row.get_by_role("button", name="Approve", exact=True).click()

    assert visit(resident, url + JOURNEY) == "stored"  # rendered afresh for the next resident
    expect(listing).to_contain_text(NEW_WORDS)
    save_screenshot(resident, "page-cache-journey-after-approval")
    assert visit(resident, url + JOURNEY) == "hit"
    expect(listing).to_contain_text(NEW_WORDS)
    assert visit(resident, url + "/cookies/") == "hit"  # it never showed the service

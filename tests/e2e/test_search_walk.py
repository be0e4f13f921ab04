"""Issue 17, walked by a resident on a 390×844 phone with JavaScript on and off, then by a
product owner: search in the resident's own words (a typo, a worry, a colloquial phrase) puts
the answer in the top three, "Did you mean" leads somewhere, a tap on a result lands on the
page, and the product owner reads the searches and the click in Reports › Search queries once
the worker has written them."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from core.models import DeliveryUnit
from core.permissions import PRODUCT_OWNER
from core.roles import ensure_roles
from search import analytics
from tests.browser import save_screenshot

from .conftest import dismiss_cookie_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "xylophone-lessons-2026"
RESULTS = "ol.sp-search-results > li h2 a"


def search_from_home(page, base: str, words: str) -> None:
    page.goto(base + "/")
    dismiss_cookie_banner(page)
    page.get_by_label("Search this website").fill(words)
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).first.tap()
    page.wait_for_load_state()


def top_three(page) -> list[str]:
    """Where the first three results lead (each link goes through the click recorder)."""
    links = page.locator(RESULTS)
    targets = []
    for n in range(min(3, links.count())):
        href = links.nth(n).get_attribute("href")
        targets.append(parse_qs(urlparse(href).query)["to"][0])
    return targets


def test_a_resident_finds_the_answer_in_their_own_words(demo_council, resident, browser):
    page = resident

    # A typo: the answer is still first, and "Did you mean" offers the spelling.
    search_from_home(page, demo_council, "missed bin colection")
    targets = top_three(page)
    assert any("/missed-bin" in target for target in targets), targets
    suggestion = page.get_by_role("link", name="missed bin collection", exact=True)
    expect(suggestion).to_be_visible()
    save_screenshot(page, f"search-typo-{page.mode}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Tapping the first result lands on the page it names.
    first = page.locator(RESULTS).first
    title = first.inner_text()
    with page.expect_navigation():
        first.tap()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text(title)
    assert "/missed-bin" in urlparse(page.url).path

    # The spelling offered finds results too.
    page.go_back()
    with page.expect_navigation():
        page.get_by_role("link", name="missed bin collection", exact=True).tap()
    expect(page.locator("#search-count")).not_to_have_text("0 results")
    assert any("/missed-bin" in target for target in top_three(page))

    # A worry and a colloquial phrase, as residents put them.
    search_from_home(page, demo_council, "can't pay my rent")
    targets = top_three(page)
    assert any(
        "housing-benefit-and-council-tax-support" in target or "crisis-support" in target
        for target in targets
    ), targets
    search_from_home(page, demo_council, "old sofa collection")
    assert any("bulky-waste" in target for target in top_three(page))

    # The product owner reads what residents searched for and chose, once the worker has
    # written the buffered searches (its search-log-flush job).
    analytics.flush()
    ensure_roles()
    owner = User.objects.create_user("search-po", "po@northbrook.example", PASSWORD)
    owner.groups.add(Group.objects.get(name=PRODUCT_OWNER))
    owner.delivery_units.add(DeliveryUnit.objects.get(slug="customer-experience"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    admin = context.new_page()
    admin.set_default_timeout(30_000)
    admin.goto(f"{demo_council}/admin/login/")
    admin.get_by_label("Username").fill("search-po")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(f"{demo_council}/admin/")
    admin.goto(f"{demo_council}/admin/reports/search/")
    top = admin.locator("table.listing").first
    row = top.locator("tr", has_text="missed bin colection")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text("1")  # the click on the first result
    expect(top).to_contain_text("can't pay my rent")
    save_screenshot(admin, f"search-report-{page.mode}")
    context.close()

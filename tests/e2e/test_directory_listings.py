"""Issue 16 (part 6): listings that answer, walked by a resident on a phone (390 x 844).

- "Show nearest" inside a closed journey step comes back with that step open (rendered open by
  the server, so it works without JavaScript) and focus on the results heading.
- The first part of a postcode ("NB2") is accepted: "Showing places nearest NB2", distances.
- Every listing says whether it is open now or today; a service page lists the next 7 days.
- On /directory/ the search box comes first and the filters are in a closed "Filter results",
  so the first result is near the top of a phone's page, with or without a category chosen.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility, dismiss_cookie_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}
OPENING = re.compile(r"^(Open now, closes at |Open 24 hours|Open today |Closed now|Closed today)")


def phone_context(browser, **options):
    return browser.new_context(
        viewport=PHONE_390, locale="en-GB", has_touch=True, is_mobile=True, **options
    )


@pytest.fixture
def phone_390(browser):
    context = phone_context(browser)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def first_result_top(page):
    """How far down the page (CSS pixels) the first result's heading starts."""
    return page.evaluate(
        "Math.round(document.querySelector('.sp-directory-result h3').getBoundingClientRect().top"
        " + window.scrollY)"
    )


def test_show_nearest_in_a_closed_step_keeps_it_open_and_focuses_the_results(
    demo_council, phone_390, browser
):
    page = phone_390
    page.goto(demo_council + "/")
    dismiss_cookie_banner(page)
    page.get_by_role("link", name="I’m helping someone stay independent at home").first.click()
    page.get_by_role("link", name="Get help to prevent falls at home").first.click()
    expect(page.locator("h1")).to_have_text("Get help to prevent falls at home")

    # Step 3 holds the falls classes; like every step but the first, it starts closed.
    step = page.locator("#step-3")
    details = step.locator("details")
    assert details.get_attribute("open") is None
    step.locator("summary").click()
    listing = step.locator(".sp-directory-listing")
    # Every listing says whether the service is open now or today.
    openings = listing.locator("[data-opening]").all_inner_texts()
    assert openings and all(OPENING.match(text) for text in openings), openings

    listing.get_by_label("Your postcode").fill("NB2")
    listing.get_by_role("button", name="Show nearest").click()
    page.wait_for_load_state()

    # Back on the same page at this listing's results, with its step open.
    assert page.url.endswith("#step-3-listing-1-results"), page.url
    assert "step=3" in page.url and "postcode=NB2" in page.url
    details = page.locator("#step-3 details")
    assert details.get_attribute("open") is not None
    results = page.locator("#step-3-listing-1-results")
    expect(results).to_have_text("Showing places nearest NB2")
    expect(results).to_be_focused()
    assert results.evaluate("el => el.getBoundingClientRect().top < window.innerHeight")
    distances = page.locator("#step-3 .sp-directory-result .sp-tag").all_inner_texts()
    assert distances and all(text.endswith("km away") for text in distances), distances
    values = [float(text.split()[0]) for text in distances]
    assert values == sorted(values)
    assert page.locator("#step-3 .sp-error-message").count() == 0
    check_accessibility(page, "axe-listing-nearest-nb2-phone")

    # Without JavaScript the server has already rendered the step open with its results.
    no_js = phone_context(browser, java_script_enabled=False)
    try:
        plain = no_js.new_page()
        plain.set_default_timeout(30_000)
        plain.goto(page.url)
        assert plain.locator("#step-3 details").get_attribute("open") is not None
        expect(plain.locator("#step-3-listing-1-results")).to_have_text(
            "Showing places nearest NB2"
        )
        expect(plain.locator("#step-3 .sp-directory-result").first).to_be_visible()
    finally:
        no_js.close()

    # A partial postcode with its sector works too; nonsense is refused, next to the box.
    listing = page.locator("#step-3 .sp-directory-listing")
    listing.get_by_label("Your postcode").fill("NB2 4")
    listing.get_by_role("button", name="Show nearest").click()
    page.wait_for_load_state()
    expect(page.locator("#step-3-listing-1-results")).to_have_text("Showing places nearest NB2 4")
    listing = page.locator("#step-3 .sp-directory-listing")
    listing.get_by_label("Your postcode").fill("banana")
    listing.get_by_role("button", name="Show nearest").click()
    page.wait_for_load_state()
    assert page.locator("#step-3 details").get_attribute("open") is not None
    expect(page.locator("#step-3 .sp-error-message")).to_contain_text(
        "Enter a real postcode, like NB1 1AA, or the first part of it, like NB1"
    )
    expect(page.locator("#step-3-listing-1-postcode")).to_be_focused()

    # A service page says whether it is open, and lists the next 7 days when asked.
    page.locator("#step-3 .sp-directory-result h4 a").first.click()
    page.wait_for_load_state()
    assert OPENING.match(page.locator("main [data-opening]").inner_text())
    week = page.locator(".sp-opening-week")
    assert week.get_attribute("open") is None
    week.locator("summary").click()
    rows = week.locator(".sp-summary-list__row")
    expect(rows).to_have_count(7)
    assert rows.first.locator("dt").inner_text() == "Today"
    check_accessibility(page, "axe-service-opening-week-phone")


def test_directory_filters_are_closed_on_a_phone_and_results_come_first(
    demo_council, phone_390, browser
):
    page = phone_390
    page.goto(demo_council + "/")
    dismiss_cookie_banner(page)
    page.goto(demo_council + "/directory/")
    search_box = page.get_by_label("Search the directory")
    filters = page.locator("[data-directory-filters]")
    # The keyword box comes before the filters, which start closed on a phone.
    assert search_box.evaluate(
        "(box, filters) => !!(box.compareDocumentPosition(filters) & Node.DOCUMENT_POSITION_FOLLOWING)",
        filters.element_handle(),
    )
    assert filters.get_attribute("open") is None
    plain = first_result_top(page)

    # A resident chooses a category through the filters.
    filters.locator("summary").first.click()
    filters.locator("summary", has_text="Category").click()
    page.get_by_label("Falls prevention classes").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "category=falls-prevention-classes" in page.url
    filters = page.locator("[data-directory-filters]")
    assert filters.get_attribute("open") is None
    expect(filters.locator("summary").first).to_contain_text("(1 chosen)")
    chosen = first_result_top(page)
    print(f"\nFirst result at 390x844: {plain}px with no filter, {chosen}px with a category")
    assert plain < 1000 and chosen < 1000, (plain, chosen)
    first = page.locator(".sp-directory-result").first
    assert OPENING.match(first.locator("[data-opening]").inner_text())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_accessibility(page, "axe-directory-phone-390-category")

    # The first part of a postcode, typed into the filters.
    filters.locator("summary").first.click()
    page.get_by_label("Postcode").fill("NB2")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Showing places nearest NB2")
    assert page.locator(".sp-error-summary").count() == 0

    # Without JavaScript the filters still open with a tap and still filter.
    no_js = phone_context(browser, java_script_enabled=False)
    try:
        plain_page = no_js.new_page()
        plain_page.set_default_timeout(30_000)
        plain_page.goto(demo_council + "/directory/")
        no_js_filters = plain_page.locator("[data-directory-filters]")
        assert no_js_filters.get_attribute("open") is None
        no_js_filters.locator("summary").first.click()
        plain_page.get_by_label("Free services only").check()
        plain_page.get_by_role("button", name="Apply filters").click()
        plain_page.wait_for_load_state()
        assert "free=on" in plain_page.url
    finally:
        no_js.close()

    # On a desktop the filters sit beside the results, open.
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        wide = desktop.new_page()
        wide.set_default_timeout(30_000)
        wide.goto(demo_council + "/directory/")
        expect(wide.locator("[data-directory-filters]")).to_have_attribute("open", "")
    finally:
        desktop.close()

"""Issue 17, walked by a resident on a phone (JavaScript on and off) on a council site with
many pages about one thing: searching it finds the pages about it, not the pages that only
mention it, and every number the resident is shown (the count, a tab's count) is what
choosing it then finds.

The heading rule (``search.engines.base.HEADING_ENOUGH``) is what keeps such a search fast at
100,000 pages; here it is seen from the resident's side.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import Site

from cms.tests.factories import ContentPageFactory
from core.models import DeliveryUnit
from search.engines.base import HEADING_ENOUGH

from .test_search_walk import RESULTS, search_from_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ABOUT = HEADING_ENOUGH + 10
MENTIONS = 12


def add_pages(home, unit, count: int, title: str, slug: str, summary: str, body=None) -> None:
    """``count`` published information pages under the home page, numbered from 0."""
    for n in range(count):
        extra = {"body": body} if body else {}
        ContentPageFactory(
            parent=home,
            title=f"{title} {n}",
            slug=f"{slug}-{n}",
            summary=summary,
            delivery_unit=unit,
            **extra,
        )


@pytest.fixture
def large_site(demo_council):
    home = Site.objects.get(is_default_site=True).root_page.specific
    unit = DeliveryUnit.objects.first()
    add_pages(
        home,
        unit,
        ABOUT,
        "Paying your council tax in ward",
        "council-tax-ward",
        "How to pay and what to do if you are behind.",
    )
    add_pages(
        home,
        unit,
        MENTIONS,
        "Library branch",
        "library-branch",
        "Opening hours and events.",
        body=[{"type": "text", "value": "<p>You can pay your council tax at the desk.</p>"}],
    )
    call_command("search_rebuild", "--engine", "embedded", "--no-progress", verbosity=0)
    return demo_council


def shown_count(page) -> int:
    text = page.locator("#search-count").inner_text()
    return int(re.search(r"[\d,]+", text).group(0).replace(",", ""))


def test_a_resident_finds_the_pages_about_it_and_the_numbers_agree(large_site, resident):
    page = resident
    search_from_home(page, large_site, "council tax")
    total = shown_count(page)
    assert total >= ABOUT
    titles = page.locator(RESULTS).all_inner_texts()
    assert titles and not any(title.startswith("Library branch") for title in titles)

    # The "Information" tab says how many pages it holds, and choosing it finds exactly that many.
    tab = page.get_by_role("link", name=re.compile(r"^Information \(\d+\)$"))
    expected = int(re.search(r"\((\d+)\)", tab.inner_text()).group(1))
    assert expected >= ABOUT
    with page.expect_navigation():
        tab.tap()
    assert shown_count(page) == expected

    # Page through to the last page of results: still pages about council tax, none of the
    # libraries that only mention it.
    last = page.locator("nav.sp-pagination a[aria-label^='Page']").last
    with page.expect_navigation():
        last.tap()
    titles = page.locator(RESULTS).all_inner_texts()
    assert titles and not any(title.startswith("Library branch") for title in titles)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # A library's own page is still found by what it is about.
    search_from_home(page, large_site, "library branch opening hours")
    expect(page.locator(RESULTS).first).to_contain_text("Library branch")

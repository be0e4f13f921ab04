"""Issue 18 (part 1): the pages every resident sees alike are cacheable, and still work.

A resident on a phone, with JavaScript on and off, walks from the home page to a journey and a
content page: no page sets a cookie or varies by cookie, each says ``public`` with ``s-maxage``
so a shared cache may keep it, the cookie banner still asks (with JavaScript) and remembers the
answer, "Is this page useful?" still thanks them, and "Start now" still starts the form, whose
pages (the resident's answers) say ``no-store``.
"""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def staff_second_step(settings):
    """As in production: staff owe a second step, which must not make residents' pages personal."""
    settings.SIGNPOST_MFA_REQUIRED = True


def page_answers(page):
    """Every page the browser loads (documents only), as (url, headers) in order."""
    seen = []
    page.on(
        "response",
        lambda response: (
            seen.append((response.url, response.all_headers()))
            if response.request.resource_type == "document"
            else None
        ),
    )
    return seen


def assert_public(url, headers):
    assert "set-cookie" not in headers, f"{url} set a cookie: {headers.get('set-cookie')}"
    assert "cookie" not in headers.get("vary", "").lower(), f"{url} varies by cookie"
    cache_control = headers.get("cache-control", "")
    assert "public" in cache_control and "s-maxage=" in cache_control, (url, cache_control)


def test_a_residents_pages_are_the_same_for_everyone_and_still_work(demo_council, resident):
    page = resident
    answers = page_answers(page)
    page.goto(demo_council + "/")
    banner = page.locator(".sp-cookie-banner")
    if page.mode == "js":
        expect(banner).to_be_visible()
    else:
        # Without JavaScript no analytics cookie is ever set, so there is nothing to ask.
        expect(banner).to_be_hidden()

    page.get_by_role("link", name="I want to report something or pay for something").first.click()
    page.get_by_role("link", name="Report a missed bin collection").first.click()
    expect(page.locator("h1")).to_have_text("Report a missed bin collection")
    journey_url = page.url
    page.goto(demo_council + "/cookies/")
    expect(page.locator("h1")).to_have_text("Cookies")

    visited = [(url, headers) for url, headers in answers]
    assert len(visited) == 4, [url for url, _ in visited]
    for url, headers in visited:
        assert_public(url, headers)
    assert page.context.cookies() == [], "an anonymous walk through the pages left a cookie"

    # "Is this page useful?" still thanks the resident, on the very page they were reading.
    page.goto(journey_url)
    feedback = page.get_by_role("group", name="Is this page useful?")
    feedback.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Send feedback").click()
    thanks = page.locator("#page-feedback").get_by_role("status")
    expect(thanks).to_have_text("Thank you for your feedback.")
    assert page.url.split("?")[0].split("#")[0] == journey_url.split("#")[0]
    assert page.context.cookies() == []

    if page.mode == "js":
        page.get_by_role("button", name="Reject analytics cookies").click()
        expect(page.locator(".sp-cookie-banner")).to_be_hidden()
        names = [cookie["name"] for cookie in page.context.cookies()]
        assert names == ["cookies_policy"]
        page.goto(journey_url)
        expect(page.locator(".sp-cookie-banner")).to_be_hidden()

    # Starting the form from the journey works without a token; its pages are never stored.
    answers.clear()
    page.goto(journey_url)
    show_all = page.get_by_role("link", name="Show all steps")
    if show_all.count():
        show_all.click()
    page.get_by_role("button", name="Start now").first.click()
    expect(page.locator("h1")).to_have_text("What is the address?")
    url, headers = answers[-1]
    assert "/forms/" in url
    assert "no-store" in headers.get("cache-control", ""), headers.get("cache-control")
    assert "public" not in headers.get("cache-control", "")

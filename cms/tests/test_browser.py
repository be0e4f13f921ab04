"""The home page in a real browser, on a phone and with the keyboard only."""

import pytest
from playwright.sync_api import expect

from tests.browser import save_screenshot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_page_on_a_phone_with_keyboard(live_server, phone_page, home_page):
    page = phone_page
    page.goto(live_server.url + "/")
    # A first visit shows the cookie banner first (GOV.UK order); choosing works by keyboard.
    page.get_by_role("button", name="Reject analytics cookies").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".sp-cookie-banner")).to_be_hidden()
    assert page.locator("h1").inner_text() == "How can we help you today?"
    page.keyboard.press("Tab")
    skip = page.locator("a.sp-skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # Nothing wider than the phone's screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    save_screenshot(page, "home-phone")

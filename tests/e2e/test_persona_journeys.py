"""Issue 9: for each persona, a resident starts on the home page and, by following links and
buttons only, reaches a completed form (a confirmation with a reference) or a service they were
looking for. Every walk runs on a phone-sized and on a desktop viewport and on a phone with
JavaScript off, and one more uses the keyboard alone. A walk that sends a form goes on to what
the resident does next: follows "Track your request" from the confirmation, and later, from the
home page, finds the request again with its reference and email address.
"""

import pytest
from playwright.sync_api import expect

from eforms.models import Submission
from tests.browser import save_screenshot

from .conftest import REFERENCE, dismiss_cookie_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def follow(page, name):
    """Click the link with this exact accessible name, as a resident would."""
    page.get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_load_state()


def expect_heading(page, text):
    """Wait for the next page to arrive and check its main heading."""
    expect(page.locator("h1").first).to_have_text(text)


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def contact_details(page, email):
    page.get_by_label("Full name").fill("Sam Example")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("I understand how the council will use my information").check()
    press(page, "Continue")


def send_and_read_reference(page, email):
    expect_heading(page, "Check your answers before sending")
    press(page, "Accept and send")
    expect_heading(page, "Request received")
    reference = page.locator("[data-reference]").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    assert Submission.objects.get(reference=reference).email == email
    expect(page.get_by_text(f"We have sent a confirmation email to {email}.")).to_be_visible()
    confirmation = page.url
    track_it(page, reference)
    page.goto(confirmation)
    return reference


def track_it(page, reference):
    """Straight after sending, then later from the home page: the request and its status."""
    follow(page, "Track your request")
    expect_heading(page, f"Request {reference}")
    expect(page.locator("[data-status]")).to_have_text("Acknowledged")  # an email was given
    expect(page.locator("[data-next-steps]")).to_contain_text("You can expect an update by")
    page.goto("/".join(page.url.split("/")[:3]) + "/")
    follow(page, "Check the progress of a report or request")
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Email address").fill(Submission.objects.get(reference=reference).email)
    press(page, "Find my request")
    expect_heading(page, f"Request {reference}")
    expect(page.locator("[data-status]")).to_have_text("Acknowledged")  # an email was given
    assert no_sideways_scrolling(page)


def no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_cusp_of_care_finds_falls_classes(demo_council, any_viewport_page):
    page = any_viewport_page
    page.goto(demo_council + "/")
    dismiss_cookie_banner(page)
    follow(page, "I’m helping someone stay independent at home")
    expect_heading(page, "I’m helping someone stay independent at home")
    follow(page, "Get help to prevent falls at home")
    expect_heading(page, "Get help to prevent falls at home")
    follow(page, "Show all steps")
    follow(page, "Falls prevention exercise classes at Eastfield Library")
    expect_heading(page, "Falls prevention exercise classes at Eastfield Library")
    assert "/directory/services/" in page.url
    assert no_sideways_scrolling(page)
    save_screenshot(page, f"journey-cusp-of-care-service-{page.viewport_name}")


def test_tenant_reports_a_repair(demo_council, any_viewport_page):
    page = any_viewport_page
    page.goto(demo_council + "/")
    dismiss_cookie_banner(page)
    follow(page, "I need help with my home, my rent or money")
    follow(page, "Report a repair in your council home")
    expect_heading(page, "Report a repair in your council home")
    follow(page, "Show all steps")
    page.get_by_role("button", name="Start now").click()  # its name ends with an arrow
    expect_heading(page, "Is it an emergency?")
    page.get_by_label("No", exact=True).check()
    press(page, "Continue")
    page.get_by_label("Postcode").fill("NB1 1AB")
    page.get_by_text("Enter the address manually").click()
    page.get_by_label("Address line 1").fill("Flat 2, 12 High Street")
    page.get_by_label("Town or city").fill("Northbrook")
    press(page, "Continue")
    page.get_by_label("Kitchen").check()
    press(page, "Continue")
    page.get_by_label("Describe the problem").fill("The kitchen tap drips all the time.")
    press(page, "Continue")
    contact_details(page, "sam.tenant@resident.example")
    assert no_sideways_scrolling(page)
    send_and_read_reference(page, "sam.tenant@resident.example")
    save_screenshot(page, f"journey-tenants-confirmation-{page.viewport_name}")


def test_parent_finds_a_nursery_through_the_directory(demo_council, any_viewport_page):
    page = any_viewport_page
    page.goto(demo_council + "/")
    dismiss_cookie_banner(page)
    follow(page, "I’m looking after a child’s education or care")
    follow(page, "Get free childcare for 2, 3 and 4 year olds")
    follow(page, "Show all steps")
    page.get_by_role("link", name="See all matching services in the directory").first.click()
    page.wait_for_load_state()
    assert "/directory/" in page.url and "category=childcare" in page.url
    follow(page, "Little Steps Nursery Eastfield")
    expect_heading(page, "Little Steps Nursery Eastfield")
    assert no_sideways_scrolling(page)
    save_screenshot(page, f"journey-parents-service-{page.viewport_name}")


def test_business_asks_about_trade_waste(demo_council, any_viewport_page):
    page = any_viewport_page
    page.goto(demo_council + "/")
    dismiss_cookie_banner(page)
    follow(page, "I run a business in the borough")
    follow(page, "Arrange a trade waste collection")
    follow(page, "Show all steps")
    page.get_by_role("button", name="Start now").click()
    expect_heading(page, "About your business")
    page.get_by_label("Business name").fill("The Old Bakery Café")
    page.get_by_label("Postcode").fill("NB3 2LX")
    page.get_by_text("Enter the address manually").click()
    page.get_by_label("Address line 1").fill("The Old Bakery, Station Road")
    page.get_by_label("Town or city").fill("Northbrook")
    press(page, "Continue")
    page.get_by_label("Food waste").check()
    page.get_by_label("Glass").check()
    page.get_by_label("Twice a week").check()
    press(page, "Continue")
    contact_details(page, "owner@oldbakery.example")
    assert no_sideways_scrolling(page)
    send_and_read_reference(page, "owner@oldbakery.example")
    save_screenshot(page, f"journey-business-confirmation-{page.viewport_name}")


def keyboard_to(page, wanted, limit=150):
    """Press Tab until the focused element's id, visible text or value is ``wanted``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " return [el.id, (el.innerText || '').trim(), el.value || '']; }"
        )
        if wanted in focused:
            return
    raise AssertionError(f"Tab never reached {wanted!r} on {page.url}")


def keyboard_activate(page, wanted):
    """Tab to a link or button and press Enter; every one used here loads a new page."""
    keyboard_to(page, wanted)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_resident_reports_a_missed_bin_with_the_keyboard_only(demo_council, browser_page):
    """No mouse at all: Tab to move, Enter to follow links and press buttons, Space to choose."""
    page = browser_page
    page.goto(demo_council + "/")
    keyboard_activate(page, "Reject analytics cookies")
    expect(page.locator(".sp-cookie-banner")).to_be_hidden()
    keyboard_activate(page, "I want to report something or pay for something")
    expect_heading(page, "I want to report something or pay for something")
    keyboard_activate(page, "Report a missed bin collection")
    expect_heading(page, "Report a missed bin collection")
    keyboard_activate(page, "Show all steps")
    keyboard_activate(page, "Start now")
    expect_heading(page, "What is the address?")

    keyboard_to(page, "address-postcode")
    page.keyboard.type("NB1 1AA")
    keyboard_activate(page, "Find address")
    keyboard_to(page, "address-uprn")
    page.keyboard.type("5 Mill")  # a closed select jumps to the option typed
    assert page.locator("#address-uprn").input_value() == "100090000003"
    keyboard_activate(page, "Continue")

    expect_heading(page, "Which bin was missed?")
    keyboard_to(page, "general")  # the first radio's value
    page.keyboard.press("ArrowDown")  # arrows move through a radio group and choose
    assert page.get_by_label("Recycling (blue bin)").is_checked()
    keyboard_activate(page, "Continue")

    keyboard_to(page, "yes")
    page.keyboard.press("Space")
    keyboard_activate(page, "Continue")

    expect_heading(page, "Your contact details")
    keyboard_to(page, "full_name")
    page.keyboard.type("Kim Example")
    keyboard_to(page, "email")
    page.keyboard.type("kim.keys@resident.example")
    keyboard_to(page, "consent")
    page.keyboard.press("Space")
    keyboard_activate(page, "Continue")

    expect_heading(page, "Check your answers before sending")
    keyboard_activate(page, "Accept and send")
    expect_heading(page, "Request received")
    reference = page.locator("[data-reference]").inner_text().strip()
    submission = Submission.objects.get(reference=reference)
    assert submission.answers["bin_type"] == "recycling"
    assert submission.answers["address"]["line_1"] == "5 Mill Lane"
    save_screenshot(page, "journey-report-and-transact-keyboard-confirmation")


def test_resident_reports_a_missed_bin(demo_council, any_viewport_page):
    """The same task as the keyboard walk, by touch on a phone and by mouse on a desktop."""
    page = any_viewport_page
    page.goto(demo_council + "/")
    dismiss_cookie_banner(page)
    follow(page, "I want to report something or pay for something")
    follow(page, "Report a missed bin collection")
    expect_heading(page, "Report a missed bin collection")
    follow(page, "Show all steps")
    page.get_by_role("button", name="Start now").click()
    expect_heading(page, "What is the address?")
    page.get_by_label("Postcode").fill("NB1 1AA")
    press(page, "Find address")
    page.locator("#address-uprn").select_option("100090000003")
    press(page, "Continue")
    expect_heading(page, "Which bin was missed?")
    page.get_by_label("Recycling (blue bin)").check()
    press(page, "Continue")
    page.locator("input[type=radio][value=yes]").check()
    press(page, "Continue")
    contact_details(page, "robin.bins@resident.example")
    assert no_sideways_scrolling(page)
    reference = send_and_read_reference(page, "robin.bins@resident.example")
    assert Submission.objects.get(reference=reference).answers["bin_type"] == "recycling"
    save_screenshot(page, f"journey-report-and-transact-{page.viewport_name}")

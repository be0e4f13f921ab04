"""A resident on a phone reporting a missed bin in a street where a neighbour already has.

Walked in Chromium at 390x844 with JavaScript on, from the form's start page: the neighbour's report is
never in the way, the same household's is mentioned without a reference, and pressing Continue
without choosing an address keeps the list and moves focus to the error summary.
"""

import pytest

from eforms.models import Submission, Subscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PHONE = {"width": 390, "height": 844}  # the phone the issue was reported on


@pytest.fixture
def site(demo_site):
    return demo_site


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def cont(page):
    page.get_by_role("button", name="Continue").click()


def start_missed_bin(page, site):
    page.goto(site + "/forms/missed-bin-report/")
    page.get_by_role("button", name="Start now").click()


def choose_address(page, line):
    page.get_by_label("Postcode").fill("NB1 1AA")
    page.get_by_role("button", name="Find address").click()
    page.get_by_label("Select the address").select_option(label=f"{line}, Northbrook")
    cont(page)


def report(page, site, line, bin_label, email):
    start_missed_bin(page, site)
    choose_address(page, line)
    page.get_by_label(bin_label).check()
    cont(page)


def finish(page, email):
    page.get_by_role("radio", name="Yes").check()
    cont(page)
    page.get_by_label("Full name").fill("Sam Example")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("I understand how the council will use my information").check()
    cont(page)
    page.get_by_role("button", name="Accept and send").click()
    page.wait_for_selector("text=Request received")
    return page.locator("[data-reference]").inner_text().strip()


def test_a_neighbours_report_never_blocks_and_the_same_households_is_not_shown(phone, site):
    page = phone
    assert page.viewport_size == PHONE
    # Someone at 7 Mill Lane has reported their black bin today.
    report(page, site, "7 Mill Lane", "General rubbish (black bin)", "seven@resident.example")
    seven = finish(page, "seven@resident.example")

    # 3 Mill Lane, same street, same bin: straight on, no notice, a reference of their own.
    page.context.clear_cookies()
    report(page, site, "3 Mill Lane", "General rubbish (black bin)", "three@resident.example")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Was the bin out by 7am on your collection day?"
    )
    three = finish(page, "three@resident.example")
    assert three != seven

    # Another resident of 7 Mill Lane reports the same bin: told it was reported today, and
    # nothing else about it.
    page.context.clear_cookies()
    report(page, site, "7 Mill Lane", "General rubbish (black bin)", "also7@resident.example")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "This may already have been reported"
    )
    text = page.locator("main").inner_text()
    assert "A report of this was made today." in text
    assert seven not in page.content()
    assert "seven@resident.example" not in page.content()
    assert page.get_by_role("button", name="Get updates").is_visible()
    assert page.get_by_role("button", name="Continue with my report").is_visible()
    # They can still report it themselves.
    page.get_by_role("button", name="Continue with my report").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Was the bin out by 7am on your collection day?"
    )
    page.go_back()
    page.reload()
    # Or follow the earlier one instead.
    page.context.clear_cookies()
    report(page, site, "7 Mill Lane", "General rubbish (black bin)", "follow7@resident.example")
    page.get_by_label("Email address").fill("follow7@resident.example")
    page.get_by_role("button", name="Get updates").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You will get updates"
    assert seven not in page.content()
    follower = Subscription.objects.get(email="follow7@resident.example")
    assert follower.submission == Submission.objects.get(reference=seven)


def test_continue_without_an_address_keeps_the_list_and_focuses_the_errors(phone, site):
    page = phone
    start_missed_bin(page, site)
    page.get_by_label("Postcode").fill("NB1 1AA")
    page.get_by_role("button", name="Find address").click()
    cont(page)
    summary = page.locator(".sp-error-summary")
    assert summary.inner_text().splitlines()[-1].strip() == "Select an address"
    assert page.evaluate("document.activeElement.classList.contains('sp-error-summary')")
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] < 844, box  # on screen, not below the fold
    select = page.get_by_label("Select the address")
    assert select.is_visible()
    assert select.locator("option").count() == 5
    page.get_by_role("link", name="Select an address").click()
    assert page.evaluate("document.activeElement.id") == "address-uprn"
    select.select_option(label="3 Mill Lane, Northbrook")
    cont(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Which bin was missed?"

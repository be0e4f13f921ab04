"""Acceptance in a real browser (Chromium through Playwright), with JavaScript on."""

import re

import pytest
from django.core import mail

from eforms.models import Submission
from eforms.services import change_status
from eforms.tests.files import png
from tests.tasks import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = png()  # a real picture: uploads are redrawn, so a bare signature is refused


@pytest.fixture
def site(demo_site):
    return demo_site


def cont(page):
    page.get_by_role("button", name="Continue").click()


def contact(page, email):
    page.get_by_label("Full name").fill("Robin Example")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("I understand how the council will use my information").check()
    cont(page)


def finish_and_track(page, site, email):
    page.get_by_role("button", name="Accept and send").click()
    page.wait_for_selector("text=Request received")
    reference = page.locator("[data-reference]").inner_text().strip()
    assert re.fullmatch(r"[A-Z]{2,4}-[A-Z0-9]{4}-[A-Z0-9]{4}", reference)
    page.get_by_role("link", name="Track your request").click()
    assert page.locator("[data-status]").inner_text() == "Acknowledged"
    tracking_url = page.url
    page.goto(site + "/track/")
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Find my request").click()
    assert page.url == tracking_url
    submission = Submission.objects.get(reference=reference)
    change_status(submission, Submission.IN_PROGRESS, message="We are on it.")
    run_queued_tasks()
    assert any(m.to == [email] and "We are on it." in m.body for m in mail.outbox)
    page.reload()
    assert page.locator("[data-status]").inner_text() == "In progress"
    open_emailed_link(page, site, email, submission, tracking_url)
    return submission


def open_emailed_link(page, site, email, submission, tracking_url):
    """The link in the email, opened on another device: it works, and its secret leaves the address bar."""
    update = next(m for m in mail.outbox if m.to == [email] and "We are on it." in m.body)
    path = re.search(r"/track/[A-Za-z0-9_-]+/", update.body).group(0)
    assert submission.track_token in path
    other = page.context.browser.new_context()
    try:
        tab = other.new_page()
        tab.goto(site + path)
        assert tab.url == tracking_url
        assert submission.track_token not in tab.url
        assert tab.locator("[data-status]").inner_text() == "In progress"
        # The address it landed on, shared without the email, asks for the reference and email.
        stranger = page.context.browser.new_context().new_page()
        stranger.goto(tracking_url)
        assert stranger.get_by_label("Reference").input_value() == submission.reference
        assert submission.email not in stranger.content()
        stranger.context.close()
    finally:
        other.close()


def test_missed_bin_in_browser(browser_page, site):
    page = browser_page
    page.goto(site + "/forms/missed-bin-report/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Postcode").fill("NB1")
    cont(page)
    assert (
        page.locator(".sp-error-summary a").inner_text()
        == "Postcode must be a real UK postcode, like NB1 1AA"
    )
    page.locator(".sp-error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "address-postcode" or page.url.endswith(
        "#address-postcode"
    )
    page.get_by_label("Postcode").fill("NB1 1AA")
    page.get_by_role("button", name="Find address").click()
    page.get_by_label("Select the address").select_option("100090000001")
    cont(page)
    page.get_by_label("Recycling (blue bin)").check()
    cont(page)
    page.get_by_label("Yes").check()
    cont(page)
    contact(page, "robin@resident.example")
    page.get_by_role("link", name="Change Which bin was missed?").click()
    page.get_by_label("Food waste (small grey caddy)").check()
    page.get_by_role("button", name="Save and return to check your answers").click()
    assert "Food waste (small grey caddy)" in page.content()
    finish_and_track(page, site, "robin@resident.example")


def test_pothole_in_browser(browser_page, site):
    page = browser_page
    page.goto(site + "/forms/pothole-report/")
    page.get_by_role("button", name="Start now").click()
    cont(page)
    assert "Describe where the pothole is" in page.locator(".sp-error-summary").inner_text()
    page.get_by_label("Describe where it is").fill("Outside the library on Station Road")
    cont(page)
    page.get_by_label("About the size of a car tyre").check()
    cont(page)
    page.set_input_files(
        "#photo", files=[{"name": "hole.png", "mimeType": "image/png", "buffer": PNG}]
    )
    cont(page)
    contact(page, "kim@resident.example")
    page.get_by_role("link", name="Change How big is it?").click()
    page.get_by_label("Smaller than a dinner plate").check()
    page.get_by_role("button", name="Save and return to check your answers").click()
    assert "Smaller than a dinner plate" in page.content()
    submission = finish_and_track(page, site, "kim@resident.example")
    assert submission.files.count() == 1


def test_school_place_in_browser(browser_page, site):
    page = browser_page
    page.goto(site + "/forms/school-place-application/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Postcode").fill("NB2 4QT")
    page.get_by_text("Enter the address manually").click()
    page.get_by_label("Address line 1").fill("8 Orchard Close")
    page.get_by_label("Town or city").fill("Northbrook")
    cont(page)
    page.locator("#children-0-first_name").fill("Ada")
    page.locator("#children-0-date_of_birth-day").fill("4")
    page.locator("#children-0-date_of_birth-month").fill("9")
    page.locator("#children-0-date_of_birth-year").fill("2017")
    page.locator("#children-0-previous_school").select_option("NB-1004")
    cont(page)
    assert page.locator(".sp-error-summary a").inner_text() == "Enter the child’s last name"
    page.locator("#children-0-last_name").fill("Example")
    page.get_by_role("button", name="Add another child").click()
    page.locator("#children-1-first_name").fill("Ben")
    page.locator("#children-1-last_name").fill("Example")
    page.locator("#children-1-date_of_birth-day").fill("1")
    page.locator("#children-1-date_of_birth-month").fill("2")
    page.locator("#children-1-date_of_birth-year").fill("2019")
    page.locator("#children-1-previous_school").select_option("NB-1001")
    cont(page)
    page.get_by_label("Which school would you like?").select_option("NB-1006")
    cont(page)
    page.get_by_label("No").check()
    cont(page)
    contact(page, "lee@resident.example")
    page.get_by_role("link", name="Change Which school would you like?").click()
    page.get_by_label("Which school would you like?").select_option("NB-1007")
    page.get_by_role("button", name="Save and return to check your answers").click()
    assert "Kingsmead High School" in page.content()
    submission = finish_and_track(page, site, "lee@resident.example")
    assert [child["first_name"] for child in submission.answers["children"]] == ["Ada", "Ben"]

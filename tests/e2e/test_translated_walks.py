"""Issue 9: a resident reads Signpost in Arabic on a phone, right to left throughout, forms
included: from the Arabic home page to a sent missed-bin report, every page in Arabic, checked
by axe-core and saved as screenshots. The Polish resident finds a foodbank in Polish.

The strings the resident sees are looked up the way the site finds them (the demo catalogue
for content, gettext for the interface), so the test reads like the walk in English.
"""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from cms.demo_translations import catalogue
from eforms.models import Submission

from .conftest import REFERENCE, check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def translate_demo(language, *, journeys, forms, services=()):
    """Translate just what the walk needs, as load_demo would (all of it takes a minute)."""
    from cms.demo_translations import home_strings
    from cms.models import Footer, HomePage
    from cms.translation import translate
    from directory.models import ServiceText
    from eforms.models import FormDefinition
    from journeys.models import JourneyPage, PersonaPage
    from personas.models import Persona

    english = {"locale__language_code": "en-gb"}
    strings = {**catalogue(language), **home_strings(language)}
    objects = [
        *HomePage.objects.filter(**english),
        *Footer.objects.filter(**english),
        *Persona.objects.filter(**english),
    ]
    objects += FormDefinition.objects.filter(slug__in=forms, **english)
    objects += PersonaPage.objects.filter(**english).order_by("path")
    objects += JourneyPage.objects.filter(slug__in=journeys, **english)
    objects += ServiceText.objects.filter(name__in=services, **english)
    for obj in objects:
        translate(obj, language, strings)


def in_language(language):
    """``words("Continue")``: what a resident reading ``language`` sees for these English words."""
    content = catalogue(language)

    def words(english):
        if english in content:
            return content[english]
        with translation.override(language):
            return translation.gettext(english)

    return words


def expect_heading(page, text):
    expect(page.locator("h1").first).to_have_text(text)


def follow(page, name):
    page.get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_load_state()


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def right_to_left(page):
    return page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"


def reads_left_to_right(locator):
    """True when the first characters of the element's text are drawn left of its last ones
    (a phone number in an Arabic page must not come out as "0000 7946 020")."""
    return locator.evaluate(
        """element => {
            const text = element.firstChild, range = document.createRange();
            range.setStart(text, 0); range.setEnd(text, 3);
            const first = range.getBoundingClientRect().left;
            range.setStart(text, text.length - 3); range.setEnd(text, text.length);
            return first < range.getBoundingClientRect().left;
        }"""
    )


def test_arabic_resident_reports_a_missed_bin_on_a_phone(demo_council, phone_page):
    translate_demo("ar", journeys=["missed-bin"], forms=["missed-bin-report"])
    ar = in_language("ar")
    page = phone_page

    page.goto(demo_council + "/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert reads_left_to_right(page.locator('footer a[href^="tel:"]'))
    press(page, ar("Reject analytics cookies"))
    follow(page, ar("I want to report something or pay for something"))
    follow(page, ar("Report a missed bin collection"))
    expect_heading(page, ar("Report a missed bin collection"))
    check_accessibility(page, "arabic-journey-phone")
    follow(page, ar("Show all steps"))
    page.get_by_role("button", name=ar("Start now")).click()

    expect_heading(page, ar("What is the address?"))
    assert right_to_left(page)
    page.get_by_label(ar("Postcode")).fill("NB1 1AA")
    press(page, ar("Find address"))
    page.locator("#address-uprn").select_option("100090000003")
    check_accessibility(page, "arabic-form-address-phone")
    press(page, ar("Continue"))

    expect_heading(page, ar("Which bin was missed?"))
    press(page, ar("Continue"))  # nothing chosen: the error summary, in Arabic
    expect(page.locator(".sp-error-summary")).to_contain_text(ar("Select which bin was missed"))
    check_accessibility(page, "arabic-form-error-phone")
    page.get_by_label(ar("Recycling (blue bin)")).check()
    press(page, ar("Continue"))
    page.locator("input[type=radio][value=yes]").check()
    press(page, ar("Continue"))

    page.get_by_label(ar("Full name")).fill("Sam Example")
    page.get_by_label(ar("Email address")).fill("sam.ar@resident.example")
    page.get_by_label(ar("I understand how the council will use my information")).check()
    press(page, ar("Continue"))
    expect_heading(page, ar("Check your answers before sending"))
    assert right_to_left(page)
    check_accessibility(page, "arabic-check-answers-phone")
    press(page, ar("Accept and send"))

    expect_heading(page, ar("Request received"))
    reference = page.locator("[data-reference]").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    submission = Submission.objects.get(reference=reference)
    assert submission.answers["bin_type"] == "recycling" and submission.locale == "ar"
    check_accessibility(page, "arabic-confirmation-phone")


def test_polish_resident_finds_a_foodbank(demo_council, browser_page):
    service = "Northbrook Foodbank at Eastfield Community Centre"
    translate_demo("pl", journeys=["crisis-support"], forms=[], services=[service])
    pl = in_language("pl")
    page = browser_page

    page.goto(demo_council + "/pl/")
    press(page, pl("Reject analytics cookies"))
    follow(page, pl("I need help with my home, my rent or money"))
    follow(page, pl("Get emergency help with food, bills and essentials"))
    follow(page, pl(service))
    expect_heading(page, pl(service))
    assert page.locator("html").get_attribute("lang") == "pl"
    check_accessibility(page, "polish-service-page")

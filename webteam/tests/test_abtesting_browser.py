"""A/B testing in a real browser: a resident shown version B who completes the form it leads to
is counted for B only, and a resident who has not accepted analytics cookies is not counted at all."""

import datetime
import io
import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from eforms.models import Submission
from tests.browser import DESKTOP, save_screenshot
from tests.caches import clear_caches
from tests.site import fresh_home_page
from webteam.abtesting import assignment
from webteam.abtesting.services import create_test, start_test
from webteam.models import AbTest, AbTestParticipant

FORM_SLUG = "missed-bin-report"
A_WORDS = "Report a missed bin"
B_WORDS = "Tell us your bin was not emptied"
# Headless Chromium says "HeadlessChrome", which the site rightly treats as a bot (always A,
# never counted); residents' browsers say Chrome.
RESIDENT_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
REFERENCE = re.compile(r"BIN-[A-Z0-9]{4}-[A-Z0-9]{4}")


def link_to_form(words):
    return [{"type": "text", "value": f'<p><a href="/forms/{FORM_SLUG}/">{words}</a></p>'}]


@pytest.fixture
def council(live_server):
    """The live server's URL, with the demo forms, a home page and a page leading to the missed-bin form."""

    import eforms.demo
    import personas.demo
    from cms.models import ContentPage
    from core.models import DeliveryUnit

    home = fresh_home_page()
    clear_caches()  # rate limits and cached fragments
    quiet = io.StringIO()
    personas.demo.load(stdout=quiet)
    eforms.demo.load(stdout=quiet)
    owner = DeliveryUnit.objects.get_or_create(
        slug="street-scene", defaults={"name": "Street scene"}
    )[0]
    page = home.add_child(
        instance=ContentPage(
            title="Missed bin collections",
            slug="missed-bins",
            summary="What to do if your bin was not emptied.",
            body=link_to_form(A_WORDS),
            delivery_unit=owner,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    page.save_revision().publish()
    yield live_server.url, page
    clear_caches()


def visitors_in(test, label):
    """Visitor ids that the test's split puts in `label`, in a fixed order."""
    return (
        f"visitor-{n}"
        for n in range(10_000)
        if assignment.choose_label(f"visitor-{n}", test.pk, test.control_share, ["A", "B"]) == label
    )


def resident(browser, url, visitor, consent):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", user_agent=RESIDENT_BROWSER)
    cookies = [{"name": assignment.VISITOR_COOKIE, "value": visitor, "url": url}]
    if consent:
        policy = quote(json.dumps({"essential": True, "analytics": True}))
        cookies.append({"name": assignment.CONSENT_COOKIE, "value": policy, "url": url})
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def report_missed_bin(page, words, uprn, email):
    """From the page under test, follow its link and report a missed bin through to the confirmation."""
    page.get_by_role("link", name=words).click()
    page.get_by_role("button", name="Start now").click()
    postcode = {"100090000001": "NB1 1AA", "100090000011": "NB3 2LX"}[uprn]
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_role("button", name="Find address").click()
    page.get_by_label("Select the address").select_option(uprn)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Recycling (blue bin)").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Full name").fill("Robin Example")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("I understand how the council will use my information").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Accept and send").click()
    page.wait_for_selector("text=Request received")
    reference = page.locator("[data-reference]").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    assert Submission.objects.filter(reference=reference, form__slug=FORM_SLUG).exists()
    return reference


def counts(test):
    return {v.label: (v.visitors, v.conversions) for v in test.variants.all()}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_in_b_completes_the_form_and_only_b_counts_it(browser, council):
    url, page_under_test = council
    page_under_test.body = link_to_form(B_WORDS)
    draft = page_under_test.save_revision()
    test = start_test(
        create_test(
            page_under_test,
            "Plainer link to the form",
            AbTest.COMPLETE_FORM,
            [draft],
            goal_target=FORM_SLUG,
        )
    )
    in_b = visitors_in(test, "B")
    assert counts(test) == {"A": (0, 0), "B": (0, 0)}

    # A resident who accepted analytics cookies and whose visitor id lands in B.
    context, page = resident(browser, url, next(in_b), consent=True)
    try:
        page.goto(url + page_under_test.url)
        assert page.get_by_role("link", name=B_WORDS).is_visible()
        assert page.get_by_role("link", name=A_WORDS).count() == 0
        assert page.locator(".sp-cookie-banner").is_hidden()  # they have already chosen
        assert counts(test) == {"A": (0, 0), "B": (1, 0)}
        report_missed_bin(page, B_WORDS, "100090000001", "robin@resident.example")
        save_screenshot(page, "abtesting-variant-b-form-confirmation")
        page.reload()  # looking at the confirmation again is not a second conversion
        page.wait_for_selector("text=Request received")
    finally:
        context.close()
    assert counts(test) == {"A": (0, 0), "B": (1, 1)}

    # A resident who has not accepted analytics cookies (their id would land in B): sees A, never counted.
    context, page = resident(browser, url, next(in_b), consent=False)
    try:
        page.goto(url + page_under_test.url)
        expect(page.locator(".sp-cookie-banner")).to_be_visible()
        assert page.get_by_role("link", name=A_WORDS).is_visible()
        assert page.get_by_role("link", name=B_WORDS).count() == 0
        report_missed_bin(page, A_WORDS, "100090000011", "kim@resident.example")
    finally:
        context.close()
    assert counts(test) == {"A": (0, 0), "B": (1, 1)}
    assert AbTestParticipant.objects.filter(test=test).count() == 1
    assert Submission.objects.filter(form__slug=FORM_SLUG).count() == 2

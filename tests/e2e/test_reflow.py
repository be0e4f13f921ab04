"""Issue 16, part 8: every page type residents use reflows at 320 CSS pixels (WCAG 1.4.10) in
English, Polish and Arabic: no sideways scrolling, no serious or critical axe problems, no id
used twice (so a label in one journey step never focuses another step's input).

One test builds the demo council once and walks home, a persona page, the journey with the
longest email address (all steps open: two directory listings and a self-check), a content
page, the contact page, directory results, a service page, search results, a form's question
page, the confirmation and the tracking page, in each language. Every problem on every page is
collected and reported together, so one run shows all that is left to fix.
"""

import pytest
from playwright.sync_api import expect

from directory.models import ServiceText
from eforms.models import Submission

from .conftest import REFERENCE, check_accessibility, dismiss_cookie_banner
from .test_translated_walks import translate_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
LANGUAGES = {"en": "", "pl": "/pl", "ar": "/ar"}
SERVICE = "Northbrook Foodbank at Eastfield Community Centre"
# The journey with the longest email address (housingoptions@...), two directory listings and
# a self-check; crisis-support has three listings; the school-place journey embeds a form.
JOURNEYS = ["homeless-or-at-risk", "crisis-support", "apply-for-a-school-place", "missed-bin"]

# What the page measures: sideways scroll (and the widest element that causes it), ids used
# twice, and labels whose `for` names no element or one in another journey step.
MEASURE = """() => {
    const root = document.documentElement, width = root.clientWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width && (box.right > width + 1 || box.left < -1)) {
            const scroller = el.parentElement && el.parentElement.closest('.sp-table-wrapper');
            if (!scroller && !el.closest('.sp-skip-link, .sp-honeypot, .sp-visually-hidden')) {
                wide.push(`${el.tagName.toLowerCase()}.${el.className || ''} (${Math.round(box.left)}..${Math.round(box.right)})`);
            }
        }
    }
    const seen = new Set(), duplicates = [];
    for (const el of document.querySelectorAll('[id]')) {
        if (seen.has(el.id)) duplicates.push(el.id);
        seen.add(el.id);
    }
    const strays = [];
    for (const label of document.querySelectorAll('label[for]')) {
        const target = document.getElementById(label.htmlFor);
        const step = label.closest('.sp-step-nav__step');
        if (!target) strays.push(`${label.htmlFor} (nothing has this id)`);
        else if (step && target.closest('.sp-step-nav__step') !== step)
            strays.push(`${label.htmlFor} (an input in another step)`);
    }
    return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 8), duplicates, strays};
}"""


@pytest.fixture
def narrow_phone(browser):
    """A 320×640 phone (WCAG's reflow width), touch, a fresh set of cookies."""
    context = browser.new_context(viewport=NARROW, locale="en-GB", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def inspect(page, name, problems):
    """Record what is wrong with the page the browser is on, under ``name``."""
    found = page.evaluate(MEASURE)
    if found["scrollWidth"] > found["clientWidth"]:
        problems.append(
            f"{name}: scrolls sideways ({found['scrollWidth']} > {found['clientWidth']} px): "
            + "; ".join(found["wide"])
        )
    if found["duplicates"]:
        problems.append(f"{name}: ids used twice: {sorted(set(found['duplicates']))}")
    if found["strays"]:
        problems.append(f"{name}: labels pointing elsewhere: {found['strays']}")
    try:
        check_accessibility(page, f"reflow-{name}")
    except AssertionError as failure:
        problems.append(str(failure))


def visit(page, url, name, problems):
    response = page.goto(url)
    assert response.status < 400, f"{name}: {url} answered {response.status}"
    inspect(page, name, problems)


def send_a_missed_bin_report(page, site):
    """The English resident's walk, so the browser's session may show the confirmation."""
    page.goto(site + "/forms/missed-bin-report/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Postcode").fill("NB1 1AA")
    page.get_by_role("button", name="Find address").click()
    page.get_by_label("Select the address").select_option("100090000001")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Garden waste (green bin)").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Full name").fill("Jo Example")
    page.get_by_label("Email address").fill("jo.longer-address-for-reflow@resident.example")
    page.get_by_label("I understand how the council will use my information").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Accept and send").click()
    expect(page.locator("h1").first).to_have_text("Request received")
    reference = page.locator("[data-reference]").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    return Submission.objects.get(reference=reference)


def translate_pages_for_reflow():
    """Polish and Arabic copies of what the walk visits (untranslated words stay English, as
    they would for a translator part way through)."""
    from cms.models import ContentPage
    from cms.translation import translate

    for language in ("pl", "ar"):
        translate_demo(language, journeys=JOURNEYS, forms=["missed-bin-report"], services=[SERVICE])
        for content in ContentPage.objects.filter(
            locale__language_code="en-gb", slug__in=["contact-us", "cookies"]
        ):
            translate(content, language, {})


def test_every_page_type_reflows_at_320_pixels_in_every_language(demo_council, narrow_phone):
    translate_pages_for_reflow()
    page = narrow_phone
    problems: list[str] = []

    page.goto(demo_council + "/")
    inspect(page, "en-home-cookie-banner", problems)
    dismiss_cookie_banner(page)
    submission = send_a_missed_bin_report(page, demo_council)
    inspect(page, "en-confirmation", problems)
    service_id = ServiceText.objects.get(name=SERVICE, locale__language_code="en-gb").service_id

    for language, prefix in LANGUAGES.items():
        site = demo_council + prefix
        pages = {
            "home": "/",
            "persona": "/tenants/",
            "journey-longest-email": "/tenants/homeless-or-at-risk/?all=1",
            "journey-three-listings": "/tenants/crisis-support/?all=1",
            "journey-with-form": "/parents/apply-for-a-school-place/?all=1",
            "content": "/cookies/",
            "contact": "/contact-us/",
            "directory-results": "/directory/?q=foodbank",
            "service": f"/directory/services/{service_id}/",
            "search-results": "/search/?q=bins",
            "confirmation": f"/forms/missed-bin-report/confirmation/{submission.reference}/",
            "track": "/track/",
            "tracked-request": f"/track/{submission.track_token}/",
            "form-start": "/forms/missed-bin-report/",
        }
        for name, path in pages.items():
            visit(page, site + path, f"{language}-{name}", problems)
        assert page.locator("html").get_attribute("lang").startswith(language)
        page.locator("button.sp-button--start").first.click()
        page.wait_for_load_state()
        assert "/page/" in page.url, page.url
        inspect(page, f"{language}-form-question", problems)
        # A question answered wrongly: the error summary and messages must reflow too.
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        inspect(page, f"{language}-form-question-error", problems)

    assert not problems, "\n".join(problems)


PHONE_390 = {"width": 390, "height": 844}
# Issue 16: the phone header was 245 px tall on every page and the first visit's cookie banner
# another 417 px, so a resident saw almost nothing of the page itself.
HEADER_MAX_PX = 120
COOKIE_BANNER_MAX_PX = 200


def heights(page):
    return page.evaluate(
        """() => {
            const measure = selector => {
                const el = document.querySelector(selector);
                return el ? Math.round(el.getBoundingClientRect().height) : 0;
            };
            return {header: measure('.sp-header'), banner: measure('.sp-cookie-banner')};
        }"""
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_phone_header_and_cookie_banner_leave_room_for_the_page(demo_council, browser, javascript):
    """On a 390×844 phone, in every language: the header is at most 120 px, the first visit's
    cookie banner at most 200 px with both answers side by side, the search box still works
    from the header, and the tracking page is one tap from home."""
    translate_demo("pl", journeys=["missed-bin"], forms=[])
    translate_demo("ar", journeys=["missed-bin"], forms=[])
    context = browser.new_context(
        viewport=PHONE_390,
        locale="en-GB",
        has_touch=True,
        is_mobile=True,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    measured = {}
    try:
        for language, prefix in LANGUAGES.items():
            context.clear_cookies()
            page.goto(demo_council + prefix + "/")
            first_visit = heights(page)
            buttons = page.locator(".sp-cookie-banner button")
            assert buttons.count() == 2
            if javascript:
                tops = {round(buttons.nth(n).bounding_box()["y"]) for n in range(2)}
                assert len(tops) == 1, f"{language}: the cookie answers are not side by side"
                check_accessibility(page, f"phone-header-{language}-cookie-banner")
                buttons.last.click()  # reject analytics cookies
                page.wait_for_load_state()
            else:
                # Without JavaScript no analytics cookie is ever set, so the banner (hidden in
                # the page everyone gets, shown by a script) takes no room at all.
                assert first_visit["banner"] == 0, f"{language}: banner shown without JavaScript"
            home = heights(page)
            page.goto(demo_council + prefix + "/report-and-transact/missed-bin/")
            journey = heights(page)
            measured[language] = {
                "cookie banner": first_visit["banner"],
                "header, first visit": first_visit["header"],
                "header, home": home["header"],
                "header, journey": journey["header"],
            }
            assert home["banner"] == 0
            for where, height in measured[language].items():
                limit = COOKIE_BANNER_MAX_PX if where == "cookie banner" else HEADER_MAX_PX
                assert height <= limit, f"{language}: {where} is {height} px: {measured}"

            # The header's search box still searches, and tracking is a tap from home.
            page.goto(demo_council + prefix + "/")
            page.locator("#site-search").fill("bins")
            page.locator(".sp-search button[type=submit]").click()
            page.wait_for_load_state()
            assert "/search/" in page.url and "q=bins" in page.url
            page.goto(demo_council + prefix + "/")
            with page.expect_navigation():
                page.locator("main a[href$='/track/']").first.tap()
            assert page.url.endswith("/track/")
    finally:
        print("Phone header and cookie banner at 390×844 (px):", measured)
        context.close()

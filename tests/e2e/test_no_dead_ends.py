"""Issue 16, walked by residents on a 390×844 phone with JavaScript on and off, and by a product
owner: tracking is found from the home page in at most two taps and by searching "track my
report"; the status page says what happens next; a search that finds nothing offers the
contact route and "tell us what you were looking for", and the product owner reads it as
evidence on their story."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from backlog.stories import create_story
from core.models import DeliveryUnit
from core.permissions import PRODUCT_OWNER
from core.roles import ensure_roles
from eforms.models import FormDefinition
from eforms.tests.factories import SubmissionFactory
from personas.models import Persona
from tests.browser import save_screenshot

from .conftest import dismiss_cookie_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRACK = "Check the progress of a report or request"
EMAIL = "sam@resident.example"
PASSWORD = "xylophone-lessons-2026"


def tap(page, role, name):
    """Tap a link or button that leads to another page, and wait for that page."""
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.tap()
    page.wait_for_load_state()


def test_tracking_is_two_taps_from_home_and_found_by_search(demo_council, resident):
    page = resident
    form = FormDefinition.objects.get(slug="missed-bin-report", locale__language_code="en-gb")
    submission = SubmissionFactory(form=form, email=EMAIL)

    # From the home page: one tap.
    page.goto(demo_council + "/")
    dismiss_cookie_banner(page)
    tap(page, "link", TRACK)
    expect(page.locator("h1")).to_have_text(TRACK)
    assert page.url.endswith("/track/")

    # By searching "track my report" in the header's search box: the page is in the top 3.
    page.goto(demo_council + "/")
    page.get_by_label("Search this website").fill("track my report")
    tap(page, "button", "Search")
    results = page.locator("ol.sp-search-results > li h2 a")
    top = [results.nth(n).inner_text() for n in range(min(3, results.count()))]
    assert TRACK in top, top
    save_screenshot(page, f"dead-ends-search-track-{page.mode}")
    tap(page, "link", TRACK)
    expect(page.locator("h1")).to_have_text(TRACK)

    # Enter the reference: the status and what happens next, with the date.
    page.get_by_label("Reference").fill(submission.reference)
    page.get_by_label("Email address").fill(EMAIL)
    tap(page, "button", "Find my request")
    expect(page.locator("h1")).to_have_text(f"Request {submission.reference}")
    expect(page.locator("[data-status]")).to_have_text("Received")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.locator("[data-next-steps]")).to_contain_text(
        f"You can expect an update by {submission.due_date:%-d %B %Y}."
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    save_screenshot(page, f"dead-ends-status-{page.mode}")

    # From any page, the footer has it too.
    page.goto(demo_council + "/contact-us/")
    main_link = page.locator("#main-content").get_by_role("link", name=TRACK)
    expect(main_link).to_be_visible()
    expect(page.locator("footer").get_by_role("link", name=TRACK)).to_have_count(1)


def test_a_search_that_finds_nothing_is_not_a_dead_end(demo_council, resident, browser):
    page = resident
    ensure_roles()
    unit = DeliveryUnit.objects.get(slug="customer-experience")
    owner = User.objects.create_user("cx-po", "po@northbrook.example", PASSWORD)
    owner.groups.add(Group.objects.get(name=PRODUCT_OWNER))
    owner.delivery_units.add(unit)
    story = create_story(
        owner,
        delivery_unit=unit,
        persona=Persona.objects.filter(locale__language_code="en-gb").first(),
        story="Residents want to find music lessons for children",
        key_phrases="xylophone",
    )

    page.goto(demo_council + "/")
    dismiss_cookie_banner(page)
    page.get_by_label("Search this website").fill("xylophone")
    tap(page, "button", "Search")
    expect(page.get_by_role("heading", name="No results found")).to_be_visible()
    main = page.locator("#main-content")
    expect(main.get_by_role("link", name="020 7946 0000")).to_be_visible()
    expect(main.get_by_role("link", name="Other ways to contact the council")).to_be_visible()
    box = page.get_by_role("textbox", name="Tell us what you were looking for")
    expect(box).to_be_visible()
    save_screenshot(page, f"dead-ends-no-results-{page.mode}")

    # Sending nothing is a clear error; then the words, with a phone number to be removed.
    tap(page, "button", "Send")
    expect(page.locator(".sp-error-summary")).to_contain_text("Enter what you were looking for")
    page.get_by_role("textbox", name="Tell us what you were looking for").fill(
        "Xylophone lessons for my daughter, call 07700 900123"
    )
    tap(page, "button", "Send")
    expect(page.locator("h1")).to_have_text("Thank you for telling us")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The product owner reads it on the story, as evidence.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    admin = context.new_page()
    admin.set_default_timeout(30_000)
    admin.goto(f"{demo_council}/admin/login/")
    admin.get_by_label("Username").fill("cx-po")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(f"{demo_council}/admin/")
    admin.goto(f"{demo_council}/admin/backlog/{story.pk}/")
    told = admin.locator("table.story-told-us")
    expect(told).to_contain_text("xylophone lessons for my daughter, call [phone]")
    expect(told).not_to_contain_text("07700")
    save_screenshot(admin, f"dead-ends-evidence-{page.mode}")
    context.close()

"""Walks in a real browser, from the admin dashboard, as the staff who use these screens:

- a delivery-unit editor opens "Web team" from the menu, sees only their unit's findings and
  reviews, follows a finding to the page editor, and marks another page as reviewed;
- the web team makes an urgent change to a page under A/B test: the editor opens version B with
  a warning, "Edit the live version" opens what residents see, and publishing asks whether to end
  or restart the test.
"""

import datetime

import pytest
from django.utils import timezone

from core.tests.factories import TEST_PASSWORD, DeliveryUnitFactory, UserFactory
from tests.browser import DESKTOP, save_screenshot
from tests.site import fresh_home_page
from webteam.abtesting.services import create_test, start_test
from webteam.models import AbTest
from webteam.quality import ERROR, Finding, store_results

TODAY = datetime.date.today()


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def sign_in(tab, url, username):
    tab.goto(f"{url}/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{url}/admin/")


def fresh_site():
    """The home page (the roles' page permissions are on the tree's root, as migrating made
    them: the test harness puts them back after each transactional test)."""
    return fresh_home_page()


def content_page(home, unit, slug, title, review_by):
    from cms.models import ContentPage

    page = home.add_child(
        instance=ContentPage(
            title=title,
            slug=slug,
            summary=f"About {title.lower()}.",
            body=[{"type": "text", "value": f"<p>Everything about {title.lower()}.</p>"}],
            delivery_unit=unit,
            review_by=review_by,
        )
    )
    page.save_revision().publish()
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_unit_editor_sees_their_units_dashboard_and_follows_a_finding_to_the_editor(
    tab, live_server
):
    home = fresh_site()
    streets = DeliveryUnitFactory(slug="street-scene", name="Street scene")
    parking = DeliveryUnitFactory(slug="parking", name="Parking")
    own = content_page(
        home, streets, "fly-tipping", "Report fly-tipping", datetime.date(2030, 1, 1)
    )
    due = content_page(
        home, streets, "street-cleaning", "Street cleaning", TODAY + datetime.timedelta(days=12)
    )
    other = content_page(home, parking, "parking-fines", "Parking fines", TODAY)
    store_results(own, [Finding("image-alt", ERROR, "1 image has no alternative text.")])
    store_results(other, [Finding("image-alt", ERROR, "1 image has no alternative text.")])
    editor = UserFactory(unit_editor=True, units=[streets], username="sam")

    sign_in(tab, live_server.url, editor.username)
    tab.get_by_role("link", name="Web team").click()
    tab.get_by_role("heading", name="Your unit's dashboard").wait_for()
    findings = tab.locator("section[data-report=findings]")
    assert findings.get_by_role("heading").inner_text() == (
        "Content check findings: 1 finding on 1 page"
    )
    assert tab.get_by_text("Parking fines").count() == 0
    assert tab.locator("section[data-report=zero-searches]").count() == 0
    save_screenshot(tab, "unit-editor-dashboard")

    soon = tab.locator("section[data-report=due-soon]")
    marked_on = {timezone.localdate()}  # a walk can cross midnight: either day is right
    soon.get_by_role("row", name="Street cleaning").get_by_role(
        "link", name="Mark as reviewed"
    ).click()
    tab.get_by_role("button", name="Mark as reviewed").click()
    tab.get_by_text("\u201cStreet cleaning\u201d is marked as reviewed.").wait_for()
    assert tab.locator("section[data-report=due-soon]").get_by_text("Street cleaning").count() == 0
    marked_on.add(timezone.localdate())
    due.refresh_from_db()
    assert due.review_by in {day + datetime.timedelta(days=365) for day in marked_on}

    tab.locator("section[data-report=findings]").get_by_role(
        "link", name="Report fly-tipping"
    ).click()
    tab.wait_for_url(f"{live_server.url}/admin/pages/{own.pk}/edit/")
    assert tab.get_by_role("textbox", name="Title").input_value() == "Report fly-tipping"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_urgent_edit_during_an_ab_test_from_the_live_version(tab, live_server):
    home = fresh_site()
    streets = DeliveryUnitFactory(slug="street-scene", name="Street scene")
    page = content_page(home, streets, "new-bin", "Apply for a bin", datetime.date(2030, 1, 1))
    page.title = "Get a new bin"
    draft = page.save_revision()
    test = start_test(create_test(page, "Clearer title", AbTest.REACH_PAGE, [draft]))
    UserFactory(web_team=True, username="webteam")

    sign_in(tab, live_server.url, "webteam")
    tab.goto(f"{live_server.url}/admin/pages/{page.pk}/edit/")
    warning = tab.locator(".messages").get_by_text("You are editing version B")
    warning.wait_for()
    assert tab.get_by_role("textbox", name="Title").input_value() == "Get a new bin"
    tab.locator(".messages").get_by_role("link", name="Edit the live version").click()
    tab.get_by_role("button", name="Edit the live version").click()
    tab.get_by_text("You are now editing the live version.").wait_for()
    title = tab.get_by_role("textbox", name="Title")
    assert title.input_value() == "Apply for a bin"

    summary = tab.get_by_role("textbox", name="Summary")
    summary.fill("Bins are delayed this week because of snow.")
    tab.get_by_role("button", name="More actions").click()
    tab.get_by_role("button", name="Publish").click()
    tab.get_by_role("heading", name="Publish during an A/B test").wait_for()
    save_screenshot(tab, "ab-test-urgent-publish-question")
    tab.get_by_role("button", name="Publish", exact=True).click()
    tab.get_by_text("Choose whether to end the test or restart it.").wait_for()
    tab.get_by_label("Publish and restart the test.").check()
    tab.get_by_role("button", name="Publish", exact=True).click()
    tab.get_by_text("has started again from zero visitors").wait_for()

    page.refresh_from_db()
    assert page.title == "Apply for a bin"
    assert page.summary == "Bins are delayed this week because of snow."
    test.refresh_from_db()
    assert test.status == AbTest.CANCELLED
    again = AbTest.objects.get(page_id=page.pk, status=AbTest.RUNNING)
    assert again.variants.get(label="B").revision_id == draft.pk

    resident = tab.context.browser.new_context(viewport=DESKTOP)
    try:
        view = resident.new_page()
        view.goto(f"{live_server.url}/new-bin/")
        assert view.get_by_text("Bins are delayed this week because of snow.").count() >= 1
    finally:
        resident.close()

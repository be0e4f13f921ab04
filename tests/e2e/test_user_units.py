"""Setting up a colleague: their role and their delivery units on the one user form.

A council administrator adds a delivery-unit editor at Settings › Users, ticks the role and
the unit on Wagtail's user form, and the new editor can then open their unit's page and not
another unit's. Moving them to another unit on the same form moves what they may edit.
"""

import datetime

import pytest

from core.models import DeliveryUnit
from core.permissions import DELIVERY_UNIT_EDITOR
from core.tests.factories import UserFactory
from journeys.models import JourneyPage
from tests.browser import save_screenshot, sign_in
from tests.site import fresh_home_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED = "Sorry, you do not have permission to access this area"


def journey(home, unit, slug):
    page = home.add_child(
        instance=JourneyPage(
            title=f"{unit.name} journey",
            slug=slug,
            summary="Tell us.",
            what_happens_next="We act on it.",
            service_level="2 working days",
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    page.save_revision().publish()
    return page


def test_administrator_sets_a_new_editors_units_on_the_user_form(browser, live_server):
    home = fresh_home_page()
    streets = DeliveryUnit.objects.create(slug="street-scene", name="Street scene")
    parking = DeliveryUnit.objects.create(slug="parking", name="Parking")
    street_page = journey(home, streets, "missed-bin")
    parking_page = journey(home, parking, "permit")
    UserFactory(username="ada", is_superuser=True)

    admin = browser.new_context(locale="en-GB").new_page()
    admin.set_default_timeout(30_000)
    sign_in(admin, live_server.url, "ada")
    admin.get_by_role("button", name="Settings").click()
    admin.get_by_role("link", name="Users").click()
    with admin.expect_navigation():
        admin.get_by_role("link", name="Add a user").click()
    admin.fill("#id_username", "una")
    admin.fill("#id_email", "una@northbrook.example")
    admin.fill("#id_first_name", "Una")
    admin.fill("#id_last_name", "Editor")
    admin.get_by_label("Street scene").check()
    admin.fill("#id_password1", "a long sentence for una")
    admin.fill("#id_password2", "a long sentence for una")
    admin.locator("#tab-label-roles").click()
    admin.get_by_label(DELIVERY_UNIT_EDITOR).check()
    save_screenshot(admin, "user-form-units")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Create").click()
    assert "created" in admin.locator(".messages").inner_text()

    una = browser.new_context(locale="en-GB").new_page()
    una.set_default_timeout(30_000)
    sign_in(una, live_server.url, "una", "a long sentence for una")
    una.goto(live_server.url + f"/admin/pages/{street_page.pk}/edit/")
    assert REFUSED not in una.content()
    assert una.locator("#id_title").input_value() == "Street scene journey"
    una.goto(live_server.url + f"/admin/pages/{parking_page.pk}/edit/")
    assert REFUSED in una.content()

    # The administrator moves her to Parking on the same form; what she may edit follows.
    admin.goto(live_server.url + "/admin/users/")
    with admin.expect_navigation():
        admin.get_by_role("link", name="Una Editor").first.click()
    assert admin.get_by_label("Street scene").is_checked()
    admin.get_by_label("Street scene").uncheck()
    admin.get_by_label("Parking").check()
    with admin.expect_navigation():
        admin.get_by_role("button", name="Save").first.click()
    una.goto(live_server.url + f"/admin/pages/{parking_page.pk}/edit/")
    assert REFUSED not in una.content()
    una.goto(live_server.url + f"/admin/pages/{street_page.pk}/edit/")
    assert REFUSED in una.content()

"""Issue 16, part 4: "mark the place on a map", walked on a phone.

With JavaScript on, a resident goes from the home page to "Report a pothole", puts the pin on the
map with the keyboard alone (arrow keys, then Enter), then moves it with a street search, and
sends the report; nowhere are they shown coordinates. The tiles are the test's own, served by the
live server. The street-scene officer opens the request in the inbox and follows the link to the
pin on a map. With JavaScript off, the same resident sees no map and no "Use my current
location", describes the place in words and the report is sent.
"""

import re

import pytest
from django.contrib.auth.models import Group, User

from core.models import DeliveryUnit
from core.permissions import DELIVERY_UNIT_EDITOR
from eforms.maps import map_options
from eforms.models import Submission
from tests.browser import DESKTOP, PHONE, save_screenshot

from .conftest import check_accessibility, dismiss_cookie_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATES = re.compile(r"-?\d{1,2}\.\d{3,}")


@pytest.fixture
def leaflet():
    if map_options() is None:
        pytest.fail("Leaflet is not installed: run make install (npm ci)")


def phone(browser, javascript=True):
    context = browser.new_context(
        viewport=PHONE,
        locale="en-GB",
        has_touch=True,
        is_mobile=True,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def to_the_location_page(page, url):
    page.goto(url + "/")
    dismiss_cookie_banner(page)
    page.get_by_role("link", name="Report a pothole").first.click()
    page.get_by_text("Report it online").click()  # the journey's step 2
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("heading", name="Where is the pothole?").wait_for()


def cont(page):
    page.get_by_role("button", name="Continue").click()


def the_rest_of_the_report(page, email):
    page.get_by_label("About the size of a car tyre").check()
    cont(page)
    cont(page)  # no photo
    page.get_by_label("Full name").fill("Robin Example")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("I understand how the council will use my information").check()
    cont(page)
    page.get_by_role("button", name="Accept and send").wait_for()


def visible_text(page):
    return page.locator("main").inner_text()


def pin(page):
    return (
        page.locator("#location-latitude").input_value(),
        page.locator("#location-longitude").input_value(),
    )


def test_a_resident_places_the_pin_by_keyboard_and_by_street_search(
    browser, demo_council, map_tiles, leaflet
):
    context, page = phone(browser)
    try:
        to_the_location_page(page, demo_council)
        page.locator(".leaflet-tile-loaded").first.wait_for()  # the test's own tiles
        status = page.locator("[data-map-status]")
        assert page.get_by_role("button", name="Use my current location").count() in (0, 1)
        assert COORDINATES.search(visible_text(page)) is None
        check_accessibility(page, "location-map-phone")

        # Keyboard only: from the search button, Tab reaches the map; arrows move it, Enter pins.
        page.get_by_role("button", name="Find on the map").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Map"
        for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
            page.keyboard.press(key)
            page.wait_for_timeout(500)  # Leaflet's pan animation
        page.keyboard.press("Enter")
        assert page.url.endswith("/page/location/")  # Enter pinned, it did not send the page
        page.get_by_text("Pin placed on the map").wait_for()
        latitude, longitude = map(float, pin(page))
        assert longitude > -0.1030 and latitude < 51.5310  # east and south of where it opened
        assert page.locator(".leaflet-marker-icon").count() == 1
        assert COORDINATES.search(visible_text(page)) is None

        # The button does the same for those who would rather press it.
        page.get_by_role("button", name="Put the pin in the middle of the map").click()
        page.get_by_text("Pin placed on the map").wait_for()

        # A street search moves the pin; a search that finds nothing says what to do.
        search_box = page.get_by_label("Street or postcode")
        search_box.fill("Nowhere Avenue")
        search_box.press("Enter")
        page.get_by_text(
            "We could not find that street. Check the spelling, or describe where it is."
        ).wait_for()
        assert page.url.endswith("/page/location/")
        search_box.fill("Mill Lane")
        search_box.press("Enter")
        page.get_by_text("Pin placed near Mill Lane, Northbrook").wait_for()
        assert status.inner_text() == "Pin placed near Mill Lane, Northbrook"
        assert pin(page) == ("51.531200", "-0.103400")
        assert page.locator("[data-map-search-error]").is_hidden()
        assert COORDINATES.search(visible_text(page)) is None
        save_screenshot(page, "location-map-pin-from-search")
        check_accessibility(page, "location-map-pinned-phone")

        # 320 CSS pixels wide (400% zoom on a 1280 screen): nothing scrolls sideways.
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.set_viewport_size(PHONE)

        cont(page)
        the_rest_of_the_report(page, "robin@resident.example")
        answers = visible_text(page)
        assert "Pin placed near 5 Mill Lane" in answers
        assert COORDINATES.search(answers) is None
        page.get_by_role("button", name="Accept and send").click()
        page.get_by_text("Request received").wait_for()
        reference = page.locator("[data-reference]").inner_text().strip()
    finally:
        context.close()
    sent = Submission.objects.get(reference=reference)
    assert (sent.latitude, sent.longitude) == (51.5312, -0.1034)
    assert sent.answers["location"]["description"] == ""

    # The street-scene officer sees the pin on a map from the inbox.
    officer = User.objects.create_user("casey", "casey@northbrook.example", "a-long-password-1")
    officer.groups.add(Group.objects.get(name=DELIVERY_UNIT_EDITOR))
    officer.delivery_units.add(DeliveryUnit.objects.get(slug="street-scene"))
    staff = browser.new_context(viewport=DESKTOP, locale="en-GB")
    try:
        page = staff.new_page()
        page.set_default_timeout(20_000)
        page.goto(demo_council + "/admin/login/")
        page.get_by_label("Username").fill("casey")
        page.get_by_label("Password").fill("a-long-password-1")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(demo_council + "/admin/")
        page.get_by_role("link", name="Requests inbox").click()
        page.get_by_role("link", name=reference).click()
        link = page.get_by_role("link", name="See the pin on a map (opens in a new tab)")
        assert link.get_attribute("href") == (
            "https://www.openstreetmap.org/?mlat=51.5312&mlon=-0.1034#map=18/51.5312/-0.1034"
        )
        assert "Map pin: 51.5312, -0.1034" in page.locator("table.listing").inner_text()
    finally:
        staff.close()


def test_without_javascript_the_place_is_described_in_words(browser, demo_council, leaflet):
    context, page = phone(browser, javascript=False)
    try:
        to_the_location_page(page, demo_council)
        assert page.locator("[data-location-map]").is_hidden()
        assert page.get_by_role("button", name="Use my current location").count() == 0
        assert page.get_by_text("Latitude").count() == 0
        assert page.locator(".leaflet-container").count() == 0
        cont(page)
        page.get_by_text("Describe where the pothole is, or give a map pin").first.wait_for()
        page.get_by_label("Describe where it is").fill("Outside the library on Station Road")
        cont(page)
        the_rest_of_the_report(page, "sam@resident.example")
        assert "Outside the library on Station Road" in visible_text(page)
        page.get_by_role("button", name="Accept and send").click()
        page.get_by_text("Request received").wait_for()
        reference = page.locator("[data-reference]").inner_text().strip()
        save_screenshot(page, "location-no-javascript-sent")
    finally:
        context.close()
    sent = Submission.objects.get(reference=reference)
    assert sent.answers["location"] == {
        "latitude": None,
        "longitude": None,
        "description": "Outside the library on Station Road",
    }


def test_in_arabic_the_map_reads_left_to_right_inside_a_right_to_left_page(
    browser, demo_council, map_tiles, leaflet
):
    """A map has no reading direction: in an Arabic page the words run right to left, but the
    tiles, the zoom buttons and the pin must sit where they would in English."""
    from .test_translated_walks import in_language, translate_demo

    translate_demo("ar", journeys=["report-a-pothole"], forms=["pothole-report"])
    words = in_language("ar")
    context, page = phone(browser)
    try:
        page.goto(demo_council + "/ar/forms/pothole-report/")
        dismiss_cookie_banner(page)
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.get_by_role("button", name=words("Start now")).click()
        page.locator(".leaflet-tile-loaded").first.wait_for()
        frame = page.locator(".sp-location-map__frame").bounding_box()
        assert page.locator(".leaflet-container").evaluate(
            "m => getComputedStyle(m).direction"
        ) == ("ltr")
        # Leaflet's zoom buttons stay top left, inside the frame.
        zoom = page.locator(".leaflet-control-zoom").bounding_box()
        assert frame["x"] <= zoom["x"] < frame["x"] + frame["width"] / 2
        # The tile under the middle of the frame is drawn there, not mirrored off to one side.
        middle = (frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2)
        tile_under_middle = page.evaluate(
            "([x, y]) => [...document.querySelectorAll('.leaflet-tile-loaded')].some(t => {"
            " const r = t.getBoundingClientRect();"
            " return r.left <= x && x < r.right && r.top <= y && y < r.bottom; })",
            list(middle),
        )
        assert tile_under_middle
        centre = page.locator("[data-location-map]").get_attribute("data-centre")
        page.get_by_role("button", name=words("Put the pin in the middle of the map")).click()
        page.get_by_text(words("Pin placed on the map")).wait_for()
        marker = page.locator(".leaflet-marker-icon").bounding_box()
        assert abs(marker["x"] + marker["width"] / 2 - middle[0]) < 3
        latitude, longitude = map(float, pin(page))
        expected = [float(part) for part in centre.split(",")]
        assert abs(latitude - expected[0]) < 0.0005 and abs(longitude - expected[1]) < 0.0005
        save_screenshot(page, "location-map-arabic")
    finally:
        context.close()

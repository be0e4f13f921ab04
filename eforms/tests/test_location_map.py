"""The location question's map, without a browser: the street and postcode search behind it,
the council's area, the words a pin is shown in (never coordinates to residents), the map left
out when Leaflet is not installed, and the staff's link to the pin."""

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import translation

from directory.tests.factories import PostcodeFactory
from eforms import builders as b
from eforms.fields import AnswerError, clean, display
from eforms.maps import describe_pin, find_places, map_options
from eforms.schema import FieldSpec
from eforms.tests.conftest import make_form
from eforms.tests.factories import AddressPointFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

SEARCH = "/forms/places/search/"
# Around the demo council: a pin at Mill Lane is inside, one in Leeds is not.
NORTHBROOK = (51.52, -0.12, 51.55, -0.09)


@pytest.fixture(autouse=True)
def english():
    """A request in Polish leaves Polish active in this thread; each test starts in English."""
    with translation.override("en-gb"):
        yield


@pytest.fixture
def mill_lane(db):
    for number, lat, lng in ((1, 51.5310, -0.1030), (3, 51.5311, -0.1032), (5, 51.5312, -0.1034)):
        AddressPointFactory(
            uprn=f"1000900000{number:02}",
            line_1=f"{number} Mill Lane",
            street="MILL LANE",
            postcode="NB1 1AA",
            latitude=lat,
            longitude=lng,
        )
    AddressPointFactory(
        uprn="100090000007",
        line_1="14 High Street",
        street="HIGH STREET",
        postcode="NB1 1AB",
        latitude=51.5321,
        longitude=-0.1012,
    )


def search(client, query, **extra):
    return client.get(SEARCH, {"q": query}, **extra)


def test_a_street_is_found_at_a_real_address_on_it(client, mill_lane):
    response = search(client, "mill lane")
    assert response.status_code == 200
    assert response.json() == {
        "places": [{"name": "Mill Lane, Northbrook", "latitude": 51.5311, "longitude": -0.1032}],
        "message": "",
    }


def test_an_address_with_a_number_comes_before_its_street(client, mill_lane):
    places = search(client, "14 High Street").json()["places"]
    assert [p["name"] for p in places][:1] == ["14 High Street, Northbrook"]


def test_a_postcode_is_found_in_the_postcode_table(client, mill_lane):
    # The site registers the directory's postcode table with eforms (CmsConfig.ready).
    PostcodeFactory(postcode="NB9 9ZZ", latitude=51.54, longitude=-0.1)
    response = search(client, "nb99zz")
    assert response.json()["places"] == [{"name": "NB9 9ZZ", "latitude": 51.54, "longitude": -0.1}]


def test_a_postcode_missing_from_the_table_is_the_middle_of_its_addresses(client, mill_lane):
    place = search(client, "NB1 1AA").json()["places"][0]
    assert place["name"] == "NB1 1AA"
    assert place["latitude"] == pytest.approx(51.5311) and place["longitude"] == pytest.approx(
        -0.1032
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Enter a street name or postcode"),
        ("   ", "Enter a street name or postcode"),
        ("x" * 101, "Enter a street name or postcode of 100 characters or fewer"),
    ],
)
def test_a_search_that_cannot_run_is_a_plain_400(client, db, query, message):
    response = search(client, query)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_nothing_found_says_what_to_do(client, mill_lane):
    street = search(client, "Nowhere Avenue")
    assert street.status_code == 200
    assert street.json() == {
        "places": [],
        "message": "We could not find that street. Check the spelling, or describe where it is.",
    }
    postcode = search(client, "ZZ1 1ZZ").json()
    assert postcode["places"] == []
    assert postcode["message"] == (
        "We could not find that postcode. Check it, or describe where it is."
    )


def test_a_place_outside_the_councils_area_is_not_offered(client, mill_lane):
    PostcodeFactory(postcode="LS1 1UR", latitude=53.7965, longitude=-1.5478)
    with override_settings(SIGNPOST_MAP_BOUNDS=NORTHBROOK):
        assert search(client, "LS1 1UR").json() == {
            "places": [],
            "message": "That postcode is outside our area. Check it, or describe where it is.",
        }
        assert search(client, "Mill Lane").json()["places"]


def test_only_get_is_answered(client, db):
    assert client.post(SEARCH, {"q": "Mill Lane"}).status_code == 405


def test_searches_are_rate_limited_per_address(client, mill_lane):
    with override_settings(EFORMS_RATE_LIMITS={"places": (2, 60)}):
        assert search(client, "Mill Lane").status_code == 200
        assert search(client, "Mill Lane").status_code == 200
        refused = search(client, "Mill Lane")
        assert refused.status_code == 429
        assert refused.json() == {
            "error": "You have searched too many times. Wait a few minutes and try again, "
            "or describe where it is."
        }
        # Another address is not held back.
        assert search(client, "Mill Lane", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_messages_are_in_the_residents_language(client, mill_lane):
    response = client.get("/pl" + SEARCH, {"q": ""})
    assert response.status_code == 400
    assert response.json()["error"] != "Enter a street name or postcode"


LOCATION = FieldSpec(type="location", name="location", label="Where is it?", required=True)


def test_a_pin_outside_the_councils_area_is_refused(db):
    pin = {"latitude": "53.7965", "longitude": "-1.5478", "description": ""}
    # Without an area, anywhere in the UK will do.
    assert clean(LOCATION, pin, None)["latitude"] == 53.7965
    with override_settings(SIGNPOST_MAP_BOUNDS=NORTHBROOK):
        with pytest.raises(AnswerError) as refused:
            clean(LOCATION, pin, None)
        assert refused.value.message == (
            "The map pin must be in our area. Move it, or describe where it is"
        )
        inside = clean(LOCATION, {"latitude": "51.531", "longitude": "-0.103"}, None)
        assert (inside["latitude"], inside["longitude"]) == (51.531, -0.103)


@pytest.mark.parametrize("latitude", ["nan", "inf", "51.5", ""])
def test_a_pin_must_be_a_real_point_with_both_halves(db, latitude):
    with pytest.raises(AnswerError):
        clean(LOCATION, {"latitude": latitude, "longitude": "" if latitude else "-0.1"}, None)


def test_residents_read_a_pin_in_words_and_staff_get_its_coordinates(mill_lane):
    near = {"latitude": 51.53101, "longitude": -0.10301, "description": "By the drain"}
    assert display(LOCATION, near) == "By the drain\nPin placed near 1 Mill Lane"
    far = {"latitude": 51.6, "longitude": -0.2, "description": ""}
    assert display(LOCATION, far) == "Pin placed on the map"
    assert describe_pin(51.6, -0.2) == "Pin placed on the map"
    assert display(LOCATION, near, staff=True) == "By the drain\nMap pin: 51.53101, -0.10301"


def pothole_form(unit):
    return make_form(
        unit,
        slug="pothole-test",
        pages=[
            b.page("location", b.q("location", "location", "Where is the pothole?")),
            b.contact_page(),
        ],
    )


def test_the_page_shows_no_coordinates_and_keeps_the_pin(client, unit, mill_lane):
    form = pothole_form(unit)
    client.post(f"/forms/{form.slug}/start/")
    response = client.post(
        f"/forms/{form.slug}/page/location/",
        {"location-latitude": "51.531", "location-longitude": "-0.103", "_action": "continue"},
    )
    page_url = f"/forms/{form.slug}/page/location/?change=1"
    html = client.get(page_url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    text = soup.select_one("main").get_text(" ", strip=True)
    assert "51.531" not in text and "-0.103" not in text
    assert "Latitude" not in text and "Longitude" not in text
    assert soup.select_one("[data-map-status]").get_text(strip=True) == (
        "Pin placed near 1 Mill Lane"
    )
    assert soup.select_one("#location-latitude")["type"] == "hidden"
    assert soup.select_one("#location-latitude")["value"] == "51.531"
    assert response.status_code in (200, 302)


def test_a_refused_pin_is_dropped_so_words_are_enough(client, unit, mill_lane):
    form = pothole_form(unit)
    client.post(f"/forms/{form.slug}/start/")
    url = f"/forms/{form.slug}/page/location/"
    with override_settings(SIGNPOST_MAP_BOUNDS=NORTHBROOK):
        refused = client.post(url, {"location-latitude": "53.8", "location-longitude": "-1.5"})
        soup = BeautifulSoup(refused.content, "html.parser")
        assert [a.get_text(strip=True) for a in soup.select(".sp-error-summary a")] == [
            "The map pin must be in our area. Move it, or describe where it is"
        ]
        assert soup.select_one("#location-latitude")["value"] == ""
        assert soup.select_one("[data-map-status]").get_text(strip=True) == ""
        hidden = {i["name"]: i.get("value", "") for i in soup.select("input[type=hidden]")}
        moved_on = client.post(url, {**hidden, "location-description": "Behind the library"})
    assert moved_on.status_code == 302


def test_the_map_is_left_out_when_leaflet_is_not_installed(client, unit, tmp_path):
    form = pothole_form(unit)
    client.post(f"/forms/{form.slug}/start/")
    url = f"/forms/{form.slug}/page/location/"
    with_map = BeautifulSoup(client.get(url).content, "html.parser")
    if map_options() is None:
        pytest.skip("Leaflet is not installed (make install runs npm ci)")
    assert with_map.select_one("[data-location-map]").has_attr("hidden")  # until the script runs
    assert with_map.select_one("script[src*='vendor/leaflet/leaflet.js']")
    with override_settings(LEAFLET_DIST=tmp_path):
        without = BeautifulSoup(client.get(url).content, "html.parser")
    assert without.select_one("[data-location-map]") is None
    assert without.select_one("script[src*='leaflet']") is None
    assert without.select_one("link[href*='leaflet']") is None
    assert without.find("label", string="Describe where it is")


def test_staff_see_a_link_to_the_pin_on_a_map(admin_client, unit, db):
    form = pothole_form(unit)
    submission = SubmissionFactory(
        form=form,
        answers={
            "location": {"latitude": 51.531, "longitude": -0.103, "description": "By the drain"}
        },
    )
    page = BeautifulSoup(
        admin_client.get(f"/admin/submissions/{submission.pk}/").content, "html.parser"
    )
    link = page.select_one("[data-map-link]")
    assert link["href"] == (
        "https://www.openstreetmap.org/?mlat=51.531&mlon=-0.103#map=18/51.531/-0.103"
    )
    assert "Map pin: 51.531, -0.103" in page.get_text()


def test_find_places_reads_like_the_endpoint(mill_lane):
    places, message = find_places("  Mill   Lane ")
    assert [p.name for p in places] == ["Mill Lane, Northbrook"] and message == ""

"""Issue 16: listings say whether a service is open; the first part of a postcode is enough."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from directory import api
from directory.models import DAY_CODES, PostcodeArea, Schedule
from directory.postcodes import locate_place, rebuild_areas
from directory.query import DirectoryQuery
from directory.tests.factories import PostcodeFactory

pytestmark = pytest.mark.django_db


def london_today():
    return DAY_CODES[timezone.localtime().weekday()]


@pytest.fixture
def districts(small_directory):
    """Postcodes in NB2 around Middle Hall, so NB2's middle is near it."""
    for postcode, lat, lon in [
        ("NB2 1AA", 51.5690, -0.0910),
        ("NB2 1AB", 51.5700, -0.0890),
        ("NB2 4AA", 51.5710, -0.0900),
    ]:
        PostcodeFactory(postcode=postcode, latitude=lat, longitude=lon)
    rebuild_areas()
    return small_directory


def test_districts_and_sectors_sit_at_the_middle_of_their_postcodes(districts):
    lat, lon = locate_place("nb2")
    assert lat == pytest.approx(51.57) and lon == pytest.approx(-0.09)
    assert locate_place("NB2 4") == pytest.approx((51.5710, -0.0900))
    assert locate_place("NB2 4A") == pytest.approx((51.5710, -0.0900))
    assert PostcodeArea.objects.get(code="NB2").postcodes == 3
    assert locate_place("NB3") is None
    assert locate_place("banana") is None


def test_import_postcodes_places_districts(tmp_path):
    onspd = tmp_path / "ONSPD.csv"
    onspd.write_text("pcds,doterm,lat,long\nNB5 1AA,,51.50,-0.10\nNB5 2AA,,51.52,-0.12\n")
    out = io.StringIO()
    call_command("import_postcodes", str(onspd), "--no-progress", stdout=out)
    assert "3 districts and sectors placed" in out.getvalue()
    assert locate_place("NB5") == pytest.approx((51.51, -0.11))


def test_directory_accepts_the_first_part_of_a_postcode(client, districts):
    page = client.get("/directory/", {"postcode": "NB2", "sort": "distance"}).content.decode()
    assert "Showing places nearest NB2" in page and "km away" in page
    assert "There is a problem" not in page
    assert page.index("Strength and balance class") < page.index("Friday youth club")

    page = client.get("/directory/", {"postcode": "nb2 4"}).content.decode()
    assert "Showing places nearest NB2 4" in page

    page = client.get("/directory/", {"postcode": "NB77"}).content.decode()
    assert "We can\u2019t find the area NB77" in page

    page = client.get("/directory/", {"postcode": "banana"}).content.decode()
    assert "There is a problem" in page
    assert "Enter a real postcode, like NB1 1AA, or the first part of it, like NB1" in page


def test_directory_filters_are_closed_below_the_search_box(client, districts):
    page = client.get("/directory/", {"category": "foodbanks", "free": "on"}).content.decode()
    assert page.index('name="q"') < page.index("data-directory-filters")
    assert '<details class="sp-details sp-directory-filters" data-directory-filters>' in page
    assert "(2 chosen)" in page
    # A refused filter opens them, so its error is beside the field without JavaScript.
    page = client.get("/directory/", {"age": "old"}).content.decode()
    assert "data-directory-filters open" in page


def test_every_listing_says_whether_it_is_open(districts):
    today = london_today()
    tomorrow = DAY_CODES[(DAY_CODES.index(today) + 1) % 7]
    foodbank, youth = districts["foodbank"], districts["youth"]
    foodbank.schedules.update(
        byday=",".join(DAY_CODES), opens_at=datetime.time(0), closes_at=datetime.time(23, 59)
    )
    youth.schedules.update(byday=tomorrow, opens_at=datetime.time(17), closes_at=datetime.time(21))
    request = RequestFactory().get("/somewhere/", {"postcode": "NB2"})
    html = api.render_listing(
        DirectoryQuery(taxonomy_terms=("foodbanks", "youth-clubs")),
        request,
        heading="Help near you",
        limit=10,
    )
    assert "<strong>Open 24 hours</strong>" in html
    assert "<strong>Closed today</strong>. Opens tomorrow at 5pm" in html
    assert "Showing places nearest NB2" in html


def test_the_service_page_lists_the_next_seven_days(client, districts):
    service = districts["adults"]
    service.schedules.update(byday=",".join(DAY_CODES[:5]))
    Schedule.objects.create(service=service, description="Phone first")
    page = client.get(f"/directory/services/{service.pk}/").content.decode()
    assert 'class="sp-details sp-opening-week"' in page
    assert page.count('<div class="sp-summary-list__row"><dt class="sp-summary-list__key">') >= 7
    assert "<strong>Today</strong>" in page
    assert "9am to 5pm" in page and "Closed" in page
    assert "data-opening=" in page

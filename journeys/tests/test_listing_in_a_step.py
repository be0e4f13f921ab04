"""Issue 16: "Show nearest" inside a closed step comes back to that step, rendered open."""

import re

import pytest

from directory.postcodes import rebuild_areas
from directory.tests.factories import PostcodeFactory
from journeys.tests.factories import step, two_steps

pytestmark = pytest.mark.django_db

LISTING = (
    "directory_listing",
    {"heading": "Places near you", "terms": ["youth-clubs"], "limit": 5},
)


def details_of(html, number):
    """The opening <details> tag of step ``number``."""
    match = re.search(rf'id="step-{number}">.*?(<details[^>]*>)', html, re.S)
    assert match, f"no step {number}"
    return match.group(1)


@pytest.fixture
def journey(make_journey):
    steps = two_steps() + [step("Find a club", "<p>Near you.</p>", actions=[LISTING, LISTING])]
    return make_journey("find-a-club", steps=steps)


def test_show_nearest_comes_back_to_its_step_open(client, journey):
    PostcodeFactory(postcode="NB2 4AA", latitude=51.57, longitude=-0.09)
    rebuild_areas()
    html = client.get(journey.url).content.decode()
    assert "open" not in details_of(html, 4)
    # The form names its step and comes back at its own results; two listings keep their ids apart.
    assert 'action="/report-and-transact/find-a-club/#step-4-listing-1-results"' in html
    assert 'action="/report-and-transact/find-a-club/#step-4-listing-2-results"' in html
    assert html.count('name="step" value="4"') == 2
    assert html.count('id="step-4-listing-1-postcode"') == 1

    html = client.get(journey.url, {"postcode": "NB2", "step": "4"}).content.decode()
    assert "open" in details_of(html, 4)
    assert "open" not in details_of(html, 2)
    assert 'id="step-4-listing-1-results" tabindex="-1"' in html
    assert "Showing places nearest NB2" in html


def test_a_postcode_without_a_step_opens_the_steps_with_listings(client, journey):
    html = client.get(journey.url, {"postcode": "NB1 1AA"}).content.decode()
    assert "open" in details_of(html, 4)
    assert "open" not in details_of(html, 3)

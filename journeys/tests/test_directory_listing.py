"""A journey step's directory listing shows services for the ages it was set up for."""

import pytest
from bs4 import BeautifulSoup

from directory.models import Organization, Service, TaxonomyTerm
from directory.query import matching
from journeys.blocks import DirectoryListingBlock
from journeys.tests.factories import step

pytestmark = pytest.mark.django_db

# name: (minimum_age, maximum_age) as the service's own listing gives them.
SERVICES = {
    "Baby and toddler group": (0, 5),
    "After-school activities": (5, 17),
    "Youth club": (11, 25),
    "Adult learning": (18, None),
    "Young adults' advice": (25, 30),
    "Family hub": (None, None),
    "Working-age support": (26, 64),
    "Lunch club": (60, None),
}


@pytest.fixture
def services() -> None:
    organization = Organization.objects.create(
        name="Northbrook Test Trust", description="Test", provider_type="registered-charity"
    )
    term = TaxonomyTerm.objects.get(code="youth-clubs")
    for name, (minimum, maximum) in SERVICES.items():
        service = Service.objects.create(
            organization=organization,
            name=name,
            description="A service.",
            minimum_age=minimum,
            maximum_age=maximum,
        )
        service.taxonomy_terms.set([term])
        service.save()  # a parental many-to-many: saved with the service


def listed(min_age: int | None, max_age: int | None) -> set[str]:
    value = {"terms": ["youth-clubs"], "min_age": min_age, "max_age": max_age}
    return {match.service.name for match in matching(DirectoryListingBlock.to_query(value))}


def test_a_listing_for_0_to_25_shows_every_service_open_to_someone_in_that_range(services):
    assert listed(0, 25) == {
        "Baby and toddler group",
        "After-school activities",
        "Youth club",
        "Adult learning",
        "Young adults' advice",  # 25 is in both ranges
        "Family hub",  # no age limits: open to all
    }


def test_a_listing_for_under_fives_leaves_out_older_childrens_services(services):
    assert listed(0, 4) == {"Baby and toddler group", "Family hub"}


def test_a_listing_with_only_a_lower_age_shows_services_open_to_that_age_or_older(services):
    assert listed(60, None) == {
        "Adult learning",
        "Working-age support",  # 26 to 64 takes in 60 to 64
        "Family hub",
        "Lunch club",
    }


def test_a_listing_with_only_an_upper_age_shows_services_open_to_that_age_or_younger(services):
    assert listed(None, 5) == {"Baby and toddler group", "After-school activities", "Family hub"}


def test_a_listing_without_ages_shows_every_age(services):
    assert listed(None, None) == set(SERVICES)


def test_the_rendered_step_lists_the_services_in_range(services):
    block = DirectoryListingBlock()
    value = block.to_python(
        {
            "heading": "Things to do",
            "terms": ["youth-clubs"],
            "min_age": 0,
            "max_age": 25,
            "limit": 10,
        }
    )
    html = block.render(value)
    assert "Youth club" in html and "After-school activities" in html
    assert "Lunch club" not in html


def test_two_listings_on_one_journey_have_their_own_ids(client, make_journey):
    """Issue 16: two listings on a journey both used id="listing-postcode", so the second
    step's "Your postcode" label focused the first step's box. Each listing's ids now start
    with its action's block id, and each label names the input in its own step."""

    def listing(heading: str) -> tuple[str, dict]:
        return ("directory_listing", {"heading": heading, "terms": ["youth-clubs"], "limit": 3})

    journey = make_journey(
        "find-a-club",
        steps=[
            step("Look near home", actions=[listing("Clubs near you")]),
            step("Look near school", actions=[listing("Clubs near you")]),
        ],
    )
    html = BeautifulSoup(client.get(journey.url + "?all=1").content, "html.parser")
    ids = [element["id"] for element in html.select("[id]")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    steps = html.select("li.sp-step-nav__step")
    assert len(steps) == 2
    for each in steps:
        label = each.select_one(".sp-directory-listing label[for]")
        box = each.select_one(".sp-directory-listing input[name=postcode]")
        assert label["for"] == box["id"]
        assert box["aria-describedby"].split()[0] in {e["id"] for e in each.select("[id]")}
        heading = each.select_one(".sp-directory-listing h2")
        assert each.select_one(".sp-directory-listing")["aria-labelledby"] == heading["id"]

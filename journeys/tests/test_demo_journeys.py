"""The demo journeys: all 33 live at URLs ending in their slug, each with real steps and actions."""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.models import Locale, Page

from eforms.models import FormDefinition
from journeys.api import _step_page_ids, journeys_containing, journeys_embedding_form
from journeys.models import JourneyPage
from tests.demo import WHOLE_DEMO, whole_demo

EXPECTED = {
    "cusp-of-care": [
        "stay-independent-at-home",
        "prevent-falls",
        "blue-badge",
        "freedom-pass",
        "care-needs-assessment",
        "support-for-carers",
        "equipment-and-home-adaptations",
    ],
    "tenants": [
        "report-a-repair",
        "homeless-or-at-risk",
        "housing-benefit-and-council-tax-support",
        "report-antisocial-behaviour",
        "crisis-support",
        "apply-for-council-housing",
    ],
    "parents": [
        "apply-for-a-school-place",
        "in-year-school-admission",
        "send-support",
        "free-early-education",
        "home-education",
        "school-travel",
    ],
    "report-and-transact": [
        "missed-bin",
        "new-or-replacement-bin",
        "bulky-waste",
        "report-a-pothole",
        "report-fly-tipping",
        "pay-council-tax",
        "single-person-discount",
        "parking-permit",
        "parking-fine",
        "register-to-vote",
    ],
    "business": [
        "business-rates",
        "trade-waste",
        "street-trading-licence",
        "food-business-registration",
    ],
}


def test_fixture_files_name_exactly_the_33_journeys():
    folder = Path(settings.BASE_DIR) / "fixtures" / "journeys"
    for persona, slugs in EXPECTED.items():
        data = json.loads((folder / f"{persona}.json").read_text())
        assert sorted(item["slug"] for item in data) == sorted(slugs)


@WHOLE_DEMO
@pytest.mark.django_db(transaction=True)
def test_every_demo_journey_is_live_with_steps_and_live_actions(client):
    whole_demo()  # what load_demo makes
    all_slugs = [slug for slugs in EXPECTED.values() for slug in slugs]
    assert len(all_slugs) == 33
    for slug in all_slugs:
        journey = JourneyPage.objects.live().get(slug=slug, locale=Locale.get_default())
        assert journey.url.rstrip("/").rsplit("/", 1)[-1] == slug
        assert len(journey.steps) >= 2, slug
        assert journey.delivery_unit_id is not None and journey.review_by is not None, slug
        response = client.get(journey.url)
        assert response.status_code == 200, slug
        html = BeautifulSoup(response.content, "html.parser")
        assert len(html.select("li.sp-step-nav__step")) == len(journey.steps), slug
        assert html.select(".sp-step-nav__action"), f"{slug} shows no actions"
        assert "How long it takes" in html.get_text(), slug

    # Forms and directory listings are embedded for real, not as placeholders.
    missed_bin = BeautifulSoup(
        client.get("/report-and-transact/missed-bin/?all=1").content, "html.parser"
    )
    starts = [a["href"] for a in missed_bin.select(".sp-step-nav__action--eform a[href]")] + [
        form["action"] for form in missed_bin.select(".sp-step-nav__action--eform form[action]")
    ]
    assert any("missed-bin-report" in href for href in starts), starts
    falls = BeautifulSoup(client.get("/cusp-of-care/prevent-falls/?all=1").content, "html.parser")
    listing = falls.select_one(".sp-step-nav__action--directory_listing")
    assert listing is not None and "Falls prevention" in listing.get_text()
    # The resident's postcode narrows and orders the live matches.
    near = client.get("/cusp-of-care/prevent-falls/?all=1&postcode=NB1+1AA")
    assert near.status_code == 200

    # load_demo publishes everything and then builds Wagtail's reference index, so the sidebar and
    # form signposts, which start from it, give the same answers as checking every journey.
    assert_same_answers_as_checking_every_journey()


def assert_same_answers_as_checking_every_journey():
    journeys = list(JourneyPage.objects.live())
    part_of_journeys = 0
    for page in Page.objects.live():
        expected = [
            j
            for j in journeys
            if j.locale_id == page.locale_id
            and j.pk != page.pk
            and any(page.pk in _step_page_ids(step.value) for step in j.steps)
        ]
        assert journeys_containing(page) == expected, page.url_path
        part_of_journeys += bool(expected)
    assert part_of_journeys >= 3
    by_title = list(JourneyPage.objects.live().order_by("title"))
    embedded = 0
    for slug in set(FormDefinition.objects.values_list("slug", flat=True)):
        expected = [
            j
            for j in by_title
            if any(
                a.block_type == "eform" and a.value["form"] == slug
                for s in j.steps
                for a in s.value["actions"]
            )
        ]
        assert journeys_embedding_form(slug) == expected, slug
        embedded += bool(expected)
    assert embedded >= 10

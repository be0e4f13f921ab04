"""Issue 16: residents read a persona's own phrase, never the team's name for it, and every
journey that starts a form says where to check its progress."""

import pytest
from bs4 import BeautifulSoup

from eforms.tests.factories import FormDefinitionFactory
from journeys.search_documents import persona_page_to_document
from journeys.tests.factories import two_steps

pytestmark = pytest.mark.django_db

INTENT = "I want to report something or pay for something"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_a_persona_page_is_titled_in_residents_words(client, persona_page):
    html = soup(client.get(persona_page.url))
    assert html.find("h1").get_text(strip=True) == INTENT
    assert html.title.get_text(strip=True).startswith(INTENT)
    assert "Report & transact" not in html.get_text()


def test_breadcrumbs_name_the_persona_as_residents_do(client, make_journey):
    journey = make_journey("missed-bin")
    crumbs = [
        a.get_text(strip=True) for a in soup(client.get(journey.url)).select(".sp-breadcrumbs a")
    ]
    assert crumbs == ["Home", INTENT]


def test_the_persona_search_document_uses_residents_words_once(persona_page):
    persona_page.intro = persona_page.persona.description = "Bins, potholes and council tax."
    document = persona_page_to_document(persona_page)
    assert document.title == INTENT
    assert document.summary == "Bins, potholes and council tax."
    assert "Bins, potholes and council tax." not in document.body


def test_a_journey_that_starts_a_form_links_to_tracking(client, make_journey, units):
    FormDefinitionFactory(slug="missed-bin-report", delivery_unit=units["street-scene"])
    with_form = make_journey(
        "missed-bin", steps=two_steps(extra_actions=[("eform", {"form": "missed-bin-report"})])
    )
    without = make_journey("bin-rules")
    link = soup(client.get(with_form.url)).find(
        "a", string="Check the progress of a report or request"
    )
    assert link is not None and link["href"] == "/track/"
    assert soup(client.get(without.url)).select_one("#track-title") is None

"""Fixtures for journeys tests: three delivery units, two personas, the Report & transact
persona page and builders for journeys and content pages under it, all from the factories."""

import pytest

from cms.tests.factories import ContentPageFactory
from core.tests.factories import DeliveryUnitFactory
from journeys.tests.factories import JourneyPageFactory, PersonaPageFactory, two_steps
from personas.tests.factories import PersonaFactory
from tests.tasks import run_queued_tasks


@pytest.fixture
def units(db):
    return {
        slug: DeliveryUnitFactory(name=slug.replace("-", " ").title(), slug=slug)
        for slug in ("street-scene", "parking", "adults-and-communities")
    }


@pytest.fixture
def personas(db):
    return {
        slug: PersonaFactory(name=name, slug=slug, intent=intent, order=i)
        for i, (slug, name, intent) in enumerate(
            [
                (
                    "report-and-transact",
                    "Report & transact",
                    "I want to report something or pay for something",
                ),
                (
                    "cusp-of-care",
                    "Cusp of care",
                    "I\u2019m helping someone stay independent at home",
                ),
            ]
        )
    }


@pytest.fixture
def persona_page(home_page, personas, units):
    return PersonaPageFactory(
        parent=home_page,
        title="Report & transact",
        slug="report-and-transact",
        persona=personas["report-and-transact"],
        also_need=[personas["cusp-of-care"]],
        delivery_unit=units["street-scene"],
    )


@pytest.fixture
def make_journey(persona_page, personas, units):
    def make(
        slug,
        title=None,
        steps=None,
        unit="street-scene",
        need="Bins and rubbish",
        topics=(),
        persona_slugs=("report-and-transact",),
        parent=None,
        publish=True,
    ):
        journey = JourneyPageFactory(
            parent=parent or persona_page,
            slug=slug,
            title=title or slug.replace("-", " ").capitalize(),
            need=need,
            steps=steps if steps is not None else two_steps(),
            delivery_unit=units[unit],
            personas=[personas[s] for s in persona_slugs],
            topics=list(topics),
            publish=publish,
        )
        run_queued_tasks()  # the worker updates Wagtail's reference index a moment later
        return journey

    return make


@pytest.fixture
def content_page(home_page, units):
    def make(slug="recycling-rules", parent=None):
        page = ContentPageFactory(
            parent=parent or home_page,
            title="Recycling rules",
            slug=slug,
            summary="Rules.",
            body=[],
            delivery_unit=units["street-scene"],
        )
        run_queued_tasks()  # the worker updates Wagtail's reference index a moment later
        return page

    return make

"""Fixtures for the backlog's tests: units, personas, stories, staff in each role and journeys
to link stories to, all from the factories."""

import pytest

from backlog.tests.factories import UserStoryFactory
from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER
from core.roles import ensure_roles
from core.tests.factories import DeliveryUnitFactory, UserFactory
from journeys.tests.factories import JourneyPageFactory, PersonaPageFactory
from personas.tests.factories import PersonaFactory


@pytest.fixture
def units(db):
    return {
        slug: DeliveryUnitFactory(slug=slug, name=slug.replace("-", " ").title())
        for slug in ("street-scene", "parking", "adults-and-communities")
    }


@pytest.fixture
def personas(db):
    return {
        slug: PersonaFactory(slug=slug, name=name, intent=name, order=i)
        for i, (slug, name) in enumerate(
            [("report-and-transact", "Report & transact"), ("cusp-of-care", "Cusp of care")]
        )
    }


@pytest.fixture
def make_story(units, personas):
    def make(
        text="My bin wasn't emptied, what do I do?",
        unit="street-scene",
        persona="report-and-transact",
        user=None,
        **fields,
    ):
        values = {
            "benefit_residents": 3,
            "benefit_borough": 3,
            "benefit_council": 3,
            "demand": 999,
            "effort": 3,
            **fields,
        }
        return UserStoryFactory(
            created_by=user,
            delivery_unit=units[unit],
            persona=personas[persona],
            story=text,
            **values,
        )

    return make


@pytest.fixture
def roles(db):
    return ensure_roles()


@pytest.fixture
def make_user(roles):
    def make(username, role=None, units=(), superuser=False):
        return UserFactory(username=username, role=role, units=units, is_superuser=superuser)

    return make


@pytest.fixture
def people(make_user, units):
    return {
        "owner": make_user("street-po", PRODUCT_OWNER, [units["street-scene"]]),
        "other_owner": make_user("parking-po", PRODUCT_OWNER, [units["parking"]]),
        "editor": make_user("street-editor", DELIVERY_UNIT_EDITOR, [units["street-scene"]]),
        "web_team": make_user("web", CENTRAL_WEB_TEAM),
        "nobody": make_user("resident"),
    }


@pytest.fixture
def make_journey(home_page, personas, units):
    persona_page = PersonaPageFactory(
        parent=home_page,
        title="Report & transact",
        slug="report-and-transact",
        persona=personas["report-and-transact"],
        delivery_unit=units["street-scene"],
    )

    def make(slug, publish=True):
        return JourneyPageFactory(
            parent=persona_page,
            slug=slug,
            summary="Summary.",
            questions=[],
            need="Bins and rubbish",
            steps=[],
            what_happens_next="We collect it.",
            service_level="Within 2 working days",
            delivery_unit=units["street-scene"],
            personas=[],
            publish=publish,
        )

    return make

import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale

from backlog.stories import create_story
from core.models import DeliveryUnit
from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER
from core.roles import ensure_roles
from journeys.models import JourneyPage, PersonaPage
from personas.models import Persona


@pytest.fixture
def units(db):
    return {
        slug: DeliveryUnit.objects.get_or_create(
            slug=slug, defaults={"name": slug.replace("-", " ").title()}
        )[0]
        for slug in ("street-scene", "parking", "adults-and-communities")
    }


@pytest.fixture
def personas(db):
    locale = Locale.get_default()
    return {
        slug: Persona.objects.get_or_create(
            slug=slug, locale=locale, defaults={"name": name, "intent": name, "order": i}
        )[0]
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
        return create_story(
            user, delivery_unit=units[unit], persona=personas[persona], story=text, **values
        )

    return make


@pytest.fixture
def roles(db):
    return ensure_roles()


@pytest.fixture
def make_user(django_user_model, roles):
    def make(username, role=None, units=(), superuser=False):
        user = django_user_model.objects.create_user(
            username, f"{username}@northbrook.example", "pw", is_superuser=superuser
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        for unit in units:
            unit.members.add(user)
        return user

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
    persona_page = home_page.add_child(
        instance=PersonaPage(
            title="Report & transact",
            slug="report-and-transact",
            persona=personas["report-and-transact"],
            delivery_unit=units["street-scene"],
            review_by=datetime.date(2030, 1, 1),
        )
    )
    persona_page.save_revision().publish()

    def make(slug, publish=True):
        journey = persona_page.add_child(
            instance=JourneyPage(
                title=slug.replace("-", " ").capitalize(),
                slug=slug,
                summary="Summary.",
                need="Bins and rubbish",
                steps=[],
                what_happens_next="We collect it.",
                service_level="Within 2 working days",
                delivery_unit=units["street-scene"],
                review_by=datetime.date(2030, 1, 1),
                live=publish,
            )
        )
        if publish:
            journey.save_revision().publish()
        else:
            journey.live = False
            journey.save()
            journey.save_revision()
        return journey

    return make

"""Choosers in one language: an English journey offers English personas and journeys, a Polish
page Polish ones, a service (not copied per language) the default language's personas. They
used to list every language's copy of each persona ("Tenants", "Najemcy", ...), and a journey
could be given another language's persona."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from core.tests.factories import DeliveryUnitFactory, UserFactory
from directory.models import Service
from directory.wagtail_hooks import ServiceViewSet
from journeys.models import JourneyPage, PersonaPage
from personas.models import Persona
from tests.site import fresh_home_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    home = fresh_home_page()
    polish = Locale.objects.get_or_create(language_code="pl")[0]
    unit = DeliveryUnitFactory(slug="housing", name="Housing")
    tenants = Persona.objects.create(slug="tenants", name="Tenants", intent="Rent", order=1)
    najemcy = tenants.copy_for_translation(polish)
    najemcy.name = "Najemcy"
    najemcy.save()
    hub = home.add_child(
        instance=PersonaPage(
            title="Tenants",
            slug="tenants",
            persona=tenants,
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    journey = hub.add_child(
        instance=JourneyPage(
            title="Report a repair",
            slug="repair",
            summary="Tell us.",
            what_happens_next="We fix it.",
            service_level="5 days",
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    polish_home = home.copy_for_translation(polish)
    polish_hub = hub.copy_for_translation(polish, copy_parents=True)
    polish_journey = journey.copy_for_translation(polish)
    return {
        "web": UserFactory(web_team=True, username="web"),
        "tenants": tenants,
        "najemcy": najemcy,
        "hub": hub,
        "journey": journey,
        "polish_home": polish_home,
        "polish_hub": polish_hub,
        "polish_journey": polish_journey,
    }


def page_form(page, parent, user):
    return (
        type(page)
        .get_edit_handler()
        .get_form_class()(instance=page, parent_page=parent, for_user=user)
    )


def test_an_english_journey_offers_english_personas_and_journeys(world):
    form = page_form(world["journey"], world["hub"], world["web"])
    assert list(form.fields["personas"].queryset) == [world["tenants"]]
    related = list(form.fields["related_journeys"].queryset)
    assert world["journey"].page_ptr in related or world["journey"] in related
    assert world["polish_journey"].pk not in [page.pk for page in related]


def test_a_polish_page_offers_polish_personas(world):
    # The copy still names the English persona (copying keeps it): that stays on offer too.
    form = page_form(world["polish_hub"].specific, world["polish_home"], world["web"])
    assert set(form.fields["persona"].queryset) == {world["najemcy"], world["tenants"]}
    new = JourneyPage(title="Zgłoś naprawę")
    form = page_form(new, world["polish_hub"], world["web"])
    assert list(form.fields["personas"].queryset) == [world["najemcy"]]


def test_a_service_offers_the_default_languages_personas(world):
    form_class = ServiceViewSet.edit_handler.bind_to_model(Service).get_form_class()
    form = form_class(for_user=world["web"])
    assert list(form.fields["personas"].queryset) == [world["tenants"]]


def test_another_languages_persona_is_refused_on_save(world):
    form = page_form(world["journey"], world["hub"], world["web"])
    with pytest.raises(ValidationError, match="valid choice"):
        form.fields["personas"].clean([world["najemcy"].pk])
    assert list(form.fields["personas"].clean([world["tenants"].pk])) == [world["tenants"]]

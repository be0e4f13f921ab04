"""Personas as editors write them: the kinds of help, one a line, and one slug per language."""

import pytest
from wagtail.models import Locale

from personas.models import Persona
from personas.tests.factories import PersonaFactory

pytestmark = pytest.mark.django_db


def test_kinds_of_help_are_the_non_blank_lines_trimmed():
    persona = PersonaFactory(
        kinds_of_help="  Repairs \n\nHousing and homelessness\n   \nCrisis support  "
    )
    assert persona.kinds_of_help_list == ["Repairs", "Housing and homelessness", "Crisis support"]
    assert PersonaFactory(kinds_of_help="").kinds_of_help_list == []


def test_personas_are_in_the_default_locale_and_found_again_by_slug():
    """Fixtures in several apps ask for the same persona; they get one row, in English."""
    first = PersonaFactory(slug="tenants", name="Tenants")
    again = PersonaFactory(slug="tenants", name="Someone else")
    assert first.locale == Locale.get_default()
    assert again.pk == first.pk and again.name == "Tenants"
    assert Persona.objects.filter(slug="tenants").count() == 1


def test_personas_are_in_the_editors_order():
    PersonaFactory(name="Business", order=2)
    PersonaFactory(name="Tenants", order=1)
    PersonaFactory(name="Parents", order=1)
    assert [p.name for p in Persona.objects.all()] == ["Parents", "Tenants", "Business"]

"""Factories for personas, the interaction modes residents choose between.

A persona is looked up by slug in its locale before one is made, so the journeys', backlog's
and directory's fixtures that each ask for "report-and-transact" share one row, as they would
after ``personas.demo.load()``.
"""

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.models import Locale

from personas.models import Persona


class PersonaFactory(DjangoModelFactory):
    """A persona in the default locale (the English site)."""

    class Meta:
        model = Persona
        django_get_or_create = ("slug", "locale")

    name = factory.Sequence(lambda n: f"Persona {n}")
    slug = factory.LazyAttribute(lambda persona: slugify(persona.name))
    intent = factory.LazyAttribute(lambda persona: f"I want help as {persona.name.lower()}")
    locale = factory.LazyFunction(Locale.get_default)
    order = factory.Sequence(lambda n: n)

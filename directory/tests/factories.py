"""Factories for the Open Referral UK directory: organisations, places, services, the links
between them, opening times, costs and taxonomy terms.

A test that needs a handful of services builds them here; only tests about the demo directory
itself (or that need its hundred-odd services) load ``directory.demo``. Terms are looked up by
code first, so ``TaxonomyTermFactory(code="foodbanks")`` is the seeded Signpost term.
"""

import datetime

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from directory.models import (
    CostOption,
    DirectoryView,
    Location,
    Organization,
    Phone,
    Postcode,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)


class TaxonomyFactory(DjangoModelFactory):
    """A published list of terms; all factory-made terms share one unless told otherwise."""

    class Meta:
        model = Taxonomy
        django_get_or_create = ("name",)

    name = "Test needs"
    description = "Needs for tests."


class TaxonomyTermFactory(DjangoModelFactory):
    """A category of need; an existing term with the same code (a seeded one) is reused."""

    class Meta:
        model = TaxonomyTerm
        django_get_or_create = ("code",)

    taxonomy = factory.SubFactory(TaxonomyFactory)
    name = factory.Sequence(lambda n: f"Need {n}")
    code = factory.LazyAttribute(lambda term: slugify(term.name))


class OrganizationFactory(DjangoModelFactory):
    """A registered charity that runs services."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Northbrook Test Trust {n}")
    description = "A charity for tests."
    provider_type = Organization.ProviderType.REGISTERED_CHARITY


class PostcodeFactory(DjangoModelFactory):
    """A postcode's centre, as the postcode directory would give it."""

    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)

    postcode = "NB1 1AA"
    latitude = 51.56
    longitude = -0.105
    source = "test"


class LocationFactory(DjangoModelFactory):
    """A hall near the demo town centre, with its own coordinates (so no postcode lookup)."""

    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Test Hall {n}")
    address_1 = factory.Sequence(lambda n: f"{n + 1} Test Road")
    postal_code = "NB1 1AB"
    latitude = 51.561
    longitude = -0.105


class ServiceFactory(DjangoModelFactory):
    """An active service run by a new organisation. Pass ``taxonomy_terms=[...]`` and
    ``personas=[...]``: they are parental many-to-many fields, saved with the service."""

    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Test service {n}")
    description = "A service."


class ServiceAtLocationFactory(DjangoModelFactory):
    """A service delivered at a place (the HSDS link record)."""

    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


class ScheduleFactory(DjangoModelFactory):
    """Simple weekly opening: Mondays 9:00 to 17:00 unless told otherwise."""

    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    byday = "MO"
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(17, 0)


class CostOptionFactory(DjangoModelFactory):
    """What a service costs, per session."""

    class Meta:
        model = CostOption

    service = factory.SubFactory(ServiceFactory)
    option = "Per session"
    amount = "2.00"


class PhoneFactory(DjangoModelFactory):
    """A service's phone number (a fictional Ofcom drama number)."""

    class Meta:
        model = Phone

    service = factory.SubFactory(ServiceFactory)
    number = "020 7946 0999"
    description = "Advice line"


class DirectoryViewFactory(DjangoModelFactory):
    """A named view over the directory (a saved filter). Pass ``taxonomy_terms=[...]`` and
    ``personas=[...]``, saved with the view."""

    class Meta:
        model = DirectoryView

    title = factory.Sequence(lambda n: f"Directory view {n}")
    slug = factory.LazyAttribute(lambda view: slugify(view.title))

"""Factories for forms and the requests residents send with them.

``FormDefinitionFactory`` makes a two-page form (one question, then the usual contact page) in
the raw StreamField shape ``eforms.builders`` writes. ``SubmissionFactory`` makes a stored
request row only: no history, messages or files. Tests of sending a form go through
``eforms.services.submit``, which makes all of those; the factory is for tests that need
requests to already be there (the inbox, retention, statistics).
"""

from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.tests.factories import REVIEW_BY, DeliveryUnitFactory
from eforms import builders as b
from eforms.models import AddressPoint, FormDefinition, LookupList, Submission
from eforms.services import new_reference


def small_pages() -> list[dict[str, Any]]:
    """One required question and the contact page: the least a form residents send can have."""
    return [
        b.page(
            "what",
            b.q(
                "radios",
                "problem",
                "What is the problem?",
                error="Select the problem",
                options=b.options(("pothole", "Pothole"), ("other", "Something else")),
            ),
        ),
        b.contact_page(),
    ]


class FormDefinitionFactory(DjangoModelFactory):
    """A live form in the default locale, owned by a new delivery unit."""

    class Meta:
        model = FormDefinition

    title = factory.Sequence(lambda n: f"Report a problem {n}")
    slug = factory.Sequence(lambda n: f"report-a-problem-{n}")
    purpose = "Tell us about a problem so we can fix it."
    service_level = "We aim to fix problems within 5 working days."
    service_level_days = 5
    reference_prefix = "RPT"
    delivery_unit = factory.SubFactory(DeliveryUnitFactory)
    review_by = REVIEW_BY
    pages = factory.LazyFunction(small_pages)


class AddressPointFactory(DjangoModelFactory):
    """A known address on Mill Lane, NB1 1AA, for the address lookup."""

    class Meta:
        model = AddressPoint

    uprn = factory.Sequence(lambda n: f"{100000000001 + n}")
    line_1 = factory.Sequence(lambda n: f"{n + 1} Mill Lane")
    street = "MILL LANE"
    postcode = "NB1 1AA"
    latitude = 51.5
    longitude = -0.1


class LookupListFactory(DjangoModelFactory):
    """An editor's list of options, one ``code|Label`` a line."""

    class Meta:
        model = LookupList

    name = factory.Sequence(lambda n: f"List {n}")
    slug = factory.Sequence(lambda n: f"list-{n}")
    options = "A|Option A\nB|Option B"


def small_answers() -> dict[str, Any]:
    """Answers to ``small_pages``."""
    return {
        "problem": "pothole",
        "full_name": "Sam Resident",
        "email": "sam@resident.example",
        "consent": True,
    }


class SubmissionFactory(DjangoModelFactory):
    """A received request with its own reference, as ``create_submission`` would number it."""

    class Meta:
        model = Submission

    form = factory.SubFactory(FormDefinitionFactory)
    reference = factory.LazyAttribute(lambda s: new_reference(s.form.reference_prefix or "REQ"))
    form_title = factory.SelfAttribute("form.title")
    delivery_unit = factory.SelfAttribute("form.delivery_unit")
    answers = factory.LazyFunction(small_answers)
    email = "sam@resident.example"
    submitted_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyAttribute(lambda s: s.form.expected_by(s.submitted_at))

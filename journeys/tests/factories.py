"""Factories for persona pages and journeys, and the step data journeys are written in.

Steps are given as StreamField's raw data (``step(...)``, ``two_steps()``): the nested blocks
(substeps, actions) read more plainly that way than as block factories, and it is the shape an
editor's page is stored in.
"""

from typing import Any

import factory

from core.tests.factories import OwnedPageFactory, publish_or_keep_draft
from journeys.models import JourneyPage, PersonaPage
from personas.tests.factories import PersonaFactory


def step(
    title: str = "Check your collection day",
    body: str = "<p>Check your collection day.</p>",
    *,
    logic: str = "and",
    optional: bool = False,
    substeps: list[dict[str, str]] | None = None,
    actions: list[tuple[str, dict[str, Any]]] | None = None,
) -> tuple[str, dict[str, Any]]:
    """One step of a journey (journeys.blocks.StepBlock), as raw StreamField data."""
    return (
        "step",
        {
            "title": title,
            "body": body,
            "logic": logic,
            "optional": optional,
            "substeps": substeps or [],
            "actions": actions or [],
        },
    )


def two_steps(extra_actions: Any = (), link_page: Any = None) -> list[tuple[str, dict[str, Any]]]:
    """The missed-bin journey's steps: a checklist, a contact and a plain step (three in all,
    despite the name, which the tests have always called it). ``link_page`` adds a rich-text
    link to that page in the first step; ``extra_actions`` more actions after the checklist."""
    body = "<p>Check your collection day.</p>"
    if link_page is not None:
        body += f'<p>Read <a linktype="page" id="{link_page.pk}">the rules</a>.</p>'
    return [
        step(
            "Check your collection day",
            body,
            substeps=[{"title": "Find your day", "body": "<p>Use your postcode.</p>"}],
            actions=[
                ("checklist", {"heading": "What you\u2019ll need", "items": ["Your postcode"]}),
                *extra_actions,
            ],
        ),
        step(
            "Tell us about the missed bin",
            "<p>Report it online.</p>",
            logic="or",
            optional=True,
            actions=[
                (
                    "contact",
                    {
                        "heading": "Street Scene",
                        "phone": "020 7946 0108",
                        "email": "",
                        "address": "",
                        "opening_hours": "",
                        "url": "",
                        "url_text": "",
                    },
                )
            ],
        ),
        step("Wait for collection", "<p>We come back.</p>"),
    ]


class PersonaPageFactory(OwnedPageFactory):
    """A published persona page; pass ``parent=home_page`` (persona pages sit under the home
    page) and ``also_need=[...]`` for its "you might also need" personas."""

    class Meta:
        model = PersonaPage

    persona = factory.SubFactory(PersonaFactory)
    title = factory.LazyAttribute(lambda page: page.persona.name)
    slug = factory.LazyAttribute(lambda page: page.persona.slug)

    revision = factory.PostGeneration(publish_or_keep_draft)


class JourneyPageFactory(OwnedPageFactory):
    """A published journey with one step, for one new persona unless ``personas=[...]`` is
    given; ``topics=[...]`` tags it. Pass ``parent=`` a persona page (or the home page)."""

    class Meta:
        model = JourneyPage

    slug = factory.Sequence(lambda n: f"journey-{n}")
    title = factory.LazyAttribute(lambda page: page.slug.replace("-", " ").capitalize())
    summary = factory.LazyAttribute(lambda page: f"Summary of {page.slug}.")
    questions = factory.LazyFunction(
        lambda: [("question", "My bins weren't emptied, what do I do?")]
    )
    need = "Bins and rubbish"
    steps = factory.LazyFunction(lambda: [step()])
    what_happens_next = "We collect it within 2 working days."
    service_level = "We\u2019ll collect it within 2 working days"
    # A ParentalManyToManyField, so it is saved with the page when the page is added.
    personas = factory.LazyFunction(lambda: [PersonaFactory()])

    @factory.post_generation
    def topics(page: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Tag the journey; the tags are saved by the revision hook after this one."""
        if extracted:
            page.topics.add(*extracted)

    revision = factory.PostGeneration(publish_or_keep_draft)

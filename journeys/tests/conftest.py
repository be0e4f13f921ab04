import datetime

import pytest
from wagtail.models import Locale

from cms.models import ContentPage
from core.models import DeliveryUnit
from journeys.models import JourneyPage, PersonaPage
from personas.models import Persona
from tests.tasks import run_queued_tasks


@pytest.fixture
def units(db):
    return {
        slug: DeliveryUnit.objects.create(name=slug.replace("-", " ").title(), slug=slug)
        for slug in ("street-scene", "parking", "adults-and-communities")
    }


@pytest.fixture
def personas(db):
    locale = Locale.get_default()
    return {
        slug: Persona.objects.create(name=name, slug=slug, intent=intent, locale=locale, order=i)
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
    page = home_page.add_child(
        instance=PersonaPage(
            title="Report & transact",
            slug="report-and-transact",
            persona=personas["report-and-transact"],
            delivery_unit=units["street-scene"],
            review_by=datetime.date(2030, 1, 1),
        )
    )
    page.also_need.set([personas["cusp-of-care"]])
    page.save_revision().publish()
    return page


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
        journey = (parent or persona_page).add_child(
            instance=JourneyPage(
                title=title or slug.replace("-", " ").capitalize(),
                slug=slug,
                summary=f"Summary of {slug}.",
                questions=[("question", "My bins weren't emptied, what do I do?")],
                need=need,
                steps=steps if steps is not None else two_steps(),
                what_happens_next="We collect it within 2 working days.",
                service_level="We\u2019ll collect it within 2 working days",
                delivery_unit=units[unit],
                review_by=datetime.date(2030, 1, 1),
            )
        )
        journey.personas.set([personas[s] for s in persona_slugs])
        journey.topics.add(*topics)
        if publish:
            journey.save_revision().publish()
        else:
            journey.save_revision()
        run_queued_tasks()  # the worker updates Wagtail's reference index a moment later
        return journey

    return make


def two_steps(extra_actions=(), link_page=None):
    body = "<p>Check your collection day.</p>"
    if link_page is not None:
        body += f'<p>Read <a linktype="page" id="{link_page.pk}">the rules</a>.</p>'
    return [
        (
            "step",
            {
                "title": "Check your collection day",
                "body": body,
                "logic": "and",
                "optional": False,
                "substeps": [{"title": "Find your day", "body": "<p>Use your postcode.</p>"}],
                "actions": [
                    ("checklist", {"heading": "What you\u2019ll need", "items": ["Your postcode"]}),
                    *extra_actions,
                ],
            },
        ),
        (
            "step",
            {
                "title": "Tell us about the missed bin",
                "body": "<p>Report it online.</p>",
                "logic": "or",
                "optional": True,
                "substeps": [],
                "actions": [
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
            },
        ),
        (
            "step",
            {
                "title": "Wait for collection",
                "body": "<p>We come back.</p>",
                "logic": "and",
                "optional": False,
                "substeps": [],
                "actions": [],
            },
        ),
    ]


@pytest.fixture
def content_page(home_page, units):
    def make(slug="recycling-rules", parent=None):
        page = (parent or home_page).add_child(
            instance=ContentPage(
                title="Recycling rules",
                slug=slug,
                summary="Rules.",
                body=[],
                delivery_unit=units["street-scene"],
                review_by=datetime.date(2030, 1, 1),
            )
        )
        page.save_revision().publish()
        run_queued_tasks()  # the worker updates Wagtail's reference index a moment later
        return page

    return make

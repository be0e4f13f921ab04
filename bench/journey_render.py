"""A 10-step journey page's render time beside the home page's, in the same run; and a content
page that is part of that journey (it shows the step-by-step sidebar) while OTHER_JOURNEYS
unrelated journeys exist, to show the sidebar's cost does not grow with them.

Run: .venv/bin/python bench/journey_render.py   (REPEAT=200, OTHER_JOURNEYS=500 by default)
"""

import datetime
import os

from _setup import django_with_throwaway_db, summary, timed

REPEAT = int(os.environ.get("REPEAT", "200"))
OTHER_JOURNEYS = int(os.environ.get("OTHER_JOURNEYS", "500"))


def build_site():
    from wagtail.models import Locale, Page, Site

    from cms.models import ContentPage, HomePage
    from core.models import DeliveryUnit
    from journeys.models import JourneyPage, PersonaPage
    from personas.models import Persona

    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = root.add_child(instance=HomePage(title="Home", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    unit = DeliveryUnit.objects.create(name="Street Scene", slug="street-scene")
    persona = Persona.objects.create(
        name="Report",
        slug="report",
        intent="I want to report something",
        locale=Locale.get_default(),
    )
    persona_page = home.add_child(
        instance=PersonaPage(
            title="Report",
            slug="report",
            persona=persona,
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    rules = home.add_child(
        instance=ContentPage(
            title="Rules",
            slug="rules",
            summary="The rules.",
            body=[],
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    link = f'<p>Read <a linktype="page" id="{rules.pk}">the rules</a>.</p>'
    steps = []
    for n in range(1, 11):
        steps.append(
            (
                "step",
                {
                    "title": f"Step {n}: do the next thing",
                    "body": "<p>Short, plain words about what to do.</p>" * 3
                    + (link if n == 3 else ""),
                    "logic": "and",
                    "optional": n == 5,
                    "substeps": [{"title": "A smaller part", "body": "<p>Do this first.</p>"}],
                    "actions": [
                        (
                            "checklist",
                            {
                                "heading": "What you\u2019ll need",
                                "items": ["Your postcode", "Your reference"],
                            },
                        ),
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
                        ),
                        (
                            "external_service",
                            {
                                "title": "Pay online",
                                "url": "https://pay.northbrook.example/",
                                "why": "Our payment partner takes card payments.",
                                "cost": "\u00a335",
                            },
                        ),
                    ],
                },
            )
        )
    journey = persona_page.add_child(
        instance=JourneyPage(
            title="A ten-step journey",
            slug="ten-steps",
            summary="Ten steps.",
            steps=steps,
            what_happens_next="We reply.",
            service_level="Within 10 working days",
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    journey.personas.set([persona])
    journey.save_revision().publish()
    unlinked = [(kind, {**value, "body": value["body"].replace(link, "")}) for kind, value in steps]
    for n in range(OTHER_JOURNEYS):  # live as created; no revisions needed for reading them
        persona_page.add_child(
            instance=JourneyPage(
                title=f"Another journey {n}",
                slug=f"other-{n}",
                summary="Another.",
                steps=unlinked,
                what_happens_next="We reply.",
                service_level="Within 10 working days",
                delivery_unit=unit,
                review_by=datetime.date(2030, 1, 1),
            )
        )
    return journey.url, rules.url


def main():
    django_with_throwaway_db()
    from django.test import Client

    journey_url, rules_url = build_site()
    client = Client()
    for url in ("/", journey_url, rules_url):  # warm caches and templates
        assert client.get(url).status_code == 200
    assert b"sp-step-nav--sidebar" in client.get(rules_url).content
    home = summary(timed(lambda: client.get("/"), REPEAT))
    journey = summary(timed(lambda: client.get(journey_url), REPEAT))
    in_journey = summary(timed(lambda: client.get(rules_url), REPEAT))
    print(f"page render, {REPEAT} requests each through Django's test client (no network):")
    print(f"  home page (baseline)  median {home['median']:.2f} ms  p95 {home['p95']:.2f} ms")
    print(f"  10-step journey page  median {journey['median']:.2f} ms  p95 {journey['p95']:.2f} ms")
    print(
        f"  ratio journey/home    median {journey['median'] / home['median']:.2f}x  p95 {journey['p95'] / home['p95']:.2f}x"
    )
    print(f"  content page with step-by-step sidebar, {OTHER_JOURNEYS} other journeys on the site:")
    print(
        f"                        median {in_journey['median']:.2f} ms  p95 {in_journey['p95']:.2f} ms"
    )
    print(
        f"  ratio sidebar/home    median {in_journey['median'] / home['median']:.2f}x  p95 {in_journey['p95'] / home['p95']:.2f}x"
    )


if __name__ == "__main__":
    main()

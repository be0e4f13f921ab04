"""Demo persona pages and the 33 journeys, from fixtures/journeys/<persona>.json.

Journeys are created once and left alone afterwards, so a second run changes nothing and
editors' changes to the demo site survive a reload.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Site

from core.models import DeliveryUnit
from personas.models import Persona

from .models import JourneyPage, PersonaPage

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "journeys"
PERSONA_ORDER = ["cusp-of-care", "tenants", "parents", "report-and-transact", "business"]
PERSONA_OWNERS = {
    "cusp-of-care": "adults-and-communities",
    "tenants": "housing",
    "parents": "education-and-skills",
    "report-and-transact": "street-scene",
    "business": "regulatory-services",
}
REVIEW_BY = datetime.date(2027, 5, 31)
LAST_REVIEWED = datetime.date(2026, 11, 1)


def load_journey_data():
    data = []
    for slug in PERSONA_ORDER:
        path = FIXTURES / f"{slug}.json"
        if path.exists():
            data.extend(json.loads(path.read_text(encoding="utf-8")))
    return data


def ensure_persona_pages(home):
    pages = {}
    units = {u.slug: u for u in DeliveryUnit.objects.all()}
    for slug in PERSONA_ORDER:
        persona = Persona.objects.get(slug=slug, locale=home.locale)
        page = PersonaPage.objects.filter(persona=persona).first()
        if page is None:
            page = home.add_child(
                instance=PersonaPage(
                    title=persona.name,
                    slug=slug,
                    persona=persona,
                    intro=persona.description,
                    delivery_unit=units[PERSONA_OWNERS[slug]],
                    review_by=REVIEW_BY,
                )
            )
            page.also_need.set(Persona.objects.filter(locale=home.locale).exclude(pk=persona.pk))
            page.save_revision().publish()
        pages[slug] = page
    return pages


def _rich(html):
    return html or ""


def _action(action, journeys_by_slug):
    kind = action["type"]
    if kind == "eform":
        return ("eform", {"form": action["form"]})
    if kind == "directory":
        return (
            "directory_listing",
            {
                "heading": action["heading"],
                "terms": action["terms"],
                "min_age": action.get("min_age"),
                "max_age": action.get("max_age"),
                "distance_km": action.get("distance_km"),
                "limit": action.get("limit") or 5,
            },
        )
    if kind == "journey":
        target = journeys_by_slug.get(action["slug"])
        return (
            ("journey_link", {"journey": target, "text": action.get("text") or ""})
            if target
            else None
        )
    if kind == "external":
        return ("external_service", {k: action.get(k, "") for k in ("title", "url", "why", "cost")})
    if kind == "contact":
        return (
            "contact",
            {
                "heading": action.get("heading", ""),
                "phone": action.get("phone", ""),
                "email": action.get("email", ""),
                "address": action.get("address", ""),
                "opening_hours": action.get("opening_hours", ""),
                "url": action.get("url", ""),
                "url_text": action.get("url_text", ""),
            },
        )
    if kind == "checklist":
        return (
            "checklist",
            {"heading": action.get("heading") or "What you\u2019ll need", "items": action["items"]},
        )
    if kind == "selfcheck":
        return (
            "self_check",
            {
                "question": action["question"],
                "options": [
                    {
                        "label": o["label"],
                        "outcome": o["outcome"],
                        "journey": journeys_by_slug.get(o.get("journey") or ""),
                    }
                    for o in action["options"]
                ],
            },
        )
    raise ValueError(f"Unknown action type {kind!r} in the demo journeys")


def steps_value(data, journeys_by_slug):
    steps = []
    for step in data["steps"]:
        actions = [a for a in (_action(a, journeys_by_slug) for a in step.get("actions", [])) if a]
        steps.append(
            (
                "step",
                {
                    "title": step["title"],
                    "body": _rich(step.get("body")),
                    "logic": step.get("logic", "and"),
                    "optional": bool(step.get("optional")),
                    "substeps": [
                        {"title": s["title"], "body": _rich(s.get("body"))}
                        for s in step.get("substeps") or []
                    ],
                    "actions": actions,
                },
            )
        )
    return steps


def load(stdout=None):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    locale = Locale.get_default()
    with transaction.atomic():
        persona_pages = ensure_persona_pages(home)
        data = load_journey_data()
        existing = {j.slug: j for j in JourneyPage.objects.filter(locale=locale)}
        units = {u.slug: u for u in DeliveryUnit.objects.all()}
        personas = {p.slug: p for p in Persona.objects.filter(locale=locale)}
        created = []
        # First pass: create the pages, so steps and related journeys can link to any of them.
        for item in data:
            if item["slug"] in existing:
                continue
            parent = persona_pages[item["personas"][0]]
            journey = JourneyPage(
                title=item["title"],
                slug=item["slug"],
                summary=item["summary"],
                who_for=item.get("who_for", ""),
                need=item.get("need", ""),
                questions=[("question", q) for q in item.get("questions", [])],
                steps=[],
                what_happens_next=item["what_happens_next"],
                service_level=item["service_level"],
                delivery_unit=units[item["delivery_unit"]],
                review_by=REVIEW_BY,
                last_reviewed=LAST_REVIEWED,
            )
            parent.add_child(instance=journey)
            existing[item["slug"]] = journey
            created.append(item)
        # Second pass: steps, personas, topics and related journeys; then publish.
        for item in created:
            journey = existing[item["slug"]]
            journey.steps = steps_value(item, existing)
            journey.personas.set([personas[slug] for slug in item["personas"]])
            journey.topics.add(*item.get("topics", []))
            journey.related_journeys.set(
                [existing[s] for s in item.get("related", []) if s in existing]
            )
            journey.save_revision().publish()
        ensure_top_tasks(home, existing)
        if stdout is not None:
            stdout.write(f"  {len(created)} journeys created, {len(existing)} in all")


TOP_TASKS = [
    ("pay", "Pay your Council Tax", "pay-council-tax"),
    ("pay", "Pay a parking fine", "parking-fine"),
    ("report", "Report a missed bin", "missed-bin"),
    ("report", "Report a pothole", "report-a-pothole"),
    ("report", "Report fly-tipping", "report-fly-tipping"),
    ("apply", "Apply for a school place", "apply-for-a-school-place"),
    ("apply", "Apply for a Blue Badge", "blue-badge"),
    ("apply", "Apply for a parking permit", "parking-permit"),
    ("find-help", "Help to stay independent at home", "stay-independent-at-home"),
    ("find-help", "Emergency help with food and bills", "crisis-support"),
    ("find-help", "Homeless or about to be", "homeless-or-at-risk"),
]


def ensure_top_tasks(home, journeys_by_slug):
    """Give the home page its top tasks once; editors own them after that."""
    if home.top_tasks:
        return
    home.top_tasks = [
        ("task", {"category": category, "label": label, "page": journeys_by_slug[slug], "url": ""})
        for category, label, slug in TOP_TASKS
        if slug in journeys_by_slug
    ]
    home.save_revision().publish()

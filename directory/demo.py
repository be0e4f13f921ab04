"""Demo content for the directory, loaded by `manage.py load_demo` (idempotent and quick).

Every record's id is derived from a stable key, and rows are written with bulk upserts, so a
second run rewrites the same rows rather than adding to them.
"""

import csv
import datetime
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale

from core.models import DeliveryUnit
from personas.models import Persona

from . import demo_data, opening_hours
from .models import (
    CostOption,
    DirectoryView,
    Language,
    Location,
    Organization,
    Phone,
    Postcode,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceText,
    TaxonomyTerm,
)
from .postcodes import rebuild_areas
from .taxonomy import ensure_taxonomy

DEMO = uuid.UUID("3c0a6a8e-1d7b-4d0f-b6a4-9c8e2f1a7b55")
POSTCODE_FILE = Path(settings.BASE_DIR) / "fixtures" / "directory" / "demo_postcodes.csv"
VERIFIED_ANCHOR = datetime.date(2025, 9, 1)

VIEWS = [
    {
        "slug": "social-care-connect",
        "title": "Social Care Connect",
        "intro": "Services that help adults stay independent, well and connected, and support the people who care for them.",
        "terms": [
            "care-and-support-at-home",
            "falls-and-mobility",
            "equipment-and-adaptations",
            "carers",
            "dementia",
            "loneliness-and-befriending",
            "food-and-meals",
        ],
        "minimum_age": 18,
        "owner": "adults-and-communities",
    },
    {
        "slug": "early-help",
        "title": "Early Help directory",
        "intro": "Support for families with children and young people, from baby groups to youth clubs.",
        "terms": ["childrens-centres-and-early-help", "childcare", "youth"],
        "personas": ["parents"],
        "owner": "family-services",
    },
    {
        "slug": "local-offer",
        "title": "Local Offer",
        "intro": "Northbrook\u2019s Local Offer: services for children and young people aged 0 to 25 with special educational needs and disabilities (SEND), and their families.",
        "terms": ["send-and-local-offer"],
        "owner": "education-and-skills",
    },
    {
        "slug": "cost-of-living",
        "title": "Help with the cost of living",
        "intro": "Food, money advice and emergency help, all free.",
        "terms": ["food-and-meals", "money-debt-and-benefits-advice", "crisis-support"],
        "free_only": True,
        "owner": "revenues-and-benefits",
    },
]

OWNER_BY_TERM_PREFIX = [
    (
        {"debt-advice", "benefits-advice", "credit-unions", "emergency-grants"},
        "revenues-and-benefits",
    ),
    ({"homelessness-advice", "tenancy-support"}, "housing"),
    (
        {
            "send-parent-support",
            "short-breaks",
            "send-and-local-offer",
            "youth-clubs",
            "homework-clubs",
            "employment-support",
            "adult-learning",
            "travel-training",
            "youth",
        },
        "education-and-skills",
    ),
    (
        {
            "stay-and-play",
            "parenting-support",
            "childrens-centres-and-early-help",
            "nurseries",
            "childminders",
            "childcare",
        },
        "family-services",
    ),
]


def demo_id(*parts):
    return uuid.uuid5(DEMO, ":".join(parts))


def load(stdout=None):
    """Create or update this app's demo content."""
    with transaction.atomic():
        ensure_taxonomy()
        points = load_demo_postcodes()
        counts = _load_directory(points)
        _load_views()
    if stdout is not None:
        stdout.write(
            f"  {counts['services']} services from {counts['organisations']} organisations, "
            f"{len(points)} demo postcodes"
        )


def load_demo_postcodes():
    """Load the fictional NB postcodes (coordinates are invented demo data)."""
    rows = []
    with POSTCODE_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                Postcode(
                    postcode=row["pcds"],
                    latitude=float(row["lat"]),
                    longitude=float(row["long"]),
                    source="demo",
                )
            )
    Postcode.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["latitude", "longitude", "source"],
    )
    rebuild_areas()
    return {row.postcode: (row.latitude, row.longitude) for row in rows}


def _upsert(model, objects, fields):
    model.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=["id"], update_fields=fields
    )


def _load_directory(points):
    organisations = {}
    for index, (key, (name, kind, charity, description)) in enumerate(
        demo_data.ORGANISATIONS.items()
    ):
        council = kind == "council-team"
        organisations[key] = Organization(
            id=demo_id("org", key),
            name=name,
            description=description,
            provider_type=kind,
            charity_number=charity,
            email=f"{key.removeprefix('council-')}@northbrook.example"
            if council
            else f"hello@{key}.example",
            website="https://www.northbrook.example/" if council else f"https://www.{key}.example/",
            registered_address="Northbrook Town Hall\nHigh Street\nNorthbrook"
            if council
            else f"{10 + index} Commerce Road\nNorthbrook",
            registered_postcode="NB1 1AA" if council else "NB4 7LB",
        )
    _upsert(
        Organization,
        list(organisations.values()),
        [
            "name",
            "description",
            "provider_type",
            "charity_number",
            "email",
            "website",
            "registered_address",
            "registered_postcode",
        ],
    )

    locations = {}
    for key, place in demo_data.PLACES.items():
        if place is None:
            locations[key] = Location(
                id=demo_id("place", key),
                name="By phone or online",
                location_type=Location.LocationType.VIRTUAL,
                city="",
                state_province="",
                latitude=None,
                longitude=None,
            )
            continue
        name, line, postcode, access = place
        lat, lon = points[postcode]
        locations[key] = Location(
            id=demo_id("place", key),
            name=name,
            location_type=Location.LocationType.PHYSICAL,
            address_1=line,
            city="Northbrook",
            state_province="Greater London",
            postal_code=postcode,
            latitude=lat,
            longitude=lon,
            accessibility=access,
        )
    _upsert(
        Location,
        list(locations.values()),
        [
            "name",
            "location_type",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "latitude",
            "longitude",
            "accessibility",
        ],
    )

    units = {unit.slug: unit for unit in DeliveryUnit.objects.all()}
    personas = (
        {p.slug: p for p in Persona.objects.filter(locale=Locale.get_default())}
        if Locale.objects.exists()
        else {}
    )
    terms = {term.code: term for term in TaxonomyTerm.objects.all()}

    services, children, term_links, persona_links = (
        [],
        {m: [] for m in (ServiceAtLocation, Schedule, Phone, CostOption, ServiceArea, Language)},
        [],
        [],
    )
    for index, item in enumerate(demo_data.services()):
        key = item["key"]
        service_id = demo_id("service", key)
        amount = item.get("amount")
        owner = _owner_slug(item)
        services.append(
            Service(
                id=service_id,
                organization_id=organisations[item["org"]].id,
                name=item["name"],
                description=item["description"],
                url=f"https://www.{item['org']}.example/"
                if not item["org"].startswith("council-")
                else "https://www.northbrook.example/",
                email=organisations[item["org"]].email,
                status=Service.Status.ACTIVE,
                fees_description=item.get("fee", "Free"),
                minimum_age=item.get("min_age"),
                maximum_age=item.get("max_age"),
                eligibility_description=_eligibility(item),
                referral_route=item.get("referral", Service.ReferralRoute.SELF),
                support_level=item.get("support", Service.SupportLevel.ONGOING),
                same_day=item.get("same_day", False),
                out_of_hours=item.get("out_of_hours", False),
                bookable=item.get("bookable", False),
                booking_url=f"https://www.{item['org']}.example/book/"
                if item.get("bookable")
                else "",
                referral_email=f"referrals@{item['org']}.example"
                if item.get("referral") in ("professional", "both")
                else "",
                partner_notes="Referrals by email are answered within 2 working days. Mark urgent referrals URGENT in the subject."
                if item.get("referral") in ("professional", "both")
                else "",
                owner=units.get(owner),
                last_verified=VERIFIED_ANCHOR - datetime.timedelta(days=(index * 37) % 540),
                last_modified=datetime.datetime(2025, 9, 1, 9, 0, tzinfo=datetime.UTC),
            )
        )
        link_id = demo_id("sal", key)
        for order, place in enumerate(item["places"]):
            children[ServiceAtLocation].append(
                ServiceAtLocation(
                    id=demo_id("sal", key, place) if order else link_id,
                    service_id=service_id,
                    location_id=locations[place].id,
                    sort_order=order,
                )
            )
        for order, rule in enumerate(opening_hours.parse(item["hours"])):
            children[Schedule].append(
                Schedule(
                    id=demo_id("schedule", key, str(order)),
                    service_id=service_id,
                    freq="WEEKLY",
                    interval=1,
                    byday=rule.byday,
                    opens_at=rule.opens_at,
                    closes_at=rule.closes_at,
                    sort_order=order,
                )
            )
        children[Phone].append(
            Phone(
                id=demo_id("phone", key),
                service_id=service_id,
                number=f"020 7946 0{index % 1000:03d}",
                description="Enquiries",
                sort_order=0,
            )
        )
        children[CostOption].append(
            CostOption(
                id=demo_id("cost", key),
                service_id=service_id,
                option=item.get("fee", "Free"),
                amount=Decimal(amount)
                if amount
                else (None if item.get("fee") else Decimal("0.00")),
                amount_description=item.get("fee", "Free"),
                sort_order=0,
            )
        )
        children[ServiceArea].append(
            ServiceArea(
                id=demo_id("area", key),
                service_id=service_id,
                name="Northbrook borough",
                sort_order=0,
            )
        )
        for order, (language, code) in enumerate([("English", "en"), *item.get("languages", [])]):
            children[Language].append(
                Language(
                    id=demo_id("language", key, code),
                    service_id=service_id,
                    name=language,
                    code=code,
                    sort_order=order,
                )
            )
        codes = set(item["terms"])
        codes |= {terms[code].parent.code for code in item["terms"] if terms[code].parent_id}
        term_links.extend(
            Service.taxonomy_terms.through(service_id=service_id, taxonomyterm_id=terms[code].id)
            for code in sorted(codes)
        )
        persona_links.extend(
            Service.personas.through(service_id=service_id, persona_id=personas[slug].id)
            for slug in item["personas"]
            if slug in personas
        )

    _upsert(
        Service,
        services,
        [
            "organization",
            "name",
            "description",
            "url",
            "email",
            "status",
            "fees_description",
            "minimum_age",
            "maximum_age",
            "eligibility_description",
            "referral_route",
            "support_level",
            "same_day",
            "out_of_hours",
            "bookable",
            "booking_url",
            "referral_email",
            "partner_notes",
            "owner",
            "last_verified",
            "last_modified",
        ],
    )
    service_ids = [service.id for service in services]
    for model, rows in children.items():
        model.objects.filter(service_id__in=service_ids).delete()
        model.objects.bulk_create(rows)
    for through, rows in (
        (Service.taxonomy_terms.through, term_links),
        (Service.personas.through, persona_links),
    ):
        through.objects.filter(service_id__in=service_ids).delete()
        through.objects.bulk_create(rows)
    # bulk_create skips Service.save(), which keeps each service's English words for translators.
    ServiceText.sync_from_services(Service.objects.filter(pk__in=service_ids))
    return {"services": len(services), "organisations": len(organisations)}


def _owner_slug(item):
    codes = set(item["terms"])
    for group, unit in OWNER_BY_TERM_PREFIX:
        if codes & group:
            return unit
    return "adults-and-communities"


def _eligibility(item):
    low, high = item.get("min_age"), item.get("max_age")
    if low is not None and high is not None:
        return f"People aged {low} to {high}."
    if low is not None:
        return f"People aged {low} and over."
    if high is not None:
        return (
            f"Children up to the age of {high}, with their families."
            if high <= 5
            else f"Children and young people up to {high}."
        )
    return "Anyone who lives, works or studies in Northbrook."


def _load_views():
    units = {unit.slug: unit for unit in DeliveryUnit.objects.all()}
    personas = (
        {p.slug: p for p in Persona.objects.filter(locale=Locale.get_default())}
        if Locale.objects.exists()
        else {}
    )
    for spec in VIEWS:
        view = DirectoryView.objects.filter(slug=spec["slug"]).first() or DirectoryView(
            slug=spec["slug"]
        )
        view.title = spec["title"]
        view.intro = spec["intro"]
        view.minimum_age = spec.get("minimum_age")
        view.free_only = spec.get("free_only", False)
        view.owner = units.get(spec["owner"])
        view.taxonomy_terms.set(TaxonomyTerm.objects.filter(code__in=spec["terms"]))
        view.personas.set([personas[slug] for slug in spec.get("personas", []) if slug in personas])
        view.save()

"""Fixtures for directory tests: the demo directory, a tiny hand-built directory, and ORUK schemas."""

import datetime
import json

import pytest


@pytest.fixture
def demo_directory(db):
    """The full demo directory (123 services), with personas and delivery units."""
    import personas.demo
    from directory import demo

    personas.demo.load()
    demo.load()


@pytest.fixture
def oruk_validator(oruk_schema_dir):
    """validate(instance, schema_or_name): JSON Schema validation with the profile's published
    addresses (…/uk-profile/…/schema/…/NAME.json) resolved to the local file of the same name
    in ORUK_SCHEMA_DIR (``oruk_schema_dir``, tests/harness/oruk.py, skips loudly without it)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    def retrieve(uri):
        name = uri.rstrip("/").rsplit("/", 1)[-1]
        path = oruk_schema_dir / name
        if not path.exists():
            raise LookupError(f"No local copy of {uri}")
        return Resource.from_contents(
            json.loads(path.read_text()), default_specification=DRAFT202012
        )

    registry = Registry(retrieve=retrieve)

    def validate(instance, schema):
        if isinstance(schema, str):
            schema = {"$ref": schema}
        Draft202012Validator(schema, registry=registry).validate(instance)

    return validate


@pytest.fixture
def openapi(oruk_schema_dir):
    """The ORUK profile's OpenAPI document, the contract for every endpoint's responses."""
    return json.loads((oruk_schema_dir / "openapi.json").read_text())


@pytest.fixture
def small_directory(db):
    """Five services around the demo town centre, enough to check each filter by hand."""
    from directory.models import (
        CostOption,
        Location,
        Organization,
        Postcode,
        Schedule,
        Service,
        ServiceAtLocation,
        TaxonomyTerm,
    )

    Postcode.objects.create(postcode="NB1 1AA", latitude=51.5600, longitude=-0.1050, source="test")
    Postcode.objects.create(postcode="NB9 9AA", latitude=51.6000, longitude=-0.2000, source="test")
    org = Organization.objects.create(
        name="Northbrook Test Trust", description="Test", provider_type="registered-charity"
    )
    places = {
        "near": Location.objects.create(
            name="Near Hall",
            address_1="1 Near Road",
            postal_code="NB1 1AB",
            latitude=51.5610,
            longitude=-0.1050,
        ),
        "middle": Location.objects.create(
            name="Middle Hall",
            address_1="1 Middle Road",
            postal_code="NB2 1AB",
            latitude=51.5700,
            longitude=-0.0900,
        ),
        "far": Location.objects.create(
            name="Far Hall",
            address_1="1 Far Road",
            postal_code="NB6 1AB",
            latitude=51.6000,
            longitude=-0.0500,
        ),
    }
    term = {
        code: TaxonomyTerm.objects.get(code=code)
        for code in ("falls-prevention-classes", "foodbanks", "youth-clubs")
    }

    def make(
        name,
        place,
        terms,
        *,
        min_age=None,
        max_age=None,
        byday="MO",
        opens="09:00",
        closes="17:00",
        amount=None,
        description="A service.",
    ):
        service = Service.objects.create(
            organization=org,
            name=name,
            description=description,
            minimum_age=min_age,
            maximum_age=max_age,
        )
        service.taxonomy_terms.set([term[code] for code in terms])
        service.save()
        ServiceAtLocation.objects.create(service=service, location=places[place])
        Schedule.objects.create(
            service=service,
            byday=byday,
            opens_at=datetime.time.fromisoformat(opens),
            closes_at=datetime.time.fromisoformat(closes),
        )
        if amount is not None:
            CostOption.objects.create(service=service, option="Per session", amount=amount)
        return service

    return {
        "falls": make(
            "Strength and balance class",
            "middle",
            ["falls-prevention-classes"],
            min_age=60,
            byday="TU,TH",
            opens="10:00",
            closes="11:00",
            amount="2.00",
            description="Gentle exercise to prevent falls.",
        ),
        "foodbank": make(
            "Northbrook Foodbank",
            "near",
            ["foodbanks"],
            byday="MO,WE",
            opens="12:00",
            closes="14:00",
            description="Emergency food parcels.",
        ),
        "youth": make(
            "Friday youth club",
            "far",
            ["youth-clubs"],
            min_age=11,
            max_age=19,
            byday="FR",
            opens="17:00",
            closes="21:00",
        ),
        "adults": make(
            "Adult drop-in",
            "near",
            [],
            min_age=18,
            byday="MO,TU,WE,TH,FR",
            opens="09:00",
            closes="17:00",
            amount="0",
        ),
        "elsewhere": make(
            "Far away lunch club",
            "far",
            [],
            min_age=60,
            byday="SA",
            opens="12:00",
            closes="14:00",
            amount="5.00",
            description="Lunch and company.",
        ),
        "places": places,
    }

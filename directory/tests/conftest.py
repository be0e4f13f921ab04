"""Fixtures for directory tests: the demo directory, a tiny hand-built directory, and ORUK schemas."""

import datetime
import json

import pytest

from directory.tests.factories import (
    CostOptionFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    PostcodeFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)


@pytest.fixture
def demo_directory(db):
    """The full demo directory (123 services), with personas and delivery units."""
    import personas.demo
    from directory import demo

    personas.demo.load()
    demo.load()


@pytest.fixture
def few_services(db):
    """Fifteen services from three organisations at three places, each with a category, opening
    times, a phone number and a cost: the parts of an ORUK record, for import and export tests
    that don't need the demo's 123 services."""
    organisations = OrganizationFactory.create_batch(3)
    places = LocationFactory.create_batch(3)
    terms = [TaxonomyTermFactory(code=code) for code in ("foodbanks", "youth-clubs", "befriending")]
    services = []
    for n in range(15):
        service = ServiceFactory(
            organization=organisations[n % 3],
            taxonomy_terms=[terms[n % 3]],
            minimum_age=18 if n % 2 else None,
            email=f"service{n}@northbrook.example",
            url=f"https://service{n}.northbrook.example/",
        )
        ServiceAtLocationFactory(service=service, location=places[n % 3])
        ScheduleFactory(service=service, byday=["MO", "TU,TH", "FR"][n % 3])
        PhoneFactory(service=service)
        CostOptionFactory(service=service, amount="0" if n % 2 else "3.50")
        services.append(service)
    return services


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

    def validate(instance, schema, *, formats=False):
        """With ``formats``, string formats (email, uri, uuid, date, date-time) are checked too,
        as the official validator does."""
        if isinstance(schema, str):
            schema = {"$ref": schema}
        checker = Draft202012Validator.FORMAT_CHECKER if formats else None
        Draft202012Validator(schema, registry=registry, format_checker=checker).validate(instance)

    return validate


@pytest.fixture
def openapi(oruk_schema_dir):
    """The ORUK profile's OpenAPI document, the contract for every endpoint's responses."""
    return json.loads((oruk_schema_dir / "openapi.json").read_text())


@pytest.fixture
def small_directory(db):
    """Five services around the demo town centre, enough to check each filter by hand."""
    PostcodeFactory(postcode="NB1 1AA", latitude=51.5600, longitude=-0.1050)
    PostcodeFactory(postcode="NB9 9AA", latitude=51.6000, longitude=-0.2000)
    org = OrganizationFactory(name="Northbrook Test Trust", description="Test")
    places = {
        "near": LocationFactory(
            name="Near Hall",
            address_1="1 Near Road",
            postal_code="NB1 1AB",
            latitude=51.5610,
            longitude=-0.1050,
        ),
        "middle": LocationFactory(
            name="Middle Hall",
            address_1="1 Middle Road",
            postal_code="NB2 1AB",
            latitude=51.5700,
            longitude=-0.0900,
        ),
        "far": LocationFactory(
            name="Far Hall",
            address_1="1 Far Road",
            postal_code="NB6 1AB",
            latitude=51.6000,
            longitude=-0.0500,
        ),
    }
    # The seeded Signpost terms, found by code.
    term = {
        code: TaxonomyTermFactory(code=code)
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
        service = ServiceFactory(
            organization=org,
            name=name,
            description=description,
            minimum_age=min_age,
            maximum_age=max_age,
            taxonomy_terms=[term[code] for code in terms],
        )
        ServiceAtLocationFactory(service=service, location=places[place])
        ScheduleFactory(
            service=service,
            byday=byday,
            opens_at=datetime.time.fromisoformat(opens),
            closes_at=datetime.time.fromisoformat(closes),
        )
        if amount is not None:
            CostOptionFactory(service=service, amount=amount)
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

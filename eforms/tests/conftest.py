"""Fixtures for eforms tests: a delivery unit, a small form covering the usual questions."""

import shutil

import pytest
from django.conf import settings

from core.tests.factories import DeliveryUnitFactory
from eforms import builders as b
from eforms.tests.factories import AddressPointFactory, FormDefinitionFactory, LookupListFactory
from tests.caches import clear_caches


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_caches()
    yield
    clear_caches()


@pytest.fixture(autouse=True, scope="session")
def clean_private_media():
    yield
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def unit(db):
    return DeliveryUnitFactory(
        slug="street-scene", name="Street scene", contact_email="streets@northbrook.example"
    )


@pytest.fixture
def addresses(db):
    for n in (1, 2):
        AddressPointFactory(uprn=f"10000000000{n}", line_1=f"{n} Mill Lane")


@pytest.fixture
def schools(db):
    return LookupListFactory(
        name="Schools",
        slug="schools",
        options="NB-01|Northbrook Primary School\nNB-02|Millbrook Academy",
    )


def make_form(unit, slug="test-report", pages=None, **fields):
    """The tests' form: the factory's, with four pages of the usual questions (and, as these
    tests have always had it, no review date)."""
    return FormDefinitionFactory(
        title=fields.pop("title", "Report a test problem"),
        slug=slug,
        delivery_unit=unit,
        review_by=fields.pop("review_by", None),
        pages=pages if pages is not None else default_pages(),
        **fields,
    )


def default_pages():
    return [
        b.page(
            "what",
            b.q(
                "radios",
                "problem",
                "What is the problem?",
                error="Select the problem",
                options=b.options(
                    ("pothole", "Pothole"), ("litter", "Litter"), ("other", "Something else")
                ),
            ),
        ),
        b.page(
            "details",
            b.q(
                "long_text",
                "description",
                "Describe the problem",
                error="Describe the problem",
                max_length=500,
            ),
            b.q(
                "short_text",
                "other_detail",
                "What kind of problem?",
                show_if=b.when("problem", "other"),
            ),
            b.q("date", "noticed", "When did you notice it?", required=False, allow_future=False),
            heading="About the problem",
        ),
        b.page("where", b.q("address", "address", "Where is it?", use_address_lookup=True)),
        b.contact_page(phone=True, texts=True),
    ]


@pytest.fixture
def form(unit):
    return make_form(unit)


@pytest.fixture
def demo_site(live_server):
    """A live server with the demo forms, for transactional tests (which start from an empty database)."""
    from wagtail.models import Locale, Page, Site

    import personas.demo
    from eforms import demo

    Locale.objects.get_or_create(language_code="en-gb")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    Site.objects.get_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": root}
    )
    personas.demo.load()
    demo.load()
    return live_server.url

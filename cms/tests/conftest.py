"""Fixtures for the site's own tests: two delivery units and a builder for content pages."""

import pytest

from cms.tests.factories import ContentPageFactory
from core.tests.factories import DeliveryUnitFactory


@pytest.fixture
def units(db):
    return {
        slug: DeliveryUnitFactory(name=slug.replace("-", " ").title(), slug=slug)
        for slug in ("street-scene", "parking")
    }


@pytest.fixture
def make_content_page(home_page):
    owner = DeliveryUnitFactory(slug="customer-experience", name="Customer Experience")

    def make(slug="bins", unit=None, parent=None, body=None, title=None):
        return ContentPageFactory(
            parent=parent or home_page,
            title=title or slug.replace("-", " ").capitalize(),
            slug=slug,
            body=body or [{"type": "text", "value": "<p>Some words.</p>"}],
            delivery_unit=unit or owner,
        )

    return make

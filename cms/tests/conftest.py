import datetime

import pytest

from cms.models import ContentPage
from core.models import DeliveryUnit


@pytest.fixture
def units(db):
    return {
        slug: DeliveryUnit.objects.create(name=slug.replace("-", " ").title(), slug=slug)
        for slug in ("street-scene", "parking")
    }


@pytest.fixture
def make_content_page(home_page):
    owner = DeliveryUnit.objects.get_or_create(
        slug="customer-experience", defaults={"name": "Customer Experience"}
    )[0]

    def make(slug="bins", unit=None, parent=None, body=None, title=None):
        page = (parent or home_page).add_child(
            instance=ContentPage(
                title=title or slug.replace("-", " ").capitalize(),
                slug=slug,
                summary="A page for tests.",
                body=body or [{"type": "text", "value": "<p>Some words.</p>"}],
                delivery_unit=unit or owner,
                review_by=datetime.date(2030, 1, 1),
            )
        )
        page.save_revision().publish()
        return page

    return make

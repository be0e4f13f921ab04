import datetime

import pytest
from wagtail.models import Page, Site

from cms.models import ContentPage, HomePage
from personas.models import DeliveryUnit


@pytest.fixture
def home_page(db):
    """The council's home page as the default site's root (as load_demo makes it)."""
    root = Page.get_first_root_node()
    for placeholder in root.get_children():
        placeholder.delete()
    home = root.add_child(instance=HomePage(title="Home", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


@pytest.fixture
def units(db):
    return {
        slug: DeliveryUnit.objects.create(name=slug.replace("-", " ").title(), slug=slug)
        for slug in ("street-scene", "parking")
    }


@pytest.fixture
def make_content_page(home_page):
    owner = DeliveryUnit.objects.get_or_create(slug="customer-experience", defaults={"name": "Customer Experience"})[0]

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

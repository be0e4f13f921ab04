"""Project-wide pytest wiring: the real-service harness (Elasticsearch, browsers) as plugins,
and the fixtures every app's tests share."""

import pytest

pytest_plugins = ["tests.harness.pytest_plugin", "tests.browser"]


@pytest.fixture
def home_page(db):
    """The council's home page as the default site's root, as load_demo makes it."""
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    # A transactional test before this one may have emptied every table, including the rows
    # Wagtail's migrations create (the default locale and the tree's root).
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    for placeholder in root.get_children():
        placeholder.delete()
    home = root.add_child(instance=HomePage(title="Home", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home

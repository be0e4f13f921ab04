"""Project-wide pytest wiring: the real-service harness (Elasticsearch, browsers) as plugins,
and the fixtures every app's tests share."""

import pytest

pytest_plugins = ["tests.harness.pytest_plugin", "tests.browser"]


@pytest.fixture
def home_page(db):
    """The council's home page as the default site's root, as load_demo makes it."""
    from wagtail.models import Page, Site

    from cms.models import HomePage

    root = Page.get_first_root_node()
    for placeholder in root.get_children():
        placeholder.delete()
    home = root.add_child(instance=HomePage(title="Home", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home

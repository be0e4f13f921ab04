"""Project-wide pytest wiring: the real-service harness (Elasticsearch, Redis, ClamAV, browsers) as
plugins, and the fixtures every app's tests share."""

import pytest

pytest_plugins = [
    "tests.harness.database_plugin",
    "tests.harness.pytest_plugin",
    "tests.harness.redis_plugin",
    "tests.harness.clamav_plugin",
    "tests.harness.oruk",
    "tests.browser",
]


@pytest.fixture
def home_page(db):
    """The council's home page as the default site's root, as load_demo makes it."""
    from tests.site import fresh_home_page

    return fresh_home_page()

"""Project-wide pytest wiring: the real-service harness (Elasticsearch, Redis, ClamAV, browsers) as
plugins, and the fixtures every app's tests share."""

import pytest
from django.conf import settings
from django.utils import translation

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


@pytest.fixture(autouse=True)
def default_language_to_start_with():
    """Every test starts in the site's default language.

    Django's LocaleMiddleware activates each request's language in the thread that serves it and
    never deactivates it; the test client serves requests in the test's own thread. So a test
    that asked for an Arabic page left the next test in that process reversing URLs under /ar/
    and reading Arabic, and which test came next depended on how the run was shared out.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()

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


@pytest.fixture(autouse=True)
def search_log_spool_of_its_own(tmp_path_factory, settings):
    """Every test buffers searches in a folder of its own (search.analytics), so a search one
    test made is never written into another test's database by a later flush."""
    settings.SEARCH_LOG_SPOOL = tmp_path_factory.mktemp("search-log")


@pytest.fixture(autouse=True)
def search_memory_forgotten():
    """The search limit counts in process memory without Redis (search.throttle), and each
    process keeps the synonyms it read (search.text): every test starts with nobody having
    searched and no synonyms remembered, as the database cache did by rolling back."""
    from search.engines.elastic import forget_held_counts
    from search.promotions import forget_local_promotions
    from search.text import forget_local_synonyms
    from search.throttle import forget_local_counts
    from search.vocabulary import forget as forget_vocabulary

    forget_local_counts()
    forget_local_synonyms()
    forget_local_promotions()
    forget_vocabulary()
    forget_held_counts()


@pytest.fixture(autouse=True)
def locales_forgotten():
    """Each process keeps the locales table in memory (core.i18n.locales): a locale a test made
    rolls back with it, so every test starts by reading the table again. The same for the
    values remembered in process (core.fragments.remember_in_process), such as live forms."""
    from core.fragments import forget_in_process
    from core.i18n import locales

    locales.forget()
    forget_in_process()
    yield
    locales.forget()
    forget_in_process()

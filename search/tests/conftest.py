"""Fixtures for the search suite: one parametrised ``engine`` runs the shared tests on both engines."""

import os
import uuid

import pytest
from django.test import override_settings

from search import engines
from search.engines.embedded import EmbeddedEngine
from search.text import forget_synonyms


def pytest_configure(config):
    config.addinivalue_line("markers", "elasticsearch: needs a real Elasticsearch node")


@pytest.fixture(autouse=True)
def fresh_search_state(db):
    """Nothing leaks between tests: synonym cache and the Elasticsearch circuit breaker."""
    forget_synonyms()
    engines.mark_up()
    yield
    engines.mark_up()


def _elasticsearch_url(request):
    try:
        return request.getfixturevalue("elasticsearch_url")
    except pytest.FixtureLookupError:
        url = os.environ.get("SIGNPOST_TEST_ELASTICSEARCH_URL")
        if not url:
            pytest.skip(
                "no Elasticsearch: the harness plugin is missing and SIGNPOST_TEST_ELASTICSEARCH_URL is unset"
            )
        return url


@pytest.fixture
def es_settings(request):
    """Settings pointing at the test node, with an index prefix of this test's own."""
    url = _elasticsearch_url(request)
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    with override_settings(ELASTICSEARCH_URL=url, ELASTICSEARCH_INDEX_PREFIX=prefix):
        yield url
        try:
            engines.elasticsearch_engine().drop()
        except Exception:  # the node may have been stopped by the test
            pass


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def engine(request, db):
    """The engine under test, configured as the site's primary engine."""
    if request.param == "embedded":
        with override_settings(ELASTICSEARCH_URL=""):
            yield EmbeddedEngine()
    else:
        request.getfixturevalue("es_settings")
        yield engines.elasticsearch_engine()


@pytest.fixture
def load(engine):
    """Index a list of SearchDocuments into the engine under test (and the embedded fallback)."""

    def load_documents(documents):
        for target in {engine.name: engine, "embedded": EmbeddedEngine()}.values():
            target.rebuild(list(documents))

    return load_documents

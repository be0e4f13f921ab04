"""Residents find "Check your bin collection day" from the search box, among all the demo
council's journeys, forms, pages and services, on both engines."""

import io
import os
import uuid

import pytest
from django.test import override_settings

import bins.demo
import search.demo
from bins.seed import SYNONYM_NOTE
from search import engines, service
from search.models import Synonym
from search.service import SearchRequest
from search.text import parse
from tests.demo import residents_demo

QUERIES = ["bin day", "when are my bins collected", "bin collection", "What day is my bin day?"]


def _elasticsearch_url(request):
    try:
        return request.getfixturevalue("elasticsearch_url")
    except pytest.FixtureLookupError:
        url = os.environ.get("SIGNPOST_TEST_ELASTICSEARCH_URL")
        if not url:
            pytest.skip("no Elasticsearch")
        return url


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("elasticsearch", marks=pytest.mark.elasticsearch),
    ]
)
def demo_index(request, transactional_db):
    """The whole demo council indexed in the engine under test (load_demo's search step)."""
    if request.param == "embedded":
        settings = override_settings(ELASTICSEARCH_URL="")
    else:
        url = _elasticsearch_url(request)
        settings = override_settings(
            ELASTICSEARCH_URL=url, ELASTICSEARCH_INDEX_PREFIX=f"test-{uuid.uuid4().hex[:10]}"
        )
    residents_demo()
    with settings:
        engines.mark_up()
        bins.demo.load(stdout=io.StringIO())
        search.demo.load(stdout=io.StringIO())  # load_demo's search step, in this engine
        yield request.param
        if request.param == "elasticsearch":
            engines.elasticsearch_engine().drop()
        engines.mark_up()


def test_bin_day_questions_find_the_bin_day_page_in_the_top_3(demo_index):
    """Every question on each engine (one test per engine: the demo takes a while to build)."""
    missed = {}
    for query in QUERIES:
        outcome = service.search(SearchRequest(text=query), log=False)
        assert outcome.engine == demo_index
        top = [hit.url for hit in outcome.hits[:3]]
        if "/bins/" not in top:
            missed[query] = [hit.title for hit in outcome.hits[:5]]
    assert not missed, missed


def test_every_site_starts_with_the_bin_day_synonyms(db):
    """Migrating seeds them (not only the demo): "bin day" is one phrase, with its other words,
    so "bin" does not bring in refuse, rubbish and waste and rank every waste journey first."""
    assert Synonym.objects.filter(note=SYNONYM_NOTE).count() == 1
    (clause,) = parse("bin day")
    assert clause[0] == ("bin", "day") and ("bins", "collected") in clause
    assert parse("when are my bins collected")[0][0] == ("bins", "collected")

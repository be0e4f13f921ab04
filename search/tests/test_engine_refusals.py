"""Issue 19: an Elasticsearch 4xx on a read is never a 500. The suggest API checks its locale
(an unknown one reached Elasticsearch as an index name it refused); and whatever else the real
node refuses as malformed is answered by the embedded engine for that one request, without
resting Elasticsearch for everyone, and logged without the resident's words."""

import logging

import pytest

from search import engines
from search.engines.base import Query, QueryRejected
from search.engines.embedded import EmbeddedEngine
from search.text import parse

from .documents import council

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]


@pytest.fixture
def indexed(es_settings):
    engines.elasticsearch_engine().rebuild(council())
    EmbeddedEngine().rebuild(council())


def test_suggest_refuses_an_unknown_locale_with_a_400(client, indexed):
    response = client.get("/api/v1/search/suggest", {"q": "poth", "locale": 'en"gb#'})
    assert response.status_code == 400
    assert response.json()["field"] == "locale"
    assert "Locale must be one of" in response.json()["error"]
    assert client.get("/api/v1/search/suggest", {"q": "poth"}).json()["suggestions"]


def test_a_refused_read_falls_back_for_that_request_only(indexed, caplog):
    """Two refusals the real node gives: a completion size of 0, and a page past Elasticsearch's
    10,000-result window (``from + size``); both are 400s from the node."""
    deep = Query(text="pothole", clauses=parse("pothole", []), offset=20_000)
    with pytest.raises(QueryRejected) as refused:
        engines.elasticsearch_engine().search(deep)
    assert refused.value.status == 400
    with caplog.at_level(logging.WARNING, logger="search.engines"):
        found, notice = engines.answer("suggest", "pothole", "en-gb", limit=0)
        results, search_notice = engines.answer("search", deep)
    assert (found, notice) == ([], "")
    assert results.hits == [] and search_notice == ""
    assert not engines.elasticsearch_resting()  # everyone else still gets Elasticsearch
    assert "Elasticsearch refused a suggest request" in caplog.text
    assert "Elasticsearch refused a search request" in caplog.text
    assert "pothole" not in caplog.text  # what the resident typed is never logged
    found, notice = engines.answer("suggest", "poth", "en-gb")
    assert found and notice == ""

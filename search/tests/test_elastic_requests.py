"""Elasticsearch answers a search in one request, and asks for no more than it needs (issue 17).

A known-words query used to carry the spelling suggester to find out it had no typo; a misspelt
one was sent twice (exact, then with a fuzzy clause) and its "did you mean" checked by a third
full search with highlights and facets. The node's own count of searches is the witness.
"""

import pytest
from django.test import override_settings
from elasticsearch import Elasticsearch

from search import engines, service
from search.engines import elastic
from search.engines.base import HEADING_ENOUGH
from search.engines.embedded import EmbeddedEngine

from .documents import council, doc

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]


@pytest.fixture
def indexed(es_settings):
    documents = council()
    EmbeddedEngine().rebuild(documents)  # the held vocabulary comes from the embedded index
    engine = engines.elasticsearch_engine()
    engine.rebuild(documents)
    return es_settings


@pytest.fixture
def sent(monkeypatch):
    """The search requests the engine builds, as the bodies it sends."""
    bodies = []
    request = elastic.ElasticsearchEngine._request

    def watched(self, query, *args, **kwargs):
        search = request(self, query, *args, **kwargs)
        bodies.append(search.to_dict())
        return search

    monkeypatch.setattr(elastic.ElasticsearchEngine, "_request", watched)
    return bodies


def searches_made(url: str) -> int:
    with Elasticsearch(url, request_timeout=30) as raw:
        stats = raw.indices.stats(index=elastic.alias_for("en-gb"), metric="search")
        return stats["_all"]["total"]["search"]["query_total"]


def test_known_words_are_one_request_without_the_suggester(indexed, sent):
    before = searches_made(indexed)
    outcome = service.search(service.parse_params({"q": "pay council tax"}), log=False)
    assert outcome.hits[0].title == "Pay your council tax"
    assert searches_made(indexed) - before == 1
    assert "suggest" not in sent[0]


def test_a_misspelt_word_is_one_request_and_a_counted_check(indexed):
    before = searches_made(indexed)
    outcome = service.search(service.parse_params({"q": "councel tax"}), log=False)
    assert outcome.suggestion == "council tax"
    assert outcome.hits and outcome.hits[0].title == "Pay your council tax"
    # The search (fuzzy for "councel", with the suggester), then "council tax" counted.
    assert searches_made(indexed) - before == 2


def test_with_no_vocabulary_held_every_long_word_is_tolerated(es_settings):
    """A node loaded without the embedded index beside it still forgives a typo."""
    engine = engines.elasticsearch_engine()
    engine.rebuild(council())
    with override_settings(ELASTICSEARCH_URL=es_settings):
        outcome = service.search(service.parse_params({"q": "councel tax"}), log=False)
    assert outcome.hits and outcome.hits[0].title == "Pay your council tax"


def test_the_heading_count_is_asked_once_for_words_searched_again(es_settings):
    """On a large site the node counts whether enough pages hold the words in their headings;
    residents repeat each other's searches, so the answer is kept a while, and forgotten when
    this process writes to the index."""
    pages = [
        doc(f"page:tax-{i}", "page", f"Pay your council tax: area {i}", f"/council-tax/area-{i}/")
        for i in range(HEADING_ENOUGH)
    ]
    engine = engines.elasticsearch_engine()
    engine.rebuild(pages)
    first = searches_made(es_settings)
    outcome = service.search(service.parse_params({"q": "council tax"}), log=False)
    assert outcome.total == HEADING_ENOUGH
    second = searches_made(es_settings)
    assert second - first == 2  # the heading count, then the search
    service.search(service.parse_params({"q": "council tax"}), log=False)
    third = searches_made(es_settings)
    assert third - second == 1  # the search alone

    engine.index([doc("page:tax-extra", "page", "Council tax bands", "/council-tax/bands/")])
    engine.client.indices.refresh(index=elastic.alias_for("en-gb"))
    outcome = service.search(service.parse_params({"q": "council tax"}), log=False)
    assert searches_made(es_settings) - third == 2  # counted again after a write
    assert outcome.total == HEADING_ENOUGH + 1


def test_the_body_is_matched_stemmed_only_and_still_finds_a_passing_mention(indexed, sent):
    """The body's as-written twin (``body.plain``) found nothing the stemmed body does not, and
    cost a tenth of the node's CPU per search at 100,000 pages (bench/search.py)."""
    mention = doc(
        "page:libraries",
        "page",
        "Library opening hours",
        "/libraries/",
        body="You can hand in recycling sacks at any branch.",
    )
    engines.elasticsearch_engine().index([mention])
    engines.elasticsearch_engine().client.indices.refresh(index=elastic.alias_for("en-gb"))
    outcome = service.search(service.parse_params({"q": "sacks"}), log=False)
    assert "/libraries/" in [hit.url for hit in outcome.hits]
    assert "body.plain" not in str(sent[0])
    assert "body^" in str(sent[0])

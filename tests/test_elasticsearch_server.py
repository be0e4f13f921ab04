"""Proves the search tests talk to a real Elasticsearch with the en_GB dictionary.

If these pass, the harness works: the version comes from the server itself,
and hunspell stemming ("collections" -> "collection") can only happen in a
real node that has the dictionary installed.
"""

import uuid

import pytest
from elasticsearch import Elasticsearch

pytestmark = pytest.mark.elasticsearch

ANALYSIS = {
    "filter": {"en_gb_hunspell": {"type": "hunspell", "locale": "en_GB"}},
    "analyzer": {
        "en_gb": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "en_gb_hunspell"],
        },
    },
}


@pytest.fixture
def es(elasticsearch_url):
    client = Elasticsearch(elasticsearch_url, request_timeout=30)
    yield client
    client.close()


@pytest.fixture
def index(es):
    name = f"signpost-harness-{uuid.uuid4().hex[:8]}"
    es.indices.create(
        index=name,
        settings={"number_of_shards": 1, "number_of_replicas": 0, "analysis": ANALYSIS},
        mappings={"properties": {"title": {"type": "text", "analyzer": "en_gb"}}},
    )
    yield name
    es.indices.delete(index=name, ignore_unavailable=True)


def test_server_reports_version_8(es):
    # GET / is missing from the integ-test distribution (no rest-root module),
    # so read the version from the node info, which every server has.
    nodes = es.nodes.info(node_id="_local", metric="_none")["nodes"]
    version = next(iter(nodes.values()))["version"]
    assert version.startswith("8."), version


def test_hunspell_stemming_matches_plural_query(es, index):
    es.index(index=index, id="1", document={"title": "Garden waste collection"})
    es.indices.refresh(index=index)

    result = es.search(index=index, query={"match": {"title": "collections"}})

    assert [hit["_id"] for hit in result["hits"]["hits"]] == ["1"]


def test_analyzer_stems_collections(es, index):
    result = es.indices.analyze(index=index, analyzer="en_gb", text="collections")

    assert [token["token"] for token in result["tokens"]] == ["collection"]

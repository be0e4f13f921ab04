"""An Elasticsearch rebuild loads fast and then serves like any index (issue 17, part 4).

The fresh index is loaded with refreshes off, no replicas and two bulks in flight; before the
aliases move it must have its serving settings back, hold every document, and a bulk the node
refuses must stop the rebuild with the old index still live.
"""

import pytest
from elasticsearch import Elasticsearch

from search import engines
from search.engines import elastic

from .documents import council, doc, many_pages

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]


@pytest.fixture
def engine(es_settings):
    return engines.elasticsearch_engine()


def _live_settings(url: str, engine) -> dict:
    with Elasticsearch(url, request_timeout=30) as raw:
        alias = elastic.alias_for("en-gb")
        (index,) = raw.indices.get_alias(name=alias).keys()
        return raw.indices.get_settings(index=index)[index]["settings"]["index"]


def test_a_rebuilt_index_serves_with_refreshes_and_replicas_on(es_settings, engine, monkeypatch):
    monkeypatch.setattr(elastic, "REBUILD_BULK", 7)  # many bulks, several in flight
    loading = []
    load = elastic.parallel_load

    def watched_load(client, actions, **options):
        """What the fresh index's settings are while it is being loaded."""
        loading.append(client.indices.get_settings(index=f"{elastic.alias_for('en-gb')}-*"))
        return load(client, actions, **options)

    monkeypatch.setattr(elastic, "parallel_load", watched_load)
    documents = [*council(), *many_pages(60)]
    assert engine.rebuild(documents) == len(documents)
    (while_loading,) = [value["settings"]["index"] for value in loading[0].values()]
    assert while_loading["refresh_interval"] == "-1"
    assert while_loading["number_of_replicas"] == "0"
    assert "auto_expand_replicas" not in while_loading
    index = _live_settings(es_settings, engine)
    assert "refresh_interval" not in index  # back to the node's default
    assert index.get("auto_expand_replicas") == "0-1"
    assert engine.document_count() == len(documents)
    assert set(engine.fingerprints()) == {document.id for document in documents}


def test_a_refused_bulk_stops_the_rebuild_and_the_old_index_stays_live(
    es_settings, engine, monkeypatch
):
    engine.rebuild(council())
    monkeypatch.setattr(elastic, "REBUILD_BULK", 5)
    # A position the geo_point mapping refuses, far down the load: raised, not skipped.
    broken = doc("service:bad", "service", "Broken service", "/services/bad/", location=(999, 999))
    with pytest.raises(Exception):  # noqa: B017 - whichever error the engine reports
        pages = many_pages(80)
        engine.rebuild([*pages[:40], broken, *pages[40:]])
    assert engine.document_count() == len(council())
    with Elasticsearch(es_settings, request_timeout=30) as raw:
        prefix = elastic.alias_for("en-gb")
        names = raw.indices.get(index=f"{prefix}-*").keys()
        assert len(names) == 1  # the unfinished index was deleted

"""Scale out: a three-node cluster loses a node in the middle of searches and edits, and
residents notice nothing (no search falls back or fails) and no change is lost.

What makes it work: ELASTICSEARCH_URL lists every node, so the client retries a request on
another node when one dies; indices get a replica once there is a second node
(``auto_expand_replicas``), so every shard survives the loss of one; and the sync keeps
every change until the cluster has taken it.
"""

import datetime
import uuid

import pytest
from django.core.management import call_command
from elasticsearch import Elasticsearch
from wagtail.models import Page

from cms.models import ContentPage
from core.models import DeliveryUnit
from search import service, sync
from search.engines.elastic import alias_for
from search.models import OutboxEntry
from search.service import SearchRequest

pytestmark = [pytest.mark.elasticsearch, pytest.mark.slow]

PAGES = 12
ROUNDS = 36
KILL_AT = 8


def make_page(parent, unit, number):
    page = ContentPage(
        title=f"Allotment site {number}",
        slug=f"allotment-{number}",
        summary="Rent a plot.",
        body=[("text", "<p>Plots are let every spring.</p>")],
        delivery_unit=unit,
        review_by=datetime.date(2030, 1, 1),
        live=True,
    )
    parent.add_child(instance=page)
    return page


def test_losing_a_node_fails_no_search_and_loses_no_update(elasticsearch_cluster, settings, db):
    cluster = elasticsearch_cluster
    settings.ELASTICSEARCH_URL = ",".join(cluster.urls)
    settings.ELASTICSEARCH_INDEX_PREFIX = f"cluster-{uuid.uuid4().hex[:8]}"
    settings.ELASTICSEARCH_SEARCH_TIMEOUT = 10  # a loaded test machine is slow, not down
    parent = Page.get_first_root_node().get_children().first()
    unit = DeliveryUnit.objects.get_or_create(slug="housing", defaults={"name": "Housing"})[0]
    pages = [make_page(parent, unit, number) for number in range(PAGES)]
    call_command("search_rebuild", "--no-progress")
    cluster.wait_for_status("green")

    raw = Elasticsearch(cluster.urls, request_timeout=30)
    alias = alias_for("en-gb")
    index = next(iter(raw.indices.get_alias(name=alias)))
    assert (
        raw.indices.get_settings(index=index)[index]["settings"]["index"]["number_of_replicas"]
        == "1"
    )  # auto-expanded: one copy on another node
    # The victim holds the primary copy, so both searches and writes must move elsewhere.
    shards = raw.cat.shards(index=index, format="json")
    victim = cluster.node_named(next(s["node"] for s in shards if s["prirep"] == "p"))

    failed_searches, titles = [], {}
    for round_ in range(ROUNDS):
        if round_ == KILL_AT:
            victim.kill()
        try:
            outcome = service.search(SearchRequest(text="allotment site"), log=False)
        except Exception as error:  # a resident would see an error page
            failed_searches.append((round_, repr(error)))
        else:
            if outcome.engine != "elasticsearch" or not outcome.hits:
                failed_searches.append((round_, outcome.engine, outcome.notice))
        page = pages[round_ % PAGES]
        page.refresh_from_db()
        page.title = f"Allotment site {round_ % PAGES} (revision {round_})"
        page.save_revision().publish()
        titles[page.pk] = page.title
        sync.drain_outcome()  # one pass, as the loop would: failures keep the rows

    assert failed_searches == []
    # The sync catches up on the two surviving nodes...
    sync.run_forever(
        interval=0.2,
        max_backoff=2.0,
        stop_after=180,
        until=lambda: not OutboxEntry.objects.exists(),
    )
    assert not OutboxEntry.objects.exists()
    # ...and once the lost node is back and the cluster healed, nothing is missing or stale.
    victim.start()
    cluster.wait_for_status("green")
    call_command("search_check")  # raises CommandError on drift
    for title in titles.values():
        hits = service.search(SearchRequest(text=title), log=False).hits
        assert title in [hit.title for hit in hits]
    raw.close()

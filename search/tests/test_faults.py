"""Elasticsearch faults, against the harness's real node: the sync never dies, keeps every
change with the error, and catches up by itself once the fault clears; a failed rebuild leaves
the live index alone and no index behind; /healthz notices.

The faults are the real ones: the read-only block Elasticsearch sets when its disk fills
(``index.blocks.read_only_allow_delete``), the node stopped (connections refused) or frozen
(connections accepted, nothing answers), and a document the mapping rejects. The loop is the
one ``search_sync --forever`` runs (``search.sync.run_forever``), bounded and with short waits.
"""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from elasticsearch import Elasticsearch
from wagtail.models import Page

from cms.models import ContentPage
from core.models import DeliveryUnit
from search import engines, service, state, sync
from search.engines.base import EngineRefused, EngineUnavailable
from search.engines.elastic import alias_for
from search.models import OutboxEntry
from search.service import SearchRequest
from search.status import queue_state

from .documents import doc

pytestmark = pytest.mark.elasticsearch

# Short waits so a test sees several failed passes and the back-off's doubling and cap.
FAST = {"interval": 0.05, "max_backoff": 0.4}


@pytest.fixture
def node(request):
    try:
        return request.getfixturevalue("elasticsearch_node")
    except pytest.FixtureLookupError:
        pytest.skip("the harness's elasticsearch_node fixture is not available")


@pytest.fixture
def es(node, settings):
    """The site pointed at the harness's node, with an index prefix of this test's own."""
    settings.ELASTICSEARCH_URL = node.url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"faults-{uuid.uuid4().hex[:8]}"
    # Generous: a loaded CI machine must not turn a slow answer into a fallback these tests
    # did not ask for (the timeout test sets its own).
    settings.ELASTICSEARCH_SEARCH_TIMEOUT = 30
    yield node
    node.resume()
    if not node.running:
        node.start()
    engines.elasticsearch_engine().drop()


@pytest.fixture
def raw(es):
    """A client of the test's own, for doing to the node what an operator (or a disk) would."""
    client = Elasticsearch(es.url, request_timeout=30)
    yield client
    client.close()


@pytest.fixture
def parent(db):
    return Page.get_first_root_node().get_children().first()


@pytest.fixture
def unit(db):
    return DeliveryUnit.objects.get_or_create(slug="housing", defaults={"name": "Housing"})[0]


def make_page(parent, unit, title, slug):
    page = ContentPage(
        title=title,
        slug=slug,
        summary=f"Everything about {title.lower()}.",
        body=[("text", f"<p>All about {title.lower()}.</p>")],
        delivery_unit=unit,
        review_by=datetime.date(2030, 1, 1),
        live=True,
    )
    parent.add_child(instance=page)
    return page


def make_service(name, latitude=None):
    from directory.models import Location, Organization, Service, ServiceAtLocation

    organization = Organization.objects.create(
        name="Northbrook Community Trust",
        description="A local charity.",
        provider_type=Organization.ProviderType.choices[0][0],
    )
    found = Service.objects.create(
        organization=organization, name=name, description="Warm meals on weekdays."
    )
    if latitude is not None:
        place = Location.objects.create(name="Hall", latitude=latitude, longitude=0.1)
        ServiceAtLocation.objects.create(service=found, location=place)
        found.save()  # the document is built from the service: queue it with its location
    return found


def find(text):
    outcome = service.search(SearchRequest(text=text), log=False)
    return outcome, [hit.title for hit in outcome.hits]


def indices(raw, settings):
    return set(raw.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*"))


def live_indices(raw):
    return set(raw.indices.get_alias(name=alias_for("en-gb")))


def outbox_empty():
    return not OutboxEntry.objects.exists()


# -- (1) the read-only block of a full disk ----------------------------------------------------


def test_sync_survives_a_read_only_block_and_catches_up_when_it_lifts(
    es, raw, parent, unit, capsys
):
    make_page(parent, unit, "Libraries", "libraries")
    call_command("search_rebuild", "--no-progress")
    # Elasticsearch lifts this block itself on its next disk check (every 30 s) once the disk has
    # room, and on the test node (disk thresholds off) always: that check could land inside the
    # blocked stretch below, so it is put off until the block is lifted here.
    raw.cluster.put_settings(persistent={"cluster.info.update.interval": "1h"})
    raw.indices.put_settings(
        index=alias_for("en-gb"), settings={"index.blocks.read_only_allow_delete": True}
    )
    try:
        make_page(parent, unit, "Allotment waiting list", "allotments")
        make_service("Lunch club")
        waiting = OutboxEntry.objects.count()
        assert waiting >= 2

        passes = []
        summary = sync.run_forever(
            **FAST, stop_after=1.5, report=lambda outcome, delay: passes.append((outcome, delay))
        )

        # It ran to the end (no exception), every pass failed, and it backed off: doubling, capped.
        assert summary.passes >= 4 and summary.failed_passes == summary.passes
        assert [delay for _, delay in passes[:4]] == [0.1, 0.2, 0.4, 0.4]
        # Nothing was lost, and the error is where an operator looks.
        assert OutboxEntry.objects.count() == waiting
        assert all("cluster_block_exception" in row.last_error for row in OutboxEntry.objects.all())
        queue = queue_state()
        assert queue["depth"] == waiting and queue["failing_since"]
        assert "cluster_block_exception" in queue["last_error"] and queue["last_error_at"]
        # A blocked index still answers searches: a refused write does not trip the fallback.
        outcome, titles = find("libraries")
        assert outcome.engine == "elasticsearch" and "Libraries" in titles

        # The command, too, keeps going and says why.
        call_command("search_sync", "--forever", "--stop-after", "0.5", "--interval", "0.05")
        assert "cluster_block_exception" in capsys.readouterr().err
        # Still blocked at the end: every refusal above was the full disk's.
        blocks = raw.indices.get_settings(index=alias_for("en-gb"), name="index.blocks.*")
        assert all(
            index["settings"]["index"]["blocks"]["read_only_allow_delete"] == "true"
            for index in blocks.body.values()
        )
    finally:
        raw.indices.put_settings(
            index=alias_for("en-gb"), settings={"index.blocks.read_only_allow_delete": None}
        )
        raw.cluster.put_settings(persistent={"cluster.info.update.interval": None})

    summary = sync.run_forever(**FAST, stop_after=30, until=outbox_empty)
    assert outbox_empty()
    outcome, titles = find("allotment")
    assert outcome.engine == "elasticsearch" and "Allotment waiting list" in titles
    assert "Lunch club" in find("lunch club")[1]
    assert queue_state()["failing_since"] is None
    call_command("search_check")  # raises CommandError on drift


# -- (2) the node goes away mid-sync -----------------------------------------------------------


def test_sync_survives_the_node_stopping_mid_sync_and_catches_up(es, parent, unit):
    call_command("search_rebuild", "--no-progress")
    for number in range(6):
        make_page(parent, unit, f"Allotment site {number}", f"allotment-{number}")
    total = OutboxEntry.objects.count()
    passes = []

    def report(outcome, delay):
        passes.append(outcome)
        if len(passes) == 1:
            es.stop()  # after the first batch went in, before the rest
        elif outcome.engine_failed and sum(p.engine_failed for p in passes) == 3:
            assert find("allotment site")[0].notice  # meanwhile the fallback answers, and says so
            es.start()

    sync.run_forever(
        **FAST, batch_size=2, max_batches=1, stop_after=120, until=outbox_empty, report=report
    )

    assert passes[0].applied == 2 and not passes[0].engine_failed
    failed = [p for p in passes if p.engine_failed]
    assert len(failed) >= 3 and all("could not be reached" in p.error for p in failed)
    assert outbox_empty() and sum(p.applied for p in passes) == total
    outcome, titles = find("allotment site")
    assert outcome.engine == "elasticsearch"
    assert sorted(titles) == [f"Allotment site {number}" for number in range(6)]
    call_command("search_check")


# -- per-document rejections -------------------------------------------------------------------


def test_a_document_the_mapping_rejects_holds_up_nothing_else(es, parent, unit, settings):
    settings.SEARCH_SYNC_MAX_ATTEMPTS = 3
    call_command("search_rebuild", "--no-progress")
    bad = make_service("Lunch club", latitude=200.0)  # no such latitude: geo_point refuses it
    make_page(parent, unit, "Allotment waiting list", "allotments")

    applied, waiting, error = sync.drain()

    assert "rejected" in error and "latitude" in error
    kept = OutboxEntry.objects.all()
    assert {row.document_id for row in kept} == {f"service:{bad.pk}"}
    assert waiting == kept.count() and all("latitude" in row.last_error for row in kept)
    outcome, titles = find("allotment")
    assert outcome.engine == "elasticsearch" and "Allotment waiting list" in titles

    sync.drain()
    sync.drain()  # the third rejection: moved aside
    assert sync.drain() == (0, 0, "")  # nothing left to try
    assert OutboxEntry.objects.filter(parked_at__isnull=False).exists()
    queue = queue_state()
    assert queue["status"] == "degraded" and queue["parked"] and "retry-parked" in queue["detail"]

    # Fixed (and tried again on request), it goes in.
    from directory.models import Location

    Location.objects.update(latitude=51.5)
    call_command("search_sync", "--retry-parked")
    assert outbox_empty()
    assert "Lunch club" in find("lunch club")[1]


# -- (3) a rebuild that fails partway ----------------------------------------------------------


def test_a_rebuild_the_mapping_rejects_leaves_the_live_index_and_no_orphan(es, raw, settings):
    engine = engines.elasticsearch_engine()
    engine.rebuild([doc("page:1", "page", "Libraries", "/libraries/")])
    before, live = indices(raw, settings), live_indices(raw)

    documents = [
        doc("page:2", "page", "Allotments", "/allotments/"),
        doc("service:3", "service", "Lunch club", "/lunch/", location=(200.0, 0.1)),
    ]
    with pytest.raises(EngineRefused, match="latitude"):
        engine.rebuild(documents)

    assert indices(raw, settings) == before
    assert live_indices(raw) == live
    assert not state.orphans()
    outcome, titles = find("libraries")
    assert outcome.engine == "elasticsearch" and titles == ["Libraries"]


def test_the_rebuild_command_says_it_was_refused_and_changes_nothing(
    es, raw, parent, unit, settings
):
    make_page(parent, unit, "Libraries", "libraries")
    call_command("search_rebuild", "--no-progress")
    before, live = indices(raw, settings), live_indices(raw)
    make_service("Lunch club", latitude=200.0)

    with pytest.raises(CommandError, match="refused the rebuild; nothing was changed"):
        call_command("search_rebuild", "--no-progress", "--engine", "elasticsearch")

    assert indices(raw, settings) == before and live_indices(raw) == live


def test_a_rebuild_cut_short_by_the_node_stopping_leaves_no_orphan(es, settings):
    engine = engines.elasticsearch_engine()
    engine.rebuild([doc("page:1", "page", "Libraries", "/libraries/")])
    with Elasticsearch(es.url, request_timeout=30) as raw:
        before, live = indices(raw, settings), live_indices(raw)

    def documents():
        yield doc("page:2", "page", "Allotments", "/allotments/")
        es.stop()  # the fresh indices exist by now; their documents never arrive
        yield doc("page:3", "page", "Lunch club", "/lunch/")

    with pytest.raises(EngineUnavailable) as failure:
        engine.rebuild(documents())
    assert failure.value.what == "could not be reached"
    assert state.orphans()  # the node could not be asked to delete them: remembered

    es.start()
    sync.drain()  # the next pass (of search_sync, a worker or a rebuild) deletes them
    assert not state.orphans()
    with Elasticsearch(es.url, request_timeout=30) as raw:
        assert indices(raw, settings) == before
        assert live_indices(raw) == live
    engines.mark_up()
    outcome, titles = find("libraries")
    assert outcome.engine == "elasticsearch" and titles == ["Libraries"]


# -- separate timeouts -------------------------------------------------------------------------


def test_a_frozen_node_times_out_rather_than_being_unreachable(es, parent, unit, settings):
    make_page(parent, unit, "Libraries", "libraries")
    call_command("search_rebuild", "--no-progress")
    settings.ELASTICSEARCH_SEARCH_TIMEOUT = 0.5
    settings.ELASTICSEARCH_ADMIN_TIMEOUT = 1
    settings.ELASTICSEARCH_ADMIN_RETRIES = 1
    es.pause()
    try:
        # A resident's search gives up after the short timeout and the embedded engine answers.
        outcome, titles = find("libraries")
        assert outcome.engine == "embedded" and outcome.notice and "Libraries" in titles
        with pytest.raises(CommandError, match="Elasticsearch timed out: it was reached"):
            call_command("search_rebuild", "--no-progress", "--engine", "elasticsearch")
    finally:
        es.resume()
    es.stop()
    with pytest.raises(CommandError, match="could not be reached"):
        call_command("search_rebuild", "--no-progress", "--engine", "elasticsearch")


# -- (4) /healthz ------------------------------------------------------------------------------


def test_healthz_degrades_when_the_index_is_far_emptier_than_the_database(
    es, raw, client, parent, unit
):
    for number in range(10):
        make_page(parent, unit, f"Allotment site {number}", f"allotment-{number}")
    call_command("search_rebuild", "--no-progress")
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["search"]["documents"] == body["search"]["expected"] >= 10

    # Elasticsearch "came back empty" (a lost volume, a restore gone wrong): an empty index.
    engine = engines.elasticsearch_engine()
    engine.drop()
    engine.ensure_index("en-gb")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["search"]["status"] == "degraded"
    assert body["search"]["documents"] == 0 and body["search"]["expected"] >= 10
    assert "search_rebuild" in body["search"]["detail"]

    call_command("search_rebuild", "--no-progress")
    assert client.get("/healthz").json()["status"] == "ok"


def test_healthz_degrades_while_a_blocked_index_lets_changes_age(
    es, raw, client, parent, unit, settings
):
    settings.SEARCH_QUEUE_MAX_AGE_SECONDS = 1
    for number in range(10):  # so one unindexed page leaves the index over 90% full
        make_page(parent, unit, f"Allotment site {number}", f"allotment-{number}")
    call_command("search_rebuild", "--no-progress")
    raw.indices.put_settings(
        index=alias_for("en-gb"), settings={"index.blocks.read_only_allow_delete": True}
    )
    try:
        make_page(parent, unit, "Allotment waiting list", "allotments")
        sync.run_forever(**FAST, stop_after=1.5)
        body = client.get("/healthz").json()
        assert body["status"] == "degraded" and body["search"]["status"] == "ok"
        queue = body["search_queue"]
        assert queue["status"] == "degraded" and queue["depth"] >= 1
        assert queue["oldest_age_seconds"] > 1 and "cluster_block_exception" in queue["detail"]
        # Still blocked at the end: every refusal above was the full disk's.
        blocks = raw.indices.get_settings(index=alias_for("en-gb"), name="index.blocks.*")
        assert all(
            index["settings"]["index"]["blocks"]["read_only_allow_delete"] == "true"
            for index in blocks.body.values()
        )
    finally:
        raw.indices.put_settings(
            index=alias_for("en-gb"), settings={"index.blocks.read_only_allow_delete": None}
        )
        raw.cluster.put_settings(persistent={"cluster.info.update.interval": None})
    sync.run_forever(**FAST, stop_after=30, until=outbox_empty)
    assert client.get("/healthz").json()["search_queue"]["status"] == "ok"

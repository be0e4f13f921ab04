"""The sync loop's own rules, without a server: back-off, surviving any failure, per-document
rejections and parking, which failures trip the search fallback, and the client's settings.

The faults themselves (a read-only block, a stopped node, a mapping that rejects a document)
are tested against a real Elasticsearch in test_faults.py; here stand-in engines play them so
each rule can be seen on its own, quickly.
"""

import datetime

import pytest
from wagtail.models import Page

from cms.models import ContentPage
from core.models import DeliveryUnit
from search import connection, engines, registry, state, sync
from search.engines.base import Engine, EngineRefused, EngineUnavailable
from search.engines.embedded import EmbeddedEngine
from search.models import OutboxEntry
from search.status import queue_state


@pytest.fixture
def parent(db):
    return Page.get_first_root_node().get_children().first()


@pytest.fixture
def unit(db):
    return DeliveryUnit.objects.get_or_create(slug="housing", defaults={"name": "Housing"})[0]


@pytest.fixture(autouse=True)
def embedded_only(settings):
    settings.ELASTICSEARCH_URL = ""


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


def outbox_empty():
    return not OutboxEntry.objects.exists()


class Picky(Engine):
    """Takes every document but those whose title says "Bad" (as a mapping would refuse them)."""

    name = "picky"

    def __init__(self):
        self.indexed = []

    def index(self, documents):
        documents = list(documents)
        self.indexed += [d.id for d in documents if "Bad" not in d.title]
        return {d.id: "mapper_parsing_exception: no" for d in documents if "Bad" in d.title}

    def delete(self, document_ids):
        return {}


class Failing(Engine):
    """Takes nothing: raises the given failure for every write."""

    name = "failing"

    def __init__(self, failure):
        self.failure = failure

    def index(self, documents):
        raise self.failure

    def delete(self, document_ids):
        raise self.failure


def use_engines(monkeypatch, *extra):
    monkeypatch.setattr(engines, "write_engines", lambda: [EmbeddedEngine(), *extra])


def test_backoff_doubles_from_twice_the_interval_up_to_the_cap():
    assert [sync.backoff(n, 2.0, 60.0) for n in range(1, 7)] == [4, 8, 16, 32, 60, 60]


def test_the_loop_outlives_a_pass_that_raises_and_recovers_by_itself(monkeypatch, parent, unit):
    make_page(parent, unit, "Allotments", "allotments")
    real, calls = sync.drain_outcome, []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) <= 2:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(sync, "drain_outcome", flaky)
    slept = []
    summary = sync.run_forever(
        interval=1.0, max_backoff=3.0, until=outbox_empty, sleep=slept.append
    )

    assert slept == [2.0, 3.0]  # backed off (doubling, capped), then caught up with no wait
    assert summary.passes == 3 and summary.failed_passes == 2 and outbox_empty()
    record = state.current()
    assert record.last_error == "RuntimeError: the database went away"
    assert record.failing_since is None and record.last_success_at


def test_an_engine_failure_keeps_every_row_and_backs_off(monkeypatch, parent, unit):
    make_page(parent, unit, "Allotments", "allotments")
    use_engines(monkeypatch, Failing(EngineRefused("cluster_block_exception: read-only")))
    slept = []
    summary = sync.run_forever(
        interval=0.5,
        max_backoff=10.0,
        stop_after=60,
        sleep=slept.append,
        until=lambda: len(slept) >= 4,
    )

    assert slept == [1.0, 2.0, 4.0, 8.0]  # doubling after each failed pass
    assert summary.failed_passes == summary.passes == 5  # the fifth ended the run
    row = OutboxEntry.objects.get()
    assert row.attempts == 5 and "cluster_block_exception" in row.last_error
    assert row.parked_at is None  # the node refused, not the document: never parked
    queue = queue_state()
    assert queue["depth"] == 1 and queue["failing_since"] and "read-only" in queue["last_error"]


def test_a_refused_write_leaves_searches_on_elasticsearch_an_unreachable_one_does_not(
    monkeypatch, parent, unit
):
    make_page(parent, unit, "Allotments", "allotments")
    use_engines(monkeypatch, Failing(EngineRefused("read-only")))
    sync.drain()
    assert not engines.elasticsearch_resting()
    use_engines(monkeypatch, Failing(EngineUnavailable("connection refused")))
    sync.drain()
    assert engines.elasticsearch_resting()


def test_a_rejected_document_holds_up_nothing_and_is_parked_after_repeated_rejection(
    monkeypatch, parent, unit, settings
):
    settings.SEARCH_SYNC_MAX_ATTEMPTS = 2
    picky = Picky()
    use_engines(monkeypatch, picky)
    bad = make_page(parent, unit, "Bad page", "bad")  # first in the outbox
    good = make_page(parent, unit, "Good page", "good")

    applied, waiting, error = sync.drain(batch_size=1)  # one row per batch: the bad one first

    assert picky.indexed == [f"page:{good.pk}"] and applied == 1 and waiting == 1
    assert error.startswith("1 document(s) rejected, e.g. page:") and "mapper_parsing" in error
    row = OutboxEntry.objects.get()
    assert row.document_id == f"page:{bad.pk}" and row.attempts == 1 and row.parked_at is None
    assert queue_state()["status"] == "ok" and not queue_state()["failing_since"]

    sync.drain()  # rejected a second time: parked
    row.refresh_from_db()
    assert row.parked_at is not None
    assert sync.drain() == (0, 0, "")
    queue = queue_state()
    assert (queue["status"], queue["depth"], queue["parked"]) == ("degraded", 0, 1)

    assert sync.retry_parked() == 1
    row.refresh_from_db()
    assert (row.parked_at, row.attempts) == (None, 0)


def test_a_document_its_app_cannot_build_holds_up_nothing(monkeypatch, parent, unit):
    broken = make_page(parent, unit, "Broken page", "broken")
    fine = make_page(parent, unit, "Fine page", "fine")
    registration = registry.registration_for(type(broken))
    real_to_document = registration.to_document

    def to_document(page, *args):
        """The app's own code, with a bug that only this page meets."""
        if page.pk == broken.pk:
            raise ValueError("a bug in to_document")
        return real_to_document(page, *args)

    def to_documents(pages):
        return [to_document(page) for page in pages]

    monkeypatch.setattr(registration, "to_document", to_document)
    monkeypatch.setattr(registration, "to_documents", to_documents)
    applied, waiting, error = sync.drain()

    assert (applied, waiting) == (1, 1) and "could not build the document" in error
    assert OutboxEntry.objects.get().document_id == f"page:{broken.pk}"
    assert EmbeddedEngine().fingerprints().keys() == {f"page:{fine.pk}"}


def test_queue_state_reports_depth_age_and_the_last_error(parent, unit, settings):
    settings.SEARCH_QUEUE_MAX_AGE_SECONDS = 300
    assert queue_state() == {
        "status": "ok",
        "depth": 0,
        "oldest_age_seconds": None,
        "max_age_seconds": 300,
        "parked": 0,
        "last_error": "",
        "last_error_at": None,
        "failing_since": None,
        "last_success_at": None,
    }
    make_page(parent, unit, "Allotments", "allotments")
    state.record_failure("elasticsearch could not be reached: refused")
    OutboxEntry.objects.update(
        created_at=OutboxEntry.objects.get().created_at - datetime.timedelta(seconds=400)
    )
    queue = queue_state()
    assert queue["status"] == "degraded" and queue["depth"] == 1
    assert queue["oldest_age_seconds"] >= 400
    assert (
        "is search_sync running?" in queue["detail"] and "could not be reached" in queue["detail"]
    )


def test_several_comma_separated_nodes_make_one_client_that_fails_over(settings):
    settings.ELASTICSEARCH_URL = "http://10.0.0.1:9200, http://10.0.0.2:9200,http://10.0.0.3:9200"
    settings.ELASTICSEARCH_SEARCH_TIMEOUT = 2.0
    settings.ELASTICSEARCH_ADMIN_TIMEOUT = 60.0
    settings.ELASTICSEARCH_ADMIN_RETRIES = 3
    assert connection.hosts() == [f"http://10.0.0.{n}:9200" for n in (1, 2, 3)]
    search = connection.request_options("search")
    assert (search["request_timeout"], search["max_retries"], search["retry_on_timeout"]) == (
        2.0,
        2,
        True,
    )
    admin = connection.request_options("admin")
    assert (admin["request_timeout"], admin["max_retries"], admin["retry_on_timeout"]) == (
        60.0,
        3,
        True,
    )
    search_client, admin_client = connection.get_client("search"), connection.get_client("admin")
    assert search_client.transport is admin_client.transport  # one pool: one view of dead nodes
    assert len(search_client.transport.node_pool.all()) == 3

    settings.ELASTICSEARCH_URL = "http://10.0.0.1:9200"
    search = connection.request_options("search")
    assert (search["max_retries"], search["retry_on_timeout"]) == (0, False)  # fall back at once


def test_a_drain_reads_many_changed_pages_in_the_statements_of_one(
    parent, unit, django_assert_max_num_queries
):
    """Changes are built a model at a time (one query, ``to_documents``), not page by page."""
    make_page(parent, unit, "Allotments", "allotments")
    with django_assert_max_num_queries(100) as one:
        assert sync.drain()[:2] == (1, 0)
    pages = [make_page(parent, unit, f"Allotment site {n}", f"allotment-{n}") for n in range(10)]
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert sync.drain()[:2] == (10, 0)
    assert set(EmbeddedEngine().fingerprints()) >= {f"page:{page.pk}" for page in pages}

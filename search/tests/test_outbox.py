"""Keeping the index true: outbox entries with every change, drained by search_sync."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from wagtail.models import Locale, Page

from cms.models import ContentPage
from core.models import DeliveryUnit
from search import outbox, service
from search.models import IndexedDocument, OutboxEntry
from search.service import SearchRequest
from search.sync import check, drain

from .documents import doc


def find(text):
    return [hit.url for hit in service.search(SearchRequest(text=text), log=False).hits]


@pytest.fixture
def parent(db):
    return Page.get_first_root_node().get_children().first()


@pytest.fixture
def unit(db):
    return DeliveryUnit.objects.get_or_create(
        slug="street-scene", defaults={"name": "Street scene"}
    )[0]


def make_page(parent, unit, title="Allotments", slug="allotments", live=True):
    page = ContentPage(
        title=title,
        slug=slug,
        summary=f"Everything about {title.lower()}.",
        body=[("text", f"<p>Rent a plot for {title.lower()} growing.</p>")],
        delivery_unit=unit,
        review_by=datetime.date(2030, 1, 1),
        live=live,
    )
    parent.add_child(instance=page)
    return page


def test_saving_a_page_writes_an_outbox_entry(parent, unit):
    page = make_page(parent, unit)
    entry = OutboxEntry.objects.get(document_id=f"page:{page.pk}")
    assert entry.action == OutboxEntry.INDEX and entry.model_label == "cms.contentpage"


def test_a_rolled_back_change_leaves_no_entry(parent, unit):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_page(parent, unit)
        raise RuntimeError("the editor's save failed")
    assert not OutboxEntry.objects.exists()


def test_sync_publishes_unpublishes_and_deletes(parent, unit):
    page = make_page(parent, unit, live=False)
    drain()
    assert find("allotments") == []  # drafts are never findable

    page.save_revision().publish()
    drain()
    assert find("allotments") == [page.url]
    assert not OutboxEntry.objects.exists()

    page.refresh_from_db()
    page.unpublish()
    drain()
    assert find("allotments") == []

    page.save_revision().publish()
    drain()
    page.refresh_from_db()
    page.delete()
    assert OutboxEntry.objects.filter(action=OutboxEntry.DELETE).exists()
    drain()
    assert not IndexedDocument.objects.filter(document_id=f"page:{page.pk}").exists()


def test_entries_for_one_document_collapse(parent, unit):
    page = make_page(parent, unit)
    for _ in range(3):
        outbox.queue(page)
    applied, waiting, error = drain()
    assert (applied, waiting, error) == (4, 0, "")
    assert IndexedDocument.objects.filter(document_id=f"page:{page.pk}").count() == 1


def test_queue_delete_for_documents_of_related_objects(parent, unit):
    page = make_page(parent, unit)
    drain()
    outbox.queue_delete(ContentPage, f"page:{page.pk}")
    drain()
    assert not IndexedDocument.objects.filter(document_id=f"page:{page.pk}").exists()


def test_search_check_reports_drift_and_agreement(parent, unit):
    from search.engines.embedded import EmbeddedEngine

    page = make_page(parent, unit)
    # The tracking page's document (one per language, eforms) and the bin-day finder's (bins)
    # were made by migrations before any signal could queue them: as after an upgrade, the
    # index is built once.
    call_command("search_rebuild", "--no-progress")
    call_command("search_check")  # no drift: returns normally
    engine = EmbeddedEngine()
    engine.index([doc("page:999", "page", "Ghost", "/ghost/")])
    ContentPage.objects.filter(pk=page.pk).update(summary="Changed behind the index's back.")
    report = check(engine)
    assert report["extra"] == ["page:999"] and report["stale"] == [f"page:{page.pk}"]
    with pytest.raises(CommandError, match="Drift found"):
        call_command("search_check")


def test_rebuild_command_indexes_everything_and_clears_the_outbox(parent, unit, capsys):
    make_page(parent, unit)
    make_page(parent, unit, title="Libraries", slug="libraries")
    call_command("search_rebuild", "--no-progress")
    # The two pages, the tracking page (one document per language: here English only) and the
    # bin-day finder page (seeded by bins' migration).
    assert Locale.objects.count() == 1
    assert "4 documents" in capsys.readouterr().out
    assert not OutboxEntry.objects.exists()
    assert find("libraries")


def test_sync_command_reports_counts(parent, unit, capsys):
    make_page(parent, unit)
    call_command("search_sync")
    assert "Applied 1 change(s); 0 waiting." in capsys.readouterr().out

"""Draining the outbox into the engines, and comparing the index with the database."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypedDict

from django.apps import apps
from django.db import transaction

from . import engines
from .engines.base import EngineUnavailable
from .models import OutboxEntry
from .registry import current_documents, registration_for

if TYPE_CHECKING:
    from django.db.models import Model

    from .engines.base import Engine, Progress
    from .registry import SearchDocument

logger = logging.getLogger(__name__)


class DriftReport(TypedDict):
    """How an engine's index differs from the database (see ``check``)."""

    expected: int  # documents the database says should be searchable
    indexed: int  # documents in the index
    missing: list[str]  # ids not in the index
    extra: list[str]  # ids in the index that should not be
    stale: list[str]  # ids whose indexed content is out of date


def _documents_for(entries: Iterable[OutboxEntry]) -> tuple[list[SearchDocument], list[str]]:
    """Rebuild each entry's document from the database now: (to_index, ids_to_delete).

    Several entries for one document collapse into the latest one.
    """
    latest: dict[str, OutboxEntry] = {}
    for entry in entries:
        latest[entry.document_id] = entry
    to_index: list[SearchDocument] = []
    to_delete: list[str] = []
    for document_id, entry in latest.items():
        document = None
        if entry.action == OutboxEntry.INDEX:
            model: type[Model] | None
            try:
                model = apps.get_model(entry.model_label)
            except LookupError:
                model = None
            registration = registration_for(model) if model else None
            if registration is not None:
                obj = registration.model._default_manager.filter(pk=entry.object_pk).first()
                if obj is not None:
                    document = registration.to_document(obj)
        if document is not None and document.live:
            to_index.append(document)
        else:
            to_delete.append(document_id)
    return to_index, to_delete


def drain(batch_size: int = 500, max_batches: int | None = None) -> tuple[int, int, str]:
    """Apply waiting outbox entries to every engine, oldest first, in batches.

    Returns (applied, waiting, error). Entries are deleted only after every engine has taken
    them; if one is down the batch stays (and the embedded engine, which took it, will
    simply take it again: indexing is idempotent).
    """
    applied, batches, error = 0, 0, ""
    while max_batches is None or batches < max_batches:
        entries = list(OutboxEntry.objects.order_by("id")[:batch_size])
        if not entries:
            break
        batches += 1
        to_index, to_delete = _documents_for(entries)
        try:
            for engine in engines.write_engines():
                if to_index:
                    engine.index(to_index)
                if to_delete:
                    engine.delete(to_delete)
        except EngineUnavailable as failure:
            engines.mark_down()
            error = str(failure)[:500]
            OutboxEntry.objects.filter(pk__in=[e.pk for e in entries]).update(last_error=error)
            for entry in entries:
                entry.attempts += 1
            OutboxEntry.objects.bulk_update(entries, ["attempts"])
            logger.warning(
                "search_sync: engine unavailable, %s entries wait: %s", len(entries), error
            )
            break
        with transaction.atomic():
            OutboxEntry.objects.filter(pk__in=[e.pk for e in entries]).delete()
        applied += len(entries)
    return applied, OutboxEntry.objects.count(), error


def rebuild(
    engine_list: Iterable[Engine] | None = None,
    progress: Callable[[Engine], Progress] | None = None,
) -> dict[str, int]:
    """Rebuild engines from the database (all write engines by default): {engine name: count}.

    Outbox entries older than the rebuild are removed once every write engine is rebuilt.
    Entries written while it runs stay and are applied by the next ``search_sync``.
    """
    everything = engine_list is None
    engine_list = engines.write_engines() if engine_list is None else engine_list
    last = OutboxEntry.objects.order_by("-id").values_list("id", flat=True).first()
    counts: dict[str, int] = {}
    for engine in engine_list:
        counts[engine.name] = engine.rebuild(
            current_documents(), progress=progress and progress(engine)
        )
    if everything and last is not None:
        OutboxEntry.objects.filter(id__lte=last).delete()
    return counts


def check(engine: Engine) -> DriftReport:
    """Compare an engine's index with the database.

    Returns {"missing": [...], "extra": [...], "stale": [...], "expected": n, "indexed": n}.
    """
    expected = {document.id: document.fingerprint() for document in current_documents()}
    indexed = engine.fingerprints()
    return {
        "expected": len(expected),
        "indexed": len(indexed),
        "missing": sorted(set(expected) - set(indexed)),
        "extra": sorted(set(indexed) - set(expected)),
        "stale": sorted(
            doc_id for doc_id in set(expected) & set(indexed) if expected[doc_id] != indexed[doc_id]
        ),
    }

"""Draining the outbox into the engines, and comparing the index with the database.

An Elasticsearch fault never ends the sync: a pass that cannot write keeps its outbox rows,
records the error (``search.state``, read by ``search.status.queue_state`` for /healthz) and
the loop (``run_forever``) backs off, doubling the wait up to a cap, until the fault clears.
A document the engine rejects on its own account (a value its mapping refuses) holds up
nothing else: its rows stay with the reason, and are moved aside after
SEARCH_SYNC_MAX_ATTEMPTS rejections; the rest of the batch is written and deleted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections, transaction
from django.utils import timezone

from . import engines, state
from .engines.base import EngineRefused, EngineUnavailable
from .models import OutboxEntry
from .registry import current_documents, documents_for, registration_for

if TYPE_CHECKING:
    from django.db.models import Model

    from .engines.base import Engine, Progress, Rejections
    from .registry import Registration, SearchDocument

logger = logging.getLogger(__name__)


class DriftReport(TypedDict):
    """How an engine's index differs from the database (see ``check``)."""

    expected: int  # documents the database says should be searchable
    indexed: int  # documents in the index
    missing: list[str]  # ids not in the index
    extra: list[str]  # ids in the index that should not be
    stale: list[str]  # ids whose indexed content is out of date


@dataclass
class DrainOutcome:
    """What one ``drain_outcome`` call did, in more detail than ``drain``'s tuple."""

    applied: int = 0  # outbox entries applied to every engine (and deleted)
    waiting: int | None = 0  # entries still to apply, not counting parked ones (None: unknown)
    error: str = ""  # "" when nothing went wrong
    engine_failed: bool = False  # an engine could not take a batch: back off, then try again
    rejected: dict[str, str] = field(default_factory=dict)  # document id -> why it was refused
    parked: int = 0  # entries moved aside in this call
    batches: int = 0  # batches read

    def as_tuple(self) -> tuple[int, int, str]:
        return self.applied, self.waiting or 0, self.error


def _registration(entry: OutboxEntry) -> Registration[Any] | None:
    """The registration of the model an entry names (None: the model or app has gone)."""
    try:
        model = apps.get_model(entry.model_label)
    except LookupError:
        return None
    return registration_for(model)


def _build(entry: OutboxEntry) -> SearchDocument | None:
    """The document an INDEX entry names, built from the database now (None: nothing to index)."""
    registration = _registration(entry)
    if registration is None:
        return None
    obj = registration.model._default_manager.filter(pk=entry.object_pk).first()
    return registration.to_document(obj) if obj is not None else None


def _build_batch(
    registration: Registration[Any], entries: list[OutboxEntry]
) -> dict[str, SearchDocument | None]:
    """The documents of many INDEX entries of one model, read in one query and built a batch
    at a time (``to_documents``): {document id: document, or None when there is nothing to
    index}. Raises whatever the app's code raises; the caller then builds one by one."""
    manager = registration.model._default_manager
    objects = {str(obj.pk): obj for obj in manager.filter(pk__in=[e.object_pk for e in entries])}
    present = [(entry, objects[entry.object_pk]) for entry in entries if entry.object_pk in objects]
    built = dict.fromkeys((entry.document_id for entry in entries), None)
    documents = documents_for(registration, [obj for _, obj in present])
    for (entry, _), document in zip(present, documents, strict=True):
        built[entry.document_id] = document
    return built


def _documents_for(
    entries: Iterable[OutboxEntry],
) -> tuple[list[SearchDocument], list[str], Rejections]:
    """Rebuild each entry's document from the database now: (to_index, ids_to_delete, failed).

    Several entries for one document collapse into the latest one. Entries of one model are
    built together (one query, the app's ``to_documents``); if that fails, they are built one
    by one, so a document whose app fails to build it (a bug in its ``to_document``) is
    reported in ``failed`` like a document the engine rejects and holds up nobody else. A
    database error is not the document's fault and is raised.
    """
    latest: dict[str, OutboxEntry] = {}
    for entry in entries:
        latest[entry.document_id] = entry
    built: dict[str, SearchDocument | None] = {}
    one_by_one: list[OutboxEntry] = []
    by_model: dict[type[Model], tuple[Registration[Any], list[OutboxEntry]]] = {}
    for document_id, entry in latest.items():
        registration = _registration(entry) if entry.action == OutboxEntry.INDEX else None
        if registration is None:
            built[document_id] = None
        else:
            by_model.setdefault(registration.model, (registration, []))[1].append(entry)
    for registration, group in by_model.values():
        try:
            built.update(_build_batch(registration, group))
        except (DatabaseError, InterfaceError):
            raise
        except Exception:
            one_by_one.extend(group)  # find which one fails, and build the rest
    failed: Rejections = {}
    for entry in one_by_one:
        try:
            built[entry.document_id] = _build(entry)
        except (DatabaseError, InterfaceError):
            raise
        except Exception as error:
            logger.exception("search_sync: could not build %s", entry.document_id)
            failed[entry.document_id] = (
                f"could not build the document: {type(error).__name__}: {error}"
            )
    to_index: list[SearchDocument] = []
    to_delete: list[str] = []
    for document_id in latest:
        if document_id in failed:
            continue
        document = built.get(document_id)
        if document is not None and document.live:
            to_index.append(document)
        else:
            to_delete.append(document_id)
    return to_index, to_delete, failed


def drain(batch_size: int = 500, max_batches: int | None = None) -> tuple[int, int, str]:
    """Apply waiting outbox entries to every engine, oldest first, in batches.

    Returns (applied, waiting, error): entries applied, entries still waiting (parked ones
    not counted) and "" or what went wrong. Entries are deleted only after every engine has
    taken them; if one can't, the batch stays (and the embedded engine, which took it, will
    simply take it again: indexing is idempotent). Never raises for an engine's fault.
    """
    return drain_outcome(batch_size=batch_size, max_batches=max_batches).as_tuple()


def drain_outcome(batch_size: int = 500, max_batches: int | None = None) -> DrainOutcome:
    """``drain``, reporting what happened in detail (for the loop and the command)."""
    outcome = DrainOutcome()
    tidy_indices()
    cursor = 0
    while max_batches is None or outcome.batches < max_batches:
        # Past the cursor: rows of rejected documents stay, and must not be read again and
        # again in this call while the rest of the outbox waits behind them.
        entries = list(
            OutboxEntry.objects.filter(parked_at__isnull=True, id__gt=cursor).order_by("id")[
                :batch_size
            ]
        )
        if not entries:
            break
        outcome.batches += 1
        cursor = entries[-1].pk
        to_index, to_delete, rejected = _documents_for(entries)
        failure = _write(to_index, to_delete, rejected)
        if failure:
            outcome.error, outcome.engine_failed = failure, True
            OutboxEntry.objects.filter(pk__in=[e.pk for e in entries]).update(last_error=failure)
            for entry in entries:
                entry.attempts += 1
            OutboxEntry.objects.bulk_update(entries, ["attempts"])
            state.record_failure(failure)
            logger.warning("search_sync: %s entries wait: %s", len(entries), failure)
            break
        kept = [entry for entry in entries if entry.document_id in rejected]
        outcome.parked += _keep_rejected(kept, rejected)
        outcome.rejected.update(rejected)
        with transaction.atomic():
            OutboxEntry.objects.filter(
                pk__in=[e.pk for e in entries if e.document_id not in rejected]
            ).delete()
        outcome.applied += len(entries) - len(kept)
    outcome.waiting = OutboxEntry.objects.filter(parked_at__isnull=True).count()
    if not outcome.engine_failed:
        if outcome.applied and engines.elasticsearch_configured():
            engines.mark_up()  # Elasticsearch just took writes: searches may use it again
        state.record_success(outcome.applied)
        if outcome.rejected:
            document_id, reason = next(iter(outcome.rejected.items()))
            outcome.error = (
                f"{len(outcome.rejected)} document(s) rejected, e.g. {document_id}: {reason}"
            )[:500]
            state.record_rejection(outcome.error)
    return outcome


def _write(to_index: list[SearchDocument], to_delete: list[str], rejected: Rejections) -> str:
    """Give one batch to every engine, adding their per-document refusals to ``rejected``.

    Returns "" or why an engine could not take the batch at all. Only an engine that could
    not be reached (or timed out) trips the search fallback: a refused write, such as the
    read-only block of a full disk, leaves searches working.
    """
    to_index = [document for document in to_index if document.id not in rejected]
    for engine in engines.write_engines():
        try:
            if to_index:
                rejected.update(engine.index(to_index))
            if to_delete:
                rejected.update(engine.delete(to_delete))
        except EngineUnavailable as failure:
            if not isinstance(failure, EngineRefused):
                engines.mark_down()
            return f"{engine.name} {failure.what}: {failure}"[:500]
    return ""


def _keep_rejected(entries: list[OutboxEntry], rejected: Rejections) -> int:
    """Keep the rows of rejected documents with the reason; park those rejected too often.

    Returns how many were parked.
    """
    if not entries:
        return 0
    now, limit, parked = timezone.now(), int(settings.SEARCH_SYNC_MAX_ATTEMPTS), 0
    for entry in entries:
        entry.attempts += 1
        entry.last_error = rejected[entry.document_id]
        if entry.attempts >= limit:
            entry.parked_at = now
            parked += 1
    OutboxEntry.objects.bulk_update(entries, ["attempts", "last_error", "parked_at"])
    if parked:
        logger.warning("search_sync: %s entries rejected %s times, parked", parked, limit)
    return parked


def retry_parked() -> int:
    """Give parked entries another go (after fixing what the engine rejected); returns how many."""
    return OutboxEntry.objects.filter(parked_at__isnull=False).update(parked_at=None, attempts=0)


def tidy_indices() -> None:
    """Delete the indices a failed rebuild could not delete at the time (see ``search.state``)."""
    if not engines.elasticsearch_configured():
        return
    names = state.orphans()
    if not names:
        return
    left = engines.elasticsearch_engine().discard_indices(names)
    state.forget_orphans(set(names) - set(left))


@dataclass
class RunSummary:
    """What ``run_forever`` did before it stopped."""

    passes: int = 0
    applied: int = 0
    failed_passes: int = 0  # passes that could not write, each followed by a back-off
    last: DrainOutcome | None = None


def backoff(failures: int, interval: float, maximum: float) -> float:
    """Seconds to wait after ``failures`` failed passes in a row: doubling, at most ``maximum``.

    The first failure waits twice the interval, so a brief blip costs little; a long outage
    settles at ``maximum`` and costs one attempt per ``maximum`` seconds.
    """
    return float(min(interval * 2**failures, maximum))


def run_forever(
    *,
    batch_size: int = 500,
    max_batches: int | None = None,
    interval: float = 2.0,
    max_backoff: float = 60.0,
    stop_after: float | None = None,
    until: Callable[[], bool] | None = None,
    report: Callable[[DrainOutcome, float], object] | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> RunSummary:
    """Drain the outbox every ``interval`` seconds, backing off while the engines fail.

    This is ``search_sync --forever``. It survives anything a pass raises (an engine's fault,
    the database going away, a bug), because a dead sync stays dead until someone notices,
    while a failing one recovers by itself when the fault clears. ``stop_after`` (seconds) and
    ``until`` (checked after each pass) end it, for tests and supervised restarts; ``report``
    hears each pass's outcome and the wait before the next.
    """
    started = time.monotonic()
    summary = RunSummary()
    failures = 0
    while True:
        outcome = _one_pass(batch_size, max_batches)
        summary.passes += 1
        summary.applied += outcome.applied
        summary.last = outcome
        failures = failures + 1 if outcome.engine_failed else 0
        summary.failed_passes += bool(failures)
        if failures:
            delay = backoff(failures, interval, max_backoff)
        elif max_batches is not None and outcome.batches >= max_batches:
            delay = 0.0  # the pass stopped at its batch limit with more to do
        else:
            delay = interval
        if report:
            report(outcome, delay)
        if until is not None and until():
            return summary
        if stop_after is not None:
            left = stop_after - (time.monotonic() - started)
            if left <= 0:
                return summary
            delay = min(delay, left)
        sleep(delay)


def _one_pass(batch_size: int, max_batches: int | None) -> DrainOutcome:
    """One ``drain_outcome``, turning anything it raises into a failed outcome."""
    try:
        return drain_outcome(batch_size=batch_size, max_batches=max_batches)
    except Exception as error:
        logger.exception("search_sync: a pass failed")
        message = f"{type(error).__name__}: {error}"[:500]
        # A connection the failure broke would fail every later pass too: drop it, and the
        # next query opens a fresh one. (Never inside a transaction: that is a caller's.)
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
        try:
            state.record_failure(message)
        except Exception:  # the database is what failed; the log has it
            pass
        return DrainOutcome(error=message, engine_failed=True, waiting=None)


def rebuild(
    engine_list: Iterable[Engine] | None = None,
    progress: Callable[[Engine], Progress] | None = None,
) -> dict[str, int]:
    """Rebuild engines from the database (all write engines by default): {engine name: count}.

    Outbox entries older than the rebuild are removed once every write engine is rebuilt.
    Entries written while it runs stay and are applied by the next ``search_sync``. A failed
    Elasticsearch rebuild deletes its unfinished indices and leaves the aliases alone (see
    ``ElasticsearchEngine.rebuild``); leftovers of earlier failures are deleted first.
    """
    tidy_indices()
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

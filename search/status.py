"""Search health, for /healthz: the engine (``engine_status``) and the outbox (``queue_state``).

Nothing here ever makes the site unhealthy: search falls back to the embedded engine and the
outbox keeps every change until it is applied, so the worst either reports is "degraded".
What "degraded" is for is to be noticed: an outbox whose oldest change has waited too long
means the sync is stuck (Elasticsearch refusing writes, or no sync running at all), and an
index far smaller than the database means Elasticsearch came back empty and needs a rebuild.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NotRequired, TypedDict

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Min
from django.utils import timezone

from . import state
from .connection import elasticsearch_configured, get_client
from .engines import elasticsearch_engine
from .models import IndexedDocument, OutboxEntry

Status = Literal["ok", "degraded"]


class EngineStatus(TypedDict):
    """The "search" part of /healthz."""

    engine: Literal["embedded", "elasticsearch"]
    status: Status
    detail: NotRequired[str]
    cluster_status: NotRequired[str | None]
    documents: NotRequired[int]  # in the Elasticsearch index (behind the aliases)
    expected: NotRequired[int]  # in the database's own index (the embedded engine)


class QueueState(TypedDict):
    """The "search_queue" part of /healthz: the outbox and the sync draining it."""

    status: Status
    depth: int  # changes waiting to be applied
    oldest_age_seconds: float | None  # how long the oldest of them has waited
    max_age_seconds: int  # SEARCH_QUEUE_MAX_AGE_SECONDS: older than this is "degraded"
    parked: int  # changes set aside after repeated rejection by the engine
    last_error: str
    last_error_at: str | None  # ISO 8601
    failing_since: str | None  # set while the sync's passes keep failing
    last_success_at: str | None
    detail: NotRequired[str]


def engine_status() -> EngineStatus:
    """Report which engine answers searches and whether it is working.

    Elasticsearch being down never makes the site unhealthy: search falls back to the
    embedded engine, so the status is "degraded", not "down". Neither does an index that
    holds fewer than SEARCH_INDEX_MIN_PERCENT of the documents the database has: searches
    work, but miss things until ``search_rebuild`` runs.
    """
    if not elasticsearch_configured():
        return {"engine": "embedded", "status": "ok"}
    try:
        client = get_client("search")
        assert client is not None  # configured, so there is a client
        health = client.cluster.health()
        documents = elasticsearch_engine().document_count()
    except Exception as error:  # any transport failure means the same thing here
        return {
            "engine": "elasticsearch",
            "status": "degraded",
            "detail": f"Elasticsearch is unreachable ({type(error).__name__}); using the embedded engine.",
        }
    report: EngineStatus = {
        "engine": "elasticsearch",
        "status": "ok",
        "cluster_status": health.get("status"),
        "documents": documents,
    }
    try:
        expected = IndexedDocument.objects.count()
    except DatabaseError:  # /healthz reports the database itself; the engine is fine
        return report
    report["expected"] = expected
    if documents * 100 < expected * int(settings.SEARCH_INDEX_MIN_PERCENT):
        report["status"] = "degraded"
        report["detail"] = (
            f"The Elasticsearch index holds {documents} documents but the database has "
            f"{expected}: run search_rebuild."
        )
    return report


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def queue_state() -> QueueState:
    """The outbox's depth and oldest age, and the sync's last error: for /healthz.

    "degraded" when the oldest waiting change is older than SEARCH_QUEUE_MAX_AGE_SECONDS, or
    when changes have been parked (the engine rejected them: they need a person).
    """
    waiting = OutboxEntry.objects.filter(parked_at__isnull=True)
    found = waiting.aggregate(oldest=Min("created_at"))
    depth = waiting.count()
    parked = OutboxEntry.objects.filter(parked_at__isnull=False).count()
    oldest = found["oldest"]
    age = max((timezone.now() - oldest).total_seconds(), 0.0) if oldest else None
    sync = state.current()
    limit = int(settings.SEARCH_QUEUE_MAX_AGE_SECONDS)
    report: QueueState = {
        "status": "ok",
        "depth": depth,
        "oldest_age_seconds": round(age, 1) if age is not None else None,
        "max_age_seconds": limit,
        "parked": parked,
        "last_error": sync.last_error,
        "last_error_at": _iso(sync.last_error_at),
        "failing_since": _iso(sync.failing_since),
        "last_success_at": _iso(sync.last_success_at),
    }
    problems = []
    if age is not None and age > limit:
        problems.append(
            f"The oldest of {depth} waiting search change(s) has waited {age:.0f} s "
            f"(more than {limit} s): is search_sync running?"
            + (f" Last error: {sync.last_error}" if sync.failing_since else "")
        )
    if parked:
        problems.append(
            f"{parked} search change(s) were rejected repeatedly and set aside: "
            "see their last error in the outbox, then run search_sync --retry-parked."
        )
    if problems:
        report["status"] = "degraded"
        report["detail"] = " ".join(problems)
    return report


class ParkedChange(TypedDict):
    """A change the engine rejected too often, set aside until someone looks (no personal data:
    documents are pages, forms and services)."""

    id: int
    action: str  # "index" or "delete"
    document_id: str  # e.g. "page:42"
    attempts: int
    last_error: str
    parked_at: datetime | None


def parked_changes(limit: int = 200) -> list[ParkedChange]:
    """The parked outbox entries, most recently parked first."""
    entries = OutboxEntry.objects.filter(parked_at__isnull=False).order_by("-parked_at", "-id")
    return [
        {
            "id": entry.pk,
            "action": entry.action,
            "document_id": entry.document_id,
            "attempts": entry.attempts,
            "last_error": entry.last_error,
            "parked_at": entry.parked_at,
        }
        for entry in entries[:limit]
    ]

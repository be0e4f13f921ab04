"""What other apps may ask of search. Keep this small: it is search's public surface.

Apps register their documents (``register``, ``SearchDocument``) and queue changes for the index
(``queue``); the site asks how the engine and the outbox are (``engine_status``, ``queue_state``);
the product-owner backlog and the web team read what residents searched for around a topic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q

from .models import QueryLog
from .outbox import queue
from .registry import SearchDocument, register, register_geocoder
from .status import engine_status, queue_state
from .text import content_words

__all__ = [
    "SearchDocument",
    "engine_status",
    "queries_matching",
    "query_report",
    "queue",
    "queue_state",
    "register",
    "register_geocoder",
    "search_success_rate",
    "zero_result_queries",
]

if TYPE_CHECKING:
    from datetime import date

    from django.db.models import QuerySet


class QueryReportRow(TypedDict):
    query: str
    count: int  # searches
    zero_result: bool  # whether any of them found nothing
    clicks: int  # results chosen


def _since(queryset: QuerySet[QueryLog], since: date | None) -> QuerySet[QueryLog]:
    return queryset.filter(searched_on__gte=since) if since else queryset


def query_report(
    since: date | None = None, queryset: QuerySet[QueryLog] | None = None
) -> list[QueryReportRow]:
    """[{"query", "count", "zero_result", "clicks"}] for every logged query, most searched first."""
    logs = _since(queryset if queryset is not None else QueryLog.objects.all(), since)
    rows = (
        logs.values("query")
        .annotate(
            count=Count("id", distinct=True),
            zero=Count("id", filter=Q(result_count=0), distinct=True),
            # django-stubs refuses an annotation named like a relation ("clicks"); Django allows
            # it on a values() query, whose rows have no such attribute.
            clicks=Count("clicks", distinct=True),  # type: ignore[no-redef]
        )
        .order_by("-count", "query")
    )
    return [
        {
            "query": row["query"],
            "count": row["count"],
            "zero_result": row["zero"] > 0,
            "clicks": row["clicks"],
        }
        for row in rows
    ]


def queries_matching(text: str, *, since: date | None = None) -> list[QueryReportRow]:
    """Logged queries sharing at least one meaningful word with ``text``."""
    wanted = set(content_words(text))
    if not wanted:
        return []
    condition = Q()
    for word in wanted:
        condition |= Q(query__icontains=word)
    rows = query_report(since, QueryLog.objects.filter(condition))
    return [row for row in rows if wanted & set(content_words(row["query"]))]


def zero_result_queries(since: date | None = None) -> list[QueryReportRow]:
    """Queries that found nothing, most frequent first: gaps in content or synonyms."""
    return query_report(since, QueryLog.objects.filter(result_count=0))


def unclicked_queries(since: date | None = None, minimum: int = 2) -> list[QueryReportRow]:
    """Queries searched at least ``minimum`` times whose results nobody chose."""
    return [
        row
        for row in query_report(since)
        if row["clicks"] == 0 and row["count"] >= minimum and not row["zero_result"]
    ]


def search_success_rate(since: date | None = None, top: int = 3) -> float | None:
    """Share of searches (with words) where the resident chose one of the first ``top`` results.

    None when nobody has searched yet, so a dashboard can say "no data" rather than 0%.
    """
    searches = _since(QueryLog.objects.exclude(query=""), since)
    total = searches.count()
    if not total:
        return None
    found = searches.filter(clicks__position__lte=top).distinct().count()
    return found / total

"""What other apps may ask of search. Keep this small: it is search's public surface.

Apps register their documents (``register``, ``SearchDocument``) and queue changes for the index
(``queue``); the site asks how the engine is (``engine_status``); the product-owner backlog and the
web team read what residents searched for around a topic.
"""

from django.db.models import Count, Q

from .models import QueryLog
from .outbox import queue
from .registry import SearchDocument, register, register_geocoder
from .status import engine_status
from .text import content_words

__all__ = [
    "SearchDocument",
    "engine_status",
    "queries_matching",
    "query_report",
    "queue",
    "register",
    "register_geocoder",
    "search_success_rate",
    "zero_result_queries",
]


def _since(queryset, since):
    return queryset.filter(searched_on__gte=since) if since else queryset


def query_report(since=None, queryset=None):
    """[{"query", "count", "zero_result", "clicks"}] for every logged query, most searched first."""
    logs = _since(queryset if queryset is not None else QueryLog.objects.all(), since)
    rows = (
        logs.values("query")
        .annotate(
            count=Count("id", distinct=True),
            zero=Count("id", filter=Q(result_count=0), distinct=True),
            clicks=Count("clicks", distinct=True),
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


def queries_matching(text, *, since=None):
    """Logged queries sharing at least one meaningful word with ``text``."""
    wanted = set(content_words(text))
    if not wanted:
        return []
    condition = Q()
    for word in wanted:
        condition |= Q(query__icontains=word)
    rows = query_report(since, QueryLog.objects.filter(condition))
    return [row for row in rows if wanted & set(content_words(row["query"]))]


def zero_result_queries(since=None):
    """Queries that found nothing, most frequent first: gaps in content or synonyms."""
    return query_report(since, QueryLog.objects.filter(result_count=0))


def unclicked_queries(since=None, minimum=2):
    """Queries searched at least ``minimum`` times whose results nobody chose."""
    return [
        row
        for row in query_report(since)
        if row["clicks"] == 0 and row["count"] >= minimum and not row["zero_result"]
    ]


def search_success_rate(since=None, top=3):
    """Share of searches (with words) where the resident chose one of the first ``top`` results.

    None when nobody has searched yet, so a dashboard can say "no data" rather than 0%.
    """
    searches = _since(QueryLog.objects.exclude(query=""), since)
    total = searches.count()
    if not total:
        return None
    found = searches.filter(clicks__position__lte=top).distinct().count()
    return found / total

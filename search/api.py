"""What other apps may ask of search. Keep this small: it is search's public surface.

Apps register their documents (``register``, ``SearchDocument``) and queue changes for the index
(``queue``); the site asks how the engine and the outbox are (``engine_status``, ``queue_state``)
and lists and retries parked changes (``parked_changes``, ``retry_parked``);
the product-owner backlog and the web team read what residents searched for around a topic:
by the pages residents chose from the results (``queries_clicking``), by phrases in searches
that found nothing (``zero_result_queries_with``, stemmed), or by name (``query_rows``), and
what residents told us they were looking for after a search that found little
(``feedback_with``, ``recent_feedback``). Higher apps hand search what it shows beside weak
results and filters (``register_contact_route``, ``register_persona_labeller``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict
from urllib.parse import urlsplit

from django.db.models import Count, Q

from core.background import enqueue_on_commit

from . import sync
from .feedback import FeedbackRow, feedback_with
from .feedback import recent as recent_feedback
from .models import QueryLog, SearchClick
from .outbox import DRAIN_TASK, queue
from .registry import (
    ContactRoute,
    SearchDocument,
    register,
    register_contact_route,
    register_geocoder,
    register_persona_labeller,
)
from .status import ParkedChange, engine_status, parked_changes, queue_state
from .text import content_words, redact, stem, stems, words

__all__ = [
    "ClickedQueryRow",
    "ContactRoute",
    "FeedbackRow",
    "ParkedChange",
    "PhraseQueryRow",
    "SearchDocument",
    "engine_status",
    "feedback_with",
    "logged_query",
    "parked_changes",
    "queries_clicking",
    "queries_matching",
    "query_report",
    "query_rows",
    "queue",
    "queue_state",
    "recent_feedback",
    "register",
    "register_contact_route",
    "register_geocoder",
    "register_persona_labeller",
    "retry_parked",
    "search_success_rate",
    "stems",
    "zero_result_queries",
    "zero_result_queries_with",
]

if TYPE_CHECKING:
    from datetime import date

    from django.db.models import QuerySet


class QueryReportRow(TypedDict):
    query: str
    count: int  # searches
    zero_result: bool  # whether any of them found nothing
    clicks: int  # results chosen


class ClickedQueryRow(QueryReportRow):
    chosen: dict[str, int]  # path on the site -> how many times residents chose it from this query


class PhraseQueryRow(QueryReportRow):
    phrase: str  # the first of the given phrases the query contains


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


def logged_query(text: str) -> str:
    """``text`` as the query log keeps it (normalised, personal details blanked out)."""
    return redact(text)


def query_rows(queries: Iterable[str], *, since: date | None = None) -> list[QueryReportRow]:
    """Report rows for exactly these logged queries (as ``logged_query`` writes them)."""
    wanted = set(queries)
    if not wanted:
        return []
    return query_report(since, QueryLog.objects.filter(query__in=wanted))


def _path(url: str) -> str:
    """A result's address as clicks record it: the path on this site (the host dropped)."""
    return urlsplit(url).path or "/"


def queries_clicking(urls: Iterable[str], *, since: date | None = None) -> list[ClickedQueryRow]:
    """Logged queries after which a resident chose one of ``urls`` from the results.

    ``urls`` are pages or forms on this site (``/report-and-transact/missed-bin/``,
    ``/pl/forms/missed-bin-report/``); a full address counts by its path, and a click recorded
    with a query string or fragment (``/forms/x/?from=search``) counts for its path.
    """
    paths = {_path(url) for url in urls if url}
    if not paths:
        return []
    condition = Q(url__in=paths)
    for path in paths:
        condition |= Q(url__startswith=f"{path}?") | Q(url__startswith=f"{path}#")
    clicks = SearchClick.objects.filter(condition)
    if since:
        clicks = clicks.filter(log__searched_on__gte=since)
    chosen: dict[str, dict[str, int]] = {}
    for row in clicks.values("log__query", "url").annotate(n=Count("id")):
        path = _path(row["url"])
        per_query = chosen.setdefault(row["log__query"], {})
        per_query[path] = per_query.get(path, 0) + row["n"]
    return [{**row, "chosen": chosen[row["query"]]} for row in query_rows(chosen, since=since)]


def _narrowing(word: str) -> Q:
    """A LIKE that every query holding a form of ``word`` passes (the stems then decide).

    Snowball stems are the start of the word, but for a last "y" written "i" ("city" and
    "cities" are "citi") and a few irregular words ("dying" is "die"), so the word's own start
    is allowed too.
    """
    start = stem(word).removesuffix("i")[:4]
    return Q(query__icontains=start) | Q(query__icontains=word[:4])


def zero_result_queries_with(
    phrases: Iterable[str], *, since: date | None = None
) -> list[PhraseQueryRow]:
    """Queries that found nothing and hold every word of one of ``phrases``, in any form.

    Words are compared by their Snowball English (Porter2) stems, so the phrase "falls" finds
    "falling over at home" (irregular forms such as "fell" are words of their own). Stop words
    ("for", "my") are left out on both sides. Counts are of the searches that found nothing.
    """
    wanted: list[tuple[str, set[str]]] = []
    narrowing = Q()
    for phrase in phrases:
        phrase_stems = set(stems(phrase))
        if not phrase_stems:
            continue
        wanted.append((phrase, phrase_stems))
        every_word = Q()
        for word in {w for w in words(phrase) if stem(w) in phrase_stems}:
            every_word &= _narrowing(word)
        narrowing |= every_word
    if not wanted:
        return []
    zero = QueryLog.objects.filter(result_count=0)
    candidates = zero.filter(narrowing).values_list("query", flat=True).distinct()
    matched: dict[str, str] = {}
    for query in candidates:
        query_stems = set(stems(query))
        for phrase, phrase_stems in wanted:
            if phrase_stems <= query_stems:
                matched[query] = phrase
                break
    rows = query_report(since, zero.filter(query__in=matched))
    return [{**row, "phrase": matched[row["query"]]} for row in rows]


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


def retry_parked() -> int:
    """Give every parked change another go, drained once the caller's transaction commits."""
    retried = sync.retry_parked()
    if retried:
        enqueue_on_commit(DRAIN_TASK)
    return retried

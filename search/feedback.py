"""'Tell us what you were looking for': residents' words from searches that found little.

A search that finds nothing, or fewer than ``WEAK_RESULTS`` results, is a dead end unless the
page offers a way on: the council's contact route and this box. What residents write is
stored without anything that could identify them (``redact``) and without who wrote it, and
the product owners read it beside their stories (``feedback_with``, through ``search.api``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from django.conf import settings
from django.utils.translation import gettext as _

from .models import SearchFeedback
from .text import MAX_QUERY_LENGTH, redact, stems

# Fewer results than this and the page offers the contact route and the feedback box.
WEAK_RESULTS = 3
MAX_FEEDBACK_LENGTH = 500
DEFAULT_RATE_LIMIT = (5, 3600)  # messages per address, per hour


class FeedbackError(ValueError):
    """What the resident wrote cannot be kept, with a message saying what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FeedbackRow(TypedDict):
    text: str  # what the resident was looking for, redacted
    query: str  # what they had searched for, redacted
    locale: str
    result_count: int
    created_at: str  # ISO 8601
    phrase: str  # the key phrase it holds ("" when not asked for one)


def is_weak(result_count: int) -> bool:
    """Whether a search found too little to leave the resident without another way on."""
    return result_count < WEAK_RESULTS


def rate_limit() -> tuple[int, int]:
    """(messages, seconds) one address may send: SEARCH_FEEDBACK_RATE_LIMIT."""
    limit: tuple[int, int] = getattr(settings, "SEARCH_FEEDBACK_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return limit


def record(*, text: str, query: str, locale: str, result_count: int) -> SearchFeedback:
    """Keep one resident's words (redacted); FeedbackError when there is nothing to keep."""
    raw = (text or "").strip()
    if not raw:
        raise FeedbackError(_("Enter what you were looking for"))
    if len(raw) > MAX_FEEDBACK_LENGTH:
        raise FeedbackError(
            _("What you were looking for must be %(count)s characters or fewer")
            % {"count": MAX_FEEDBACK_LENGTH}
        )
    return SearchFeedback.objects.create(
        text=redact(raw, limit=MAX_FEEDBACK_LENGTH),
        query=redact(query, limit=MAX_QUERY_LENGTH),
        locale=(locale or "en-gb")[:20],
        result_count=max(0, result_count),
    )


def _row(feedback: SearchFeedback, phrase: str = "") -> FeedbackRow:
    return {
        "text": feedback.text,
        "query": feedback.query,
        "locale": feedback.locale,
        "result_count": feedback.result_count,
        "created_at": feedback.created_at.isoformat(),
        "phrase": phrase,
    }


def recent(limit: int = 20) -> list[FeedbackRow]:
    """The latest feedback, newest first."""
    return [_row(feedback) for feedback in SearchFeedback.objects.all()[:limit]]


def feedback_with(phrases: Iterable[str], *, limit: int = 50) -> list[FeedbackRow]:
    """Feedback whose words, or the search it came from, hold every word of one of ``phrases``.

    Compared by Snowball stems, as ``zero_result_queries_with`` compares searches, so the
    phrase "falls" finds "help after my dad keeps falling". Newest first.
    """
    wanted = [(phrase, set(stems(phrase))) for phrase in phrases]
    wanted = [(phrase, phrase_stems) for phrase, phrase_stems in wanted if phrase_stems]
    if not wanted:
        return []
    rows: list[FeedbackRow] = []
    # Feedback is short and rare (a few a day at most), so it is read and stemmed in Python.
    for feedback in SearchFeedback.objects.all()[:2000]:
        found = set(stems(feedback.text)) | set(stems(feedback.query))
        for phrase, phrase_stems in wanted:
            if phrase_stems <= found:
                rows.append(_row(feedback, phrase))
                break
        if len(rows) >= limit:
            break
    return rows

"""Which queries editors have promoted results for, held in each process's memory.

Every search used to ask the database whether its words had promoted results (Wagtail's search
promotions), though almost none do: one SQL statement per search, for nothing. Each process now
keeps the set of promoted query strings (``search.memo``) and looks only when the words are in
it. An editor's change reaches the process that saved it at once (the signals in ``apps.py``)
and every other within ``PROMOTION_MEMO_SECONDS``, as editors' synonyms do.
"""

from __future__ import annotations

from typing import Any

from wagtail.contrib.search_promotions.models import SearchPromotion

from .memo import HeldCopy

PROMOTION_MEMO_SECONDS = 30.0
PROMOTION_CACHE_KEY = "search:promoted-queries"


def _load_promoted() -> frozenset[str]:
    return frozenset(
        SearchPromotion.objects.values_list("query__query_string", flat=True).distinct()
    )


_promoted: HeldCopy[frozenset[str]] = HeldCopy(
    PROMOTION_CACHE_KEY, PROMOTION_MEMO_SECONDS, _load_promoted
)


def promoted_query_strings() -> frozenset[str]:
    """The normalised query strings that have at least one promoted result."""
    return _promoted.get()


def forget_local_promotions() -> None:
    """Drop this process's copy (the shared cache keeps its own)."""
    _promoted.forget_here()


def forget_promotions(**kwargs: Any) -> None:
    """A promotion or promoted query changed: read them again here and everywhere soon."""
    _promoted.forget()

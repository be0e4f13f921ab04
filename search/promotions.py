"""Which queries editors have promoted results for, held in each process's memory.

Every search used to ask the database whether its words had promoted results (Wagtail's search
promotions), though almost none do: one SQL statement per search, for nothing. Each process now
keeps the set of promoted query strings and looks only when the words are in it. An editor's
change reaches the process that saved it at once (the signals in ``apps.py``) and every other
within ``PROMOTION_MEMO_SECONDS``, as editors' synonyms do (``text.synonym_groups``).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db import transaction
from wagtail.contrib.search_promotions.models import SearchPromotion

PROMOTION_MEMO_SECONDS = 30.0
PROMOTION_CACHE_KEY = "search:promoted-queries"
_memo: tuple[float, frozenset[str]] | None = None


def promoted_query_strings() -> frozenset[str]:
    """The normalised query strings that have at least one promoted result."""
    global _memo
    if _memo is not None and time.monotonic() < _memo[0]:
        return _memo[1]
    held: frozenset[str] | None = cache.get(PROMOTION_CACHE_KEY)
    if held is None:
        held = frozenset(
            SearchPromotion.objects.values_list("query__query_string", flat=True).distinct()
        )
        cache.set(PROMOTION_CACHE_KEY, held, 300)
    _memo = (time.monotonic() + PROMOTION_MEMO_SECONDS, held)
    return held


def forget_local_promotions() -> None:
    """Drop this process's copy (the shared cache keeps its own)."""
    global _memo
    _memo = None


def forget_promotions(**kwargs: Any) -> None:
    """A promotion or promoted query changed: read them again here and everywhere soon.

    Forgotten now and again once the change commits, so a search that read the old set in
    between does not leave it in the shared cache.
    """
    _forget_everywhere()
    transaction.on_commit(_forget_everywhere)


def _forget_everywhere() -> None:
    forget_local_promotions()
    cache.delete(PROMOTION_CACHE_KEY)

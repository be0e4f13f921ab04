"""Parts of a page kept rendered in the shared cache, forgotten when what they show changes.

Every resident page shows the same chrome (the council's name and logo, the language links,
alert banners, breadcrumbs, the footer), and building it from the database costs more than
most pages' own content. A *fragment* is one such part, rendered once and kept in the shared
cache (Redis) under its name, the address's host and language, and whatever else it varies
on. While it renders it collects tags exactly as a whole page does (``core.pagecache``); it is
good only while every tag still holds the value it held when it was kept, so publishing the
footer, an alert banner or a page in the navigation forgets every fragment that showed it, on
every web process at once. A page that shows a fragment depends on the fragment's tags too, so
a stored page is purged with the parts it shows.

Off without a shared cache (``FRAGMENT_CACHE``, on with Redis): on the zero-setup database
cache a fragment read would be an SQL statement, which is what it is here to save. Previews
always render afresh.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import models
from django.http import HttpRequest
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from core import pagecache

KEY_PREFIX = "fragment:"

T = TypeVar("T")

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "FRAGMENT_CACHE", False))


def _part(value: Any) -> str | None:
    """A stable text for one thing a fragment varies on (a row by its model and id), or None.

    Only rows and plain values: a fragment that varies on anything else (a resident's answers,
    a form in progress) is never kept.
    """
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}:{value.pk}" if value.pk is not None else None
    if value is None or isinstance(value, (str, int, bool)):
        return repr(value)
    return None


def key(name: str, vary_on: Iterable[Any], request: HttpRequest | None) -> str | None:
    """The fragment's key, or None when this request must render it afresh."""
    if request is None or getattr(request, "is_preview", False):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    vary_on = list(vary_on)
    if any(value is None for value in vary_on):
        return None  # no page (a form, the search): rendered afresh, never kept per address
    varies = [_part(value) for value in vary_on]
    if None in varies:
        return None
    parts = [request.scheme or "", host, translation.get_language() or ""]
    parts.extend(part for part in varies if part is not None)
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"{KEY_PREFIX}{pagecache.release()}:{name}:{digest}"


def render(
    name: str,
    vary_on: Iterable[Any],
    request: HttpRequest | None,
    produce: Callable[[], str],
    *,
    page_path: str | None = None,
) -> SafeString:
    """The fragment's HTML from the cache while it is fresh, else ``produce()`` kept for next time.

    ``page_path`` is the tree path of the page the fragment is shown on, when it lists that
    page's ancestors (breadcrumbs): publishing a sibling of an ancestor changes nothing it shows.
    """
    cache_key = key(name, vary_on, request) if enabled() else None
    if cache_key is None:
        return mark_safe(produce())
    return mark_safe(_remembered(cache_key, lambda: str(produce()), page_path))


def remember(name: str, vary_on: Iterable[Any], produce: Callable[[], T]) -> T:
    """``produce()``'s value from the cache while nothing it read has changed.

    For small values every page needs and few edits change (which pages have an A/B test
    running, a page's view restrictions): the value must pickle.
    """
    varies = [_part(value) for value in vary_on]
    if not enabled() or None in varies:
        return produce()
    digest = hashlib.sha256("\x1f".join(map(str, varies)).encode()).hexdigest()
    return _remembered(f"{KEY_PREFIX}{pagecache.release()}:{name}:{digest}", produce, None)


def _remembered(cache_key: str, produce: Callable[[], T], page_path: str | None) -> T:
    # A copy this process already holds is checked with one read of its tags' values; the shared
    # copy costs a second read and unpickling it, and is held here once found.
    cache = pagecache.shared_cache()
    try:
        held = _fresh_held(cache_key)
        if held is not None:
            value: T = held.value
            return value
        entry = cache.get(cache_key)
        if (
            entry is not None
            and entry["expires"] > time.time()
            and pagecache.unchanged(entry["tags"])
        ):
            _hold(
                cache_key,
                _Held(entry["value"], entry["tags"], entry["page_paths"], entry["expires"]),
            )
            pagecache.add_to_current(
                entry["tags"], entry["page_paths"], max_age=entry["expires"] - time.time()
            )
            value = entry["value"]
            return value
    except Exception:
        logger.warning("A cached part of the page could not be read; it is worked out instead.")
    with pagecache.nested_render(page_path) as collected:
        value = produce()
    if collected.cacheable:
        try:
            _keep(cache, cache_key, value, collected)
        except Exception:
            logger.warning("A part of the page could not be cached; the page is served anyway.")
    return value


def _tokens_to_keep(collected: Any) -> tuple[dict[str, int], float] | None:
    """The tags a part worked out in ``collected`` depends on, with their values, and how long
    it may be kept; None when it must not be kept (it changed meanwhile, or depends on too much)."""
    seconds = min(pagecache.entry_seconds(), collected.max_age)
    tags = collected.tags | pagecache.folder_tags(collected.loaded_page_paths, collected.page_path)
    if seconds < 1 or len(tags) > pagecache.MAX_TAGS:
        return None
    tokens = pagecache.tokens_if_unchanged_since(tags, collected.started_ns)
    if tokens is None:
        return None  # something it showed changed while it was worked out
    return tokens, seconds


def _keep(cache: Any, cache_key: str, value: object, collected: Any) -> None:
    kept = _tokens_to_keep(collected)
    if kept is None:
        return
    tokens, seconds = kept
    page_paths, expires = sorted(collected.loaded_page_paths), time.time() + seconds
    entry = {"value": value, "tags": tokens, "page_paths": page_paths, "expires": expires}
    cache.set(cache_key, entry, timeout=int(seconds))
    _hold(cache_key, _Held(value, tokens, page_paths, expires))


class _Held(NamedTuple):
    value: Any
    tags: dict[str, int]
    page_paths: list[str]
    expires: float


# Values this process holds, by key: every fragment and remembered value it has used (a copy of
# the shared cache's entry) and remember_in_process()'s. Bounded: past the limit it starts again
# empty rather than growing with every page ever shown.
_held: dict[str, _Held] = {}
MAX_HELD = 2000


def _fresh_held(cache_key: str) -> _Held | None:
    """This process's copy while none of its tags was purged, added to the page being rendered."""
    held = _held.get(cache_key)
    if held is None or held.expires <= time.time() or not pagecache.unchanged(held.tags):
        return None
    pagecache.add_to_current(held.tags, held.page_paths, max_age=held.expires - time.time())
    return held


def _hold(cache_key: str, held: _Held) -> None:
    if len(_held) >= MAX_HELD:
        _held.clear()
    _held[cache_key] = held


def remember_in_process(name: str, vary_on: Iterable[Any], produce: Callable[[], T]) -> T:
    """``produce()``'s value kept in this process's memory while nothing it read has changed.

    Like ``remember()``, but the value never goes to the shared cache (``remember()`` keeps it
    there as well), so it need not pickle and costs nothing to read: for objects that are dear to rebuild and read on every request
    (a live form with its compiled schema). Each use still asks the shared cache whether any
    of its tags was purged, so an editor's publish reaches every web process at once. Callers
    must treat the value as read-only: the next request gets the same object. None is never
    kept: what is not there yet may be published at any moment, by a change no tag records.
    """
    varies = [_part(value) for value in vary_on]
    if not enabled() or None in varies:
        return produce()
    cache_key = f"{pagecache.release()}:{name}:" + "\x1f".join(map(str, varies))
    try:
        held = _fresh_held(cache_key)
        if held is not None:
            value: T = held.value
            return value
    except Exception:
        logger.warning("A remembered value could not be checked; it is worked out instead.")
    with pagecache.nested_render(None) as collected:
        value = produce()
    if collected.cacheable and value is not None:
        try:
            kept = _tokens_to_keep(collected)
        except Exception:
            kept = None
            logger.warning("A value could not be remembered; it is worked out each time.")
        if kept is not None:
            tokens, seconds = kept
            _hold(
                cache_key,
                _Held(value, tokens, sorted(collected.loaded_page_paths), time.time() + seconds),
            )
    return value


def forget_in_process() -> None:
    """Drop every value this process holds (tests start each from nothing)."""
    _held.clear()

"""Which page an address leads to, remembered in the shared cache until the tree changes.

Wagtail finds the page for ``/tenants/report-a-repair/`` by reading the site for the host,
the active locale, the home page and its specific row, then one child per level of the
address: five or six SQL statements before the page itself is read, on every request the
page cache cannot answer. The answer changes only when a page along the way is published,
unpublished, moved or renamed, or a site changes, so it is kept in the shared cache with the
tags it loaded (``core.pagecache``) and is good while none of them has moved. A hit reads
the page by its id (one statement) and lets the page finish routing itself, so a routable
page's own sub-addresses and a translation's English fallback route as before.

On with the fragment cache (``FRAGMENT_CACHE``, Redis): on the database cache a lookup would
cost the statement it saves.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page

from core import fragments, pagecache

KEY_PREFIX = "route:"

logger = logging.getLogger(__name__)


def _key(request: HttpRequest, path: str) -> str:
    address = "\x1f".join(
        (request.get_host(), str(request.get_port()), translation.get_language() or "", path)
    )
    return f"{KEY_PREFIX}{pagecache.release()}:{hashlib.sha256(address.encode()).hexdigest()}"


def _components(path: str) -> list[str]:
    return [component for component in path.split("/") if component]


def _from_entry(request: HttpRequest, path: str, entry: dict[str, Any]) -> Any:
    """The route result from a remembered entry, or None when it no longer holds."""
    model = apps.get_model(entry["model"])
    try:
        page = model.objects.get(pk=entry["pk"])
    except model.DoesNotExist:
        return None
    request._wagtail_site = entry["site"]  # type: ignore[attr-defined]
    return page.route(request, _components(path)[entry["consumed"] :])


def _entry(request: HttpRequest, result: Any, collected: Any) -> dict[str, Any] | None:
    site = getattr(request, "_wagtail_site", None)
    page = result[0] if result is not None else None
    if site is None or not isinstance(page, Page) or not collected.cacheable:
        return None
    root = site.root_page  # already loaded by the route
    tags = collected.tags | pagecache.folder_tags(collected.loaded_page_paths, page.path)
    tokens = pagecache.tokens_if_unchanged_since(tags, collected.started_ns)
    if tokens is None or len(tokens) > pagecache.MAX_TAGS:
        return None
    kept_site = copy.copy(site)
    kept_site._state = copy.copy(site._state)
    kept_site._state.fields_cache = {}  # the site alone, not the home page it loaded
    return {
        "site": kept_site,
        "model": page.specific_class._meta.label_lower
        if page.specific_class
        else "wagtailcore.page",
        "pk": page.pk,
        "consumed": page.depth - root.depth,
        "tags": tokens,
    }


def route(request: HttpRequest, path: str) -> Any:
    """``Page.route_for_request``, answered from the shared cache while nothing on the way changed."""
    cache = pagecache.shared_cache()
    key = _key(request, path)
    try:
        entry = cache.get(key)
        if entry is not None and pagecache.unchanged(entry["tags"]):
            result = _from_entry(request, path, entry)
            if result is not None:
                pagecache.add_to_current(entry["tags"], [])
                return result
    except Http404:
        pass
    except Exception:
        logger.warning("A remembered page address could not be read; the page tree is asked.")
    for attribute in ("_wagtail_site", "_wagtail_route_for_request"):
        request.__dict__.pop(attribute, None)
    with pagecache.nested_render() as collected:
        result = Page.route_for_request(request, path)
    try:
        entry = _entry(request, result, collected)
        if entry is not None:
            cache.set(key, entry, timeout=pagecache.entry_seconds())
    except Exception:
        logger.warning("A page address could not be remembered; pages are served anyway.")
    return result


class RouteCacheMiddleware:
    """Finds the page for Wagtail's page view from the shared cache (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if view_func is not wagtail_views.serve or not fragments.enabled():
            return None
        if getattr(request, "is_preview", False) or not view_args:
            return None
        request._wagtail_route_for_request = route(request, view_args[0])  # type: ignore[attr-defined]
        return None

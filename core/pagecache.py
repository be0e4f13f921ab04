"""Cache-Control for resident pages: shared caches may keep what is the same for everyone.

A page from the page tree that an anonymous resident asked for, and that came back without a
cookie and without ``Vary: Cookie``, is the same for every resident: it is marked ``public``
with ``s-maxage`` (``PAGE_SHARED_MAX_AGE`` seconds, 60 unless set) so a CDN or Varnish in front
may serve it, and ``max-age=0`` so a browser asks again each time (editors' changes show on the
next visit). Anything that read the session or set a cookie is ``private``; views that show a
resident's answers say ``no-store`` themselves (``never_cache``), and this never overrides a
view's own header.

It sits above the session middleware so it sees the session's ``Vary: Cookie`` and cookies.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import has_vary_header, patch_cache_control
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

#: The url name Wagtail gives its catch-all page view (wagtail.urls).
PAGE_VIEW = "wagtail_serve"


def shared_max_age() -> int:
    return int(getattr(settings, "PAGE_SHARED_MAX_AGE", 60))


def is_public(request: HttpRequest, response: HttpResponseBase) -> bool:
    """True when this response is the same for every resident who asks for this address."""
    match = getattr(request, "resolver_match", None)
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and match is not None
        and match.url_name == PAGE_VIEW
        and not getattr(request, "is_preview", False)
        and not response.cookies
        and not has_vary_header(response, "Cookie")
    )


class CacheControlMiddleware:
    """``public, s-maxage`` on pages that are the same for everyone; ``private`` on personal ones."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if is_public(request, response):
            patch_cache_control(response, public=True, max_age=0, s_maxage=shared_max_age())
        elif response.cookies or has_vary_header(response, "Cookie"):
            patch_cache_control(response, private=True)
        return response


# --- The page cache: whole pages kept in the cache, purged by what they show ------------------
#
# A page that ``is_public`` is stored whole (status, headers, body) in the "default" cache, keyed
# by scheme, host and path, when ``PAGE_CACHE`` is on (the default with Redis). While it renders,
# every model instance it loads that an app registered (``register``) adds a *tag*: the instance
# ("directory.service:12"), or for models registered ``each=False`` the model as a whole
# ("directory.schedule:*"). A listing that may show rows it did not load (a new service, say)
# asks for the model's tag itself (``depends_on_model``). Saving or deleting a registered row
# *purges* its tags: it writes the time into the tag's key. An entry is good only while every
# tag key still holds the value it held when the entry was stored, so one write forgets every
# page that showed the row, however many there are, and nothing else.
#
# Races: a page whose render started before a purge it read a tag's new time for is not stored
# (it may show the old row), and purges are written after the transaction commits, so a render
# that starts before the commit either sees the new row or finds its tag moved.
#
# Pages: each page depends on itself and every page it loads. One that lists pages other than its
# own ancestors (the navigation, a persona's journeys, related journeys) also depends on the
# folders they came from ("under:<path>", one per parent in the tree), purged when a page in that
# folder is published, unpublished, moved in or out, or deleted: a new journey shows on the
# pages that list its persona's journeys, and nowhere else.
# Things a page shows that change with the clock (opening hours) shorten its entry
# (``expires_within``); a page that must never be stored (an A/B test running on it) says
# ``do_not_cache``. Residents with a session (signed in, or part-way through a form) or an A/B
# visitor cookie always get a fresh render.

ENTRY_PREFIX = "pagecache:entry:"
TAG_PREFIX = "pagecache:tag:"
#: A tag never purged gets this value when a page first depends on it: older than any render.
FIRST_TOKEN = 1
#: More tags than this and the page is not stored: checking them would cost more than rendering.
MAX_TAGS = 400

logger = logging.getLogger(__name__)


@dataclass
class _Render:
    """What one page render has depended on so far."""

    started_ns: int
    tags: set[str] = field(default_factory=set)
    cacheable: bool = True
    max_age: float = math.inf
    page_path: str | None = None
    loaded_page_paths: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Registration:
    label: str
    each: bool


_render: ContextVar[_Render | None] = ContextVar("signpost_page_render", default=None)
_registered: dict[type[models.Model], _Registration] = {}
_by_class: dict[type, _Registration | None] = {}
_bypass_cookies: set[str] = set()


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", False))


def entry_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 600))


def register(model: type[models.Model], *, each: bool = True) -> None:
    """Pages that load rows of ``model`` are purged when those rows change.

    ``each=True``: a page depends on each row it loaded ("label:pk"), and a new row purges the
    pages that listed any. ``each=False``: the model as a whole ("label:*"), for rows that are
    many per page and rarely change (taxonomy terms, opening hours).
    """
    _registered[model] = _Registration(model._meta.label_lower, each)
    _by_class.clear()


def bypass_cookie(name: str) -> None:
    """A request carrying this cookie is always rendered afresh (an app reads it on pages)."""
    _bypass_cookies.add(name)


def connect() -> None:
    """Listen for rows loaded and changed, and for pages published, unpublished and moved."""
    register(Page)
    register(Site, each=False)
    # A restriction added to a section must take its stored pages away at once.
    register(PageViewRestriction, each=False)
    bypass_cookie(settings.SESSION_COOKIE_NAME)
    bypass_cookie(getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))
    post_init.connect(_loaded, dispatch_uid="signpost-pagecache-loaded", weak=False)
    post_save.connect(_saved, dispatch_uid="signpost-pagecache-saved", weak=False)
    post_delete.connect(_deleted, dispatch_uid="signpost-pagecache-deleted", weak=False)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_tree_changed, dispatch_uid=f"signpost-pagecache-{id(signal)}")


def _registration(cls: type) -> _Registration | None:
    """The registration covering ``cls`` (a subclass of a registered model counts)."""
    if cls not in _by_class:
        _by_class[cls] = next((_registered[b] for b in cls.__mro__ if b in _registered), None)
    return _by_class[cls]


def model_tag(model: type[models.Model]) -> str:
    registration = _registration(model)
    label = registration.label if registration else model._meta.label_lower
    return f"{label}:*"


def collecting() -> bool:
    """True while a page is being rendered for the page cache."""
    return _render.get() is not None


def depends_on(*tags: str) -> None:
    """The page being rendered shows something these tags name."""
    render = _render.get()
    if render is not None:
        render.tags.update(tags)


def depends_on_model(model: type[models.Model]) -> None:
    """The page lists rows of ``model`` and would show a new one: purge it when one is added."""
    depends_on(model_tag(model))


def do_not_cache() -> None:
    """The page being rendered differs between residents: never store it."""
    render = _render.get()
    if render is not None:
        render.cacheable = False


def expires_within(seconds: float) -> None:
    """What the page shows changes by itself within ``seconds`` (e.g. "Open now")."""
    render = _render.get()
    if render is not None:
        render.max_age = min(render.max_age, max(seconds, 0))


def serving_page(page: models.Model) -> None:
    """Called as Wagtail serves ``page``: the page depends on itself."""
    render = _render.get()
    if render is not None:
        render.tags.add(f"page:{page.pk}")
        render.page_path = page.__dict__.get("path")


def _loaded(sender: type, instance: models.Model, **kwargs: Any) -> None:
    """post_init: a registered row loaded during a render becomes one of its tags."""
    render = _render.get()
    if render is None or instance.pk is None:
        return
    registration = _registration(sender)
    if registration is None:
        return
    if registration.label == "wagtailcore.page":
        render.tags.add(f"page:{instance.pk}")
        path = instance.__dict__.get("path")
        if path:  # a page loaded without its path is tagged by its id alone
            render.loaded_page_paths.add(path)
        return
    render.tags.add(f"{registration.label}:*")
    if registration.each:
        render.tags.add(f"{registration.label}:{instance.pk}")


def _tags_of(instance: models.Model, *, added: bool) -> list[str]:
    registration = _registration(type(instance))
    if registration is None:
        return []
    if registration.label == "wagtailcore.page":
        return [f"page:{instance.pk}"] + ([_folder_tag(instance)] if added else [])
    tags = [f"{registration.label}:*"] if (added or not registration.each) else []
    if registration.each:
        tags.append(f"{registration.label}:{instance.pk}")
    return tags


def _saved(sender: type, instance: models.Model, created: bool, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        purge(*_tags_of(instance, added=created))


def _deleted(sender: type, instance: models.Model, **kwargs: Any) -> None:
    purge(*_tags_of(instance, added=True))


def _folder_tag(page: models.Model) -> str:
    """The tag of the folder ``page`` is in: pages listing its siblings depend on it."""
    path = page.__dict__.get("path") or ""
    return f"under:{path[: -Page.steplen]}"


def translations_tag(page: models.Model) -> str:
    """The tag of a page's translations: purged when any of them is published or unpublished.

    The language links show which translations are live, and an address in one language that
    is served in English (no translation yet) must switch when the translation is published.
    """
    return f"translations:{page.__dict__.get('translation_key') or page.pk}"


def page_tree_changed(instance: models.Model, **kwargs: Any) -> None:
    """A page was published, unpublished or moved: listings of its folder may change."""
    tags = [f"page:{instance.pk}", _folder_tag(instance), translations_tag(instance)]
    before = kwargs.get("parent_page_before")  # post_page_move: the folder it left
    if before is not None:
        tags.append(f"under:{before.path}")
    purge(*tags)


def purge(*tags: str) -> None:
    """Forget every stored page that showed any of ``tags`` (after the transaction commits)."""
    if tags and (enabled() or getattr(settings, "FRAGMENT_CACHE", False)):
        # Cached fragments (core.fragments) are forgotten by the same tags as whole pages.
        transaction.on_commit(lambda: _write_purge(tags), robust=True)


def purge_model(model: type[models.Model]) -> None:
    """Forget every page that showed any row of ``model``: after bulk writes that send no signals."""
    purge(model_tag(model))


def _write_purge(tags: tuple[str, ...]) -> None:
    token = time.time_ns()
    try:
        _cache().set_many({TAG_PREFIX + tag: token for tag in tags if tag}, timeout=None)
    except Exception:  # a cache that is down must not fail an editor's publish
        logger.warning("The page cache could not be purged; pages expire on their own.")


def shared_cache() -> Any:
    """The cache every web process shares, where pages, fragments and tags are kept."""
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _cache() -> Any:
    return shared_cache()


@functools.cache
def release() -> str:
    """A short digest of this release's code, templates and translations, part of every key.

    A stored page or fragment is what the code that rendered it made: after a deploy that
    changes a template, the new processes must not serve the old processes' copies, and during
    a rolling restart old and new processes must not serve each other's.
    """
    base = Path(settings.BASE_DIR).resolve()
    folders = {base / "templates", base / "locale"}
    folders.update(
        Path(config.path).resolve()
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base) and "site-packages" not in config.path
    )
    digest = hashlib.sha256()
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".mo", ".txt") and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _key(request: HttpRequest) -> str | None:
    """The entry's key, or None when this request may not be answered from the cache."""
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return None
    if any(name in request.COOKIES for name in _bypass_cookies):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    address = f"{request.scheme}://{host}{request.path}"
    return f"{ENTRY_PREFIX}{release()}:{hashlib.sha256(address.encode()).hexdigest()}"


def _fresh(entry: dict[str, Any]) -> bool:
    return unchanged(entry["tags"])


def unchanged(tokens: dict[str, int]) -> bool:
    """True while no tag in ``tokens`` has been purged since it held its value there."""
    current = _cache().get_many([TAG_PREFIX + tag for tag in tokens])
    return all(current.get(TAG_PREFIX + tag) == token for tag, token in tokens.items())


def _from_entry(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def folder_tags(loaded_page_paths: set[str], page_path: str | None) -> set[str]:
    """The folders of the pages a render listed, other than the shown page's own ancestors.

    Breadcrumbs load a page's ancestors, and publishing a sibling of an ancestor changes
    nothing they show; a list of pages from elsewhere in the tree changes when its folder does.
    """
    return {
        f"under:{path[: -Page.steplen]}"
        for path in loaded_page_paths
        if page_path is None or not page_path.startswith(path)
    }


def tokens_if_unchanged_since(tags: set[str], started_ns: int) -> dict[str, int] | None:
    """Each tag's current value, or None when one was purged after ``started_ns``.

    A render that started before a purge may show the old row, so it must not be kept.
    """
    tokens = _tokens(tags)
    if len(tokens) != len(tags) or any(t > started_ns for t in tokens.values()):
        return None
    return tokens


@contextmanager
def nested_render(page_path: str | None = None) -> Iterator[_Render]:
    """Collect what one part of a page depends on, on its own (a cached fragment).

    What the part depended on is added to the page around it as well, so the page is
    purged with the part.
    """
    outer = _render.get()
    inner = _Render(started_ns=time.time_ns(), page_path=page_path)
    reset = _render.set(inner)
    try:
        yield inner
    finally:
        _render.reset(reset)
        if outer is not None:
            add_to_current(inner.tags, inner.loaded_page_paths, inner.max_age, inner.cacheable)


def add_to_current(
    tags: set[str] | dict[str, int],
    loaded_page_paths: set[str] | list[str],
    max_age: float = math.inf,
    cacheable: bool = True,
) -> None:
    """The page being rendered shows a part that depended on these (a fragment from the cache)."""
    render = _render.get()
    if render is None:
        return
    render.tags.update(tags)
    render.loaded_page_paths.update(loaded_page_paths)
    render.max_age = min(render.max_age, max_age)
    render.cacheable = render.cacheable and cacheable


def _tokens(tags: set[str]) -> dict[str, int]:
    """Each tag's current value, giving tags never purged their first one."""
    cache = _cache()
    keys = [TAG_PREFIX + tag for tag in tags]
    current = cache.get_many(keys)
    missing = [key for key in keys if key not in current]
    for key in missing:
        cache.add(key, FIRST_TOKEN, timeout=None)
    if missing:
        current.update(cache.get_many(missing))
    return {key.removeprefix(TAG_PREFIX): value for key, value in current.items()}


def _store(key: str, render: _Render, response: HttpResponse) -> None:
    render.tags.update(folder_tags(render.loaded_page_paths, render.page_path))
    seconds = min(entry_seconds(), render.max_age)
    if len(render.tags) > MAX_TAGS or seconds < 1:
        return
    tokens = tokens_if_unchanged_since(render.tags, render.started_ns)
    if tokens is None:
        return  # something it showed changed while it rendered
    entry = {
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.items() if k.lower() != "x-page-cache"],
        "content": response.content,
        "tags": tokens,
    }
    _cache().set(key, entry, timeout=int(seconds))
    response["X-Page-Cache"] = "stored"


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        isinstance(response, HttpResponse)
        and not response.streaming
        and is_public(request, response)
        and "public" in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Answers resident pages from the cache while nothing they show has changed.

    Sits above ``CacheControlMiddleware`` (it stores what that marked public) and below the
    security and content-security-policy middleware, which add their headers to every answer,
    stored or not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = _key(request) if enabled() else None
        if key is None:
            return self.get_response(request)
        try:
            entry = _cache().get(key)
            if entry is not None and _fresh(entry):
                return _from_entry(entry)
        except Exception:
            logger.warning("The page cache could not be read; the page is rendered instead.")
        render = _Render(started_ns=time.time_ns())
        reset = _render.set(render)
        try:
            response = self.get_response(request)
        finally:
            _render.reset(reset)
        if render.cacheable and isinstance(response, HttpResponse) and _storable(request, response):
            try:
                _store(key, render, response)
            except Exception:
                logger.warning("The page cache could not be written; the page is served anyway.")
        return response

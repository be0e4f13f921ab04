"""Which pages residents can see, and at what address, for many pages at once.

Asking Wagtail page by page costs two or three SQL statements a page
(``get_view_restrictions()`` walks the ancestors; ``get_url()`` reads the site root paths from
the cache), which is most of the time a search rebuild spends on 100,000 pages. The answers
hardly vary within a batch: every view restriction and the site root paths are read once, and
each page is then answered from its own ``path`` and ``url_path``, in memory.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.coreutils import WAGTAIL_APPEND_SLASH, get_supported_content_language_variant
from wagtail.models import Page, PageViewRestriction, Site

from core import fragments, pagecache

# Where Django's ``reverse`` leaves characters of a path argument unquoted.
SAFE_IN_PATH = RFC3986_SUBDELIMS + "/~:@"


class PublicPages:
    """Answers for the pages of one batch; build a new one per batch (it does not refresh)."""

    def __init__(self) -> None:
        self._restricted_paths = frozenset(
            PageViewRestriction.objects.values_list("page__path", flat=True)
        )
        self._site_root_paths = Site.get_site_root_paths()
        self._sites = len({root.site_id for root in self._site_root_paths})
        self._prefixes: dict[str, str | None] = {}

    def is_restricted(self, page: Page) -> bool:
        """True when the page, or a page above it, has a view restriction (password, login,
        groups): such pages are not for everyone, so they are never made findable."""
        if not self._restricted_paths:
            return False
        path, step = page.path, Page.steplen
        return any(path[:end] in self._restricted_paths for end in range(step, len(path) + 1, step))

    def url(self, page: Page) -> str | None:
        """The page's public address as ``page.get_url()`` gives it, or None when residents
        cannot see it (restricted, or outside every site)."""
        if self.is_restricted(page):
            return None
        model = type(page)
        if model.get_url is not Page.get_url or model.get_url_parts is not Page.get_url_parts:
            # A page type with its own routing answers for itself. Wagtail keeps the root
            # paths on the object it is given ("cache_object"), the page itself without a
            # request: handing them over saves the cache read for every page.
            page._wagtail_cached_site_root_paths = self._site_root_paths
            url: str | None = page.get_url()
            return url
        return self._wagtail_url(page)

    def _wagtail_url(self, page: Page) -> str | None:
        """``Page.get_url()`` without a request, worked out as Wagtail does, with the one
        costly step (``reverse`` inside a language switch, a third of a rebuild's document
        building) done once per language: the serve view's address is its prefix and the
        page's path under the site root, quoted as ``reverse`` quotes it."""
        roots = [root for root in self._site_root_paths if page.url_path.startswith(root.root_path)]
        if not roots:
            return None
        site_id, root_path, root_url, language_code = roots[0]
        prefix = self._prefix(language_code)
        if prefix is None:
            return None
        page_path = prefix + quote(page.url_path[len(root_path) :], safe=SAFE_IN_PATH)
        if not WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        return page_path if self._sites == 1 else root_url + page_path

    def _prefix(self, language_code: str) -> str | None:
        """The address of a site root in this language (None: pages are not served)."""
        if language_code not in self._prefixes:
            language = language_code
            i18n = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
            if i18n:
                # As Wagtail: the active language wins when it is a variant of the page's.
                active = translation.get_language()
                try:
                    if get_supported_content_language_variant(active) == language_code:
                        language = active
                except LookupError:
                    pass
            try:
                with translation.override(language if i18n else translation.get_language()):
                    self._prefixes[language_code] = reverse("wagtail_serve", args=("",))
            except NoReverseMatch:
                self._prefixes[language_code] = None
        return self._prefixes[language_code]


class RememberedViewRestrictionsMixin:
    """A page's view restrictions from the shared cache while no restriction or ancestor changed.

    Wagtail asks before serving every page (``get_view_restrictions()``: two SQL statements, the
    ancestors then their restrictions); almost no council page has any. The ids are kept in the
    shared cache (``core.fragments``) under the page's place in the tree, so a page moved under
    a restricted section is asked afresh, and any restriction added, changed or removed forgets
    them all (``PageViewRestriction`` purges its tag, ``core.pagecache``). Without a
    restriction the answer costs no statement at all.
    """

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        page = cast(Page, self)
        if not fragments.enabled():
            restrictions: QuerySet[PageViewRestriction] = Page.get_view_restrictions(page)
            return restrictions

        def restriction_ids() -> list[int]:
            pagecache.depends_on_model(PageViewRestriction)
            return [restriction.pk for restriction in Page.get_view_restrictions(page)]

        ids = fragments.remember(
            "view-restrictions", (page.path, page.alias_of_id), restriction_ids
        )
        remembered: QuerySet[PageViewRestriction] = (
            PageViewRestriction.objects.filter(pk__in=ids)
            if ids
            else PageViewRestriction.objects.none()
        )
        return remembered

"""Which pages residents can see, and at what address, for many pages at once.

Asking Wagtail page by page costs two or three SQL statements a page
(``get_view_restrictions()`` walks the ancestors; ``get_url()`` reads the site root paths from
the cache), which is most of the time a search rebuild spends on 100,000 pages. The answers
hardly vary within a batch: every view restriction and the site root paths are read once, and
each page is then answered from its own ``path`` and ``url_path``, in memory.
"""

from __future__ import annotations

from wagtail.models import Page, PageViewRestriction, Site


class PublicPages:
    """Answers for the pages of one batch; build a new one per batch (it does not refresh)."""

    def __init__(self) -> None:
        self._restricted_paths = frozenset(
            PageViewRestriction.objects.values_list("page__path", flat=True)
        )
        self._site_root_paths = Site.get_site_root_paths()

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
        # Wagtail keeps the root paths on the object it is given ("cache_object"), the page
        # itself without a request: handing them over saves the cache read for every page.
        page._wagtail_cached_site_root_paths = self._site_root_paths
        url: str | None = page.get_url()
        return url

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

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import has_vary_header, patch_cache_control

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

"""Cross-site request protection for the few public forms that appear on cacheable pages.

Django's CSRF check needs a token in the form and a ``csrftoken`` cookie, and the cookie makes
every page carrying the form personal (``Set-Cookie`` and ``Vary: Cookie``): no shared cache will
keep it. The page feedback form, the cookie banner, the search page's "did you find it" form
and a journey's "Start now" button sit on pages every resident sees alike, so their endpoints
check where the post came from instead, with the headers browsers add themselves and a page
cannot forge: ``Sec-Fetch-Site`` (every current browser), else ``Origin``, else ``Referer``
(Django's ``Referrer-Policy: same-origin`` keeps it on same-site posts). A post they show came
from another site is refused with a plain-English message.

Django 5.2 has no check on ``Sec-Fetch-Site`` of its own, so this is written here; it is only for
low-stakes posts that change nothing a resident owns. Anything that does (a form's answers, a
saved draft, staff pages) keeps Django's token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseForbidden
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

View = Callable[..., HttpResponseBase]


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def _own_origins(request: HttpRequest) -> set[str]:
    own = {f"{request.scheme}://{request.get_host()}".lower()}
    own.update(origin.lower() for origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    return own


def is_cross_site(request: HttpRequest) -> bool:
    """True when the browser says this request came from a page on another site.

    A request with none of the three headers is not from a current browser (they all send
    ``Sec-Fetch-Site`` and ``Origin`` on a form post): a script or an old client, which no other
    site can make a resident's browser send, so it is let through, as OWASP's origin check allows.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site", "").lower()
    if fetch_site:
        # "none" is the resident typing an address or using a bookmark: never a form on a page.
        return fetch_site != "same-origin"
    origin = request.headers.get("Origin", "")
    if origin:
        return origin.lower() not in _own_origins(request)
    referer = request.headers.get("Referer", "")
    if referer:
        return _origin_of(referer) not in _own_origins(request)
    return False


def same_origin_post(view: View) -> View:
    """Accept a post without a CSRF token when the browser shows it came from this site."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD", "OPTIONS") and is_cross_site(request):
            return HttpResponseForbidden(
                _("We could not accept this. Go back to the page, reload it and try again."),
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)

"""Draft previews for headless front ends: a signed, expiring link to a page's latest revision.

A headless app can't use Wagtail's in-admin preview, so an editor asks for a link
(``POST /api/v1/preview/links/<page_id>/``, signed in, allowed to edit the page) and gives it to
the app, which fetches ``GET /api/v1/preview/?token=...``. The answer has the same shape as
``/api/v2/pages/<id>/`` but shows the newest revision, published or not.

The token is signed with ``TimestampSigner`` (the site's SECRET_KEY and a salt of its own), so
it can't be forged or reused for anything else, and it stops working after ``MAX_AGE``.
Only the page id is signed: the link always shows the latest draft, so an editor can keep
refreshing the app while they write.
"""

import datetime

from django.core import signing
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page

SALT = "signpost.preview"
MAX_AGE = datetime.timedelta(hours=1)


def _error(status, message, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


def make_token(page):
    return signing.TimestampSigner(salt=SALT).sign_object({"page": page.pk})


def read_token(token):
    """The page id in a token; raises ``signing.SignatureExpired`` or ``signing.BadSignature``."""
    data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE)
    return int(data["page"])


def preview_url(request, page):
    return request.build_absolute_uri(reverse("api_preview") + "?token=" + make_token(page))


@require_POST
def create_link(request, page_id):
    """Make a preview link. Only staff who may edit the page can: a draft may not be public yet."""
    if not request.user.is_authenticated:
        return _error(403, "Sign in to the admin to make a preview link")
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return _error(404, "No page with that id")
    if not page.permissions_for_user(request.user).can_edit():
        return _error(403, "You do not have permission to preview this page")
    expires = timezone.now() + MAX_AGE
    return JsonResponse({"url": preview_url(request, page), "expires_at": expires.isoformat()}, status=201)


class _DraftPageViewSet(PagesAPIViewSet):
    """Wagtail's page detail serialiser, pointed at a revision rather than the live page."""

    draft = None

    def get_object(self):
        return self.draft


def draft_json(request, page):
    """The latest revision of ``page`` as ``/api/v2/pages/<id>/`` would show it if published."""
    from .api import api_router

    revision = page.get_latest_revision()
    draft = revision.as_object() if revision else page.specific
    request.wagtailapi_router = api_router
    view = _DraftPageViewSet.as_view({"get": "detail_view"}, draft=draft)
    response = view(request, pk=page.pk)
    response.render()
    return response


@require_GET
def preview(request):
    token = request.GET.get("token", "")
    if not token:
        return _error(400, "Add the preview token to the address, like ?token=...", field="token")
    try:
        page_id = read_token(token)
    except signing.SignatureExpired:
        return _error(403, "This preview link has expired. Ask for a new one in the admin.", field="token")
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _error(403, "This preview link is not valid. Check you copied all of it.", field="token")
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return _error(404, "The page for this preview link no longer exists")
    response = draft_json(request, page.specific)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response

"""Draft previews for headless front ends: a signed, expiring link to a page's latest revision.

A headless app can't use Wagtail's in-admin preview, so an editor asks for a link and gives it
to the app, which fetches ``GET /api/v1/preview/?token=...``. The answer has the same shape as
``/api/v2/pages/<id>/`` but shows the newest revision, published or not.

Editors ask for a link in the page editor ("Get a preview link for apps" in the header's
actions menu, which opens ``/admin/preview-link/<page_id>/``); tools can ask the API
(``POST /api/v1/preview/links/<page_id>/``). Either way the editor must be signed in and allowed
to edit the page, delivery unit included.

The token is signed with ``TimestampSigner`` (the site's SECRET_KEY and a salt of its own), so
it can't be forged or reused for anything else, and it stops working after ``MAX_AGE``.
Only the page id is signed: the link always shows the latest draft, so an editor can keep
refreshing the app while they write.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timesince import timeuntil
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page

from .api import api_router

SALT = "signpost.preview"
MAX_AGE = datetime.timedelta(hours=1)


def _error(status, message, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


def make_token(page, user):
    """A signed token naming the page and the editor who asked for it (see ``preview``)."""
    return signing.TimestampSigner(salt=SALT).sign_object({"page": page.pk, "user": user.pk})


def read_token(token):
    """(page id, user id) in a token; raises ``signing.SignatureExpired`` or ``BadSignature``."""
    data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE)
    return int(data["page"]), int(data["user"])


def preview_url(request, page):
    token = make_token(page, request.user)
    return request.build_absolute_uri(reverse("api_preview") + "?token=" + token)


@dataclass(frozen=True)
class PreviewLink:
    url: str
    made_at: datetime.datetime
    expires_at: datetime.datetime


def new_link(request, page):
    now = timezone.now()
    return PreviewLink(url=preview_url(request, page), made_at=now, expires_at=now + MAX_AGE)


def may_make_link(user, page):
    """Whoever may edit the page, delivery unit included: a draft may not be public yet.

    (Wagtail asks the specific page type even of a plain ``Page``, so our owner rule applies.)
    """
    return user.is_authenticated and page.permissions_for_user(user).can_edit()


def describe_expiry(link):
    """When the link stops working, in plain English and the site's time zone:
    "This link works for 1 hour, until 10:42.".

    The sentence is English, so its day and month names and durations are too, whatever
    language the request before happened to leave active."""
    with translation.override("en-gb"):
        return _describe_expiry(link)


def _describe_expiry(link):
    until = timezone.localtime(link.expires_at)
    days_later = (until.date() - timezone.localtime(link.made_at).date()).days
    when = date_format(until, "H:i")
    if days_later == 1:
        when += " tomorrow"
    elif days_later > 1:
        when += " on " + date_format(until, "l j F")
    return f"This link works for {timeuntil(link.expires_at, link.made_at)}, until {when}."


@require_POST
def create_link(request, page_id):
    """Make a preview link. Only staff who may edit the page can: a draft may not be public yet."""
    if not request.user.is_authenticated:
        return _error(403, "Sign in to the admin to make a preview link")
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return _error(404, "No page with that id")
    if not may_make_link(request.user, page):
        return _error(403, "You do not have permission to preview this page")
    link = new_link(request, page)
    return JsonResponse({"url": link.url, "expires_at": link.expires_at.isoformat()}, status=201)


# --- In the page editor -------------------------------------------------------------------------

PREVIEW_LINK_LABEL = "Get a preview link for apps"


class PreviewLinkMenuItem(PageMenuItem):
    """The page header's actions menu item (``register_page_header_buttons``), shown to
    editors of the page only, like Wagtail's own Edit and History items."""

    label = PREVIEW_LINK_LABEL
    icon_name = "mobile-alt"
    url_name = "cms_preview_link"

    def is_shown(self, user):
        return not self.page.is_root() and may_make_link(user, self.page)


class PreviewLinkView(WagtailAdminTemplateMixin, TemplateView):
    """GET explains what the link is for and offers a button; POST makes a link and shows it.

    A plain form and a read-only text box, so it works without JavaScript. The link is shown
    once, in the response to the POST, and never stored. Anyone who may not edit the page is
    refused the way Wagtail refuses its own page views (PermissionDenied, turned by the admin
    into a redirect with a message).
    """

    template_name = "cms/admin/preview_link.html"
    page_title = PREVIEW_LINK_LABEL
    header_icon = "mobile-alt"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific

    def dispatch(self, request, *args, **kwargs):
        if self.page.is_root() or not may_make_link(request.user, self.page):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return get_breadcrumbs_items_for_page(self.page, self.request.user) + [
            {"url": "", "label": self.page_title}
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = self.page
        context["edit_url"] = reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        return context

    def post(self, request, *args, **kwargs):
        link = new_link(request, self.page)
        return self.render_to_response(
            self.get_context_data(link=link, expiry=describe_expiry(link))
        )


class _DraftPageViewSet(PagesAPIViewSet):
    """Wagtail's page detail serialiser, pointed at a revision rather than the live page."""

    draft = None

    def get_object(self):
        return self.draft


def draft_json(request, page):
    """The latest revision of ``page`` as ``/api/v2/pages/<id>/`` would show it if published."""

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
        page_id, user_id = read_token(token)
    except signing.SignatureExpired:
        return _error(
            403, "This preview link has expired. Ask for a new one in the admin.", field="token"
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _error(
            403, "This preview link is not valid. Check you copied all of it.", field="token"
        )
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return _error(404, "The page for this preview link no longer exists")
    # A link lives only as long as its editor's right to see the draft: an account deactivated
    # (someone who left) or no longer allowed to edit the page ends every link it made.
    editor = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if editor is None or not may_make_link(editor, page.specific):
        return _error(
            403,
            "This preview link no longer works: the person who made it can no longer see drafts "
            "of this page. Ask for a new one in the admin.",
            field="token",
        )
    response = draft_json(request, page.specific)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response

"""The resident-facing page feedback endpoint: a plain form post that works without JavaScript."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from core.csrf import same_origin_post

from . import feedback


def _back(request, page):
    target = request.POST.get("next") or (page.url if page else "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return target


@same_origin_post
@require_POST
def page_feedback(request):
    page_id = request.POST.get("page", "")
    page = Page.objects.live().filter(pk=int(page_id)).first() if page_id.isdigit() else None
    answer = request.POST.get("useful")
    if page is None or answer not in ("yes", "no"):
        return render(
            request,
            "backlog/feedback_error.html",
            {
                "error": _("Select yes if this page is useful, or no if it is not"),
                "back": _back(request, page),
            },
            status=400,
        )
    if not feedback.allow(feedback.client_ip(request)):
        return render(
            request,
            "backlog/feedback_error.html",
            {
                "error": _("You have sent a lot of feedback in a short time. Try again later."),
                "back": _back(request, page),
            },
            status=429,
        )
    feedback.record(page, answer == "yes", request.POST.get("comment", ""))
    # The thanks is in the address, not in the session: the page itself stays the same for
    # everyone, so it can be cached (core/pagecache.py), and the resident still sees it.
    target = _back(request, page).split("#")[0]
    joiner = "&" if "?" in target else "?"
    return HttpResponseRedirect(f"{target}{joiner}feedback=sent#page-feedback")

"""The partner feed's run history in the admin, with "Pull now" (which hands the pull to the
worker: a feed can take minutes, and nothing slow runs inside a web request)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin.auth import permission_denied

from .models import PartnerFeed
from .tasks import pull_feed_now

RUNS_SHOWN = 50


def feed_runs(request: HttpRequest, feed_id: int) -> HttpResponse:
    if not request.user.has_perm("directory.change_partnerfeed"):
        return permission_denied(request)
    feed = get_object_or_404(PartnerFeed, pk=feed_id)
    if request.method == "POST":
        pull_feed_now.enqueue(feed.pk)
        messages.success(
            request,
            _("The pull of %(feed)s has started. Its report appears here when it finishes.")
            % {"feed": feed.name},
        )
        return redirect("directory_feed_runs", feed_id=feed.pk)
    return TemplateResponse(
        request,
        "directory/admin/feed_runs.html",
        {"feed": feed, "runs": feed.runs.all()[:RUNS_SHOWN]},
    )

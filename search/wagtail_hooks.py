"""Search in the Wagtail admin: the synonym list and the search reports."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import api
from .models import OutboxEntry, Synonym

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from django.urls import URLPattern

REPORT_PERMISSION = "search.view_search_reports"
PERIODS = {"7": 7, "30": 30, "90": 90}


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = "Search synonyms"
    menu_name = "search-synonyms"
    add_to_settings_menu = True
    list_display = ["terms", "note"]
    search_fields = ["terms"]


register_snippet(SynonymViewSet)


def search_reports(request: HttpRequest) -> HttpResponse:
    """Top queries, queries that found nothing, and queries whose results nobody chose."""
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    period = request.GET.get("days", "30")
    days = PERIODS.get(period, 30)
    since = timezone.now().date() - timedelta(days=days)
    context: dict[str, Any] = {
        "days": days,
        "periods": PERIODS.values(),
        "top": api.query_report(since)[:50],
        "zero": api.zero_result_queries(since)[:50],
        "unclicked": api.unclicked_queries(since)[:50],
        "waiting": OutboxEntry.objects.count(),
    }
    return render(request, "search/admin/reports.html", context)


@hooks.register("register_admin_urls")
def register_report_urls() -> list[URLPattern]:
    return [path("reports/search/", search_reports, name="search_reports")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_report_menu_item() -> ReportMenuItem:
    return ReportMenuItem(
        "Search queries", reverse("search_reports"), icon_name="search", order=800
    )

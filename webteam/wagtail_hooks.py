"""The web team's tools in the admin: content checks on save, the jargon list and A/B tests."""

import logging

from django.contrib import messages
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.permissions import may_read_reports

from .abtesting.admin import AbTestViewSet, action_view, results_view
from .abtesting.services import end_tests_for_page
from .abtesting.serving import serve_variant
from .models import AbTest, JargonTerm
from .quality import check_page
from .quality.views import webteam_dashboard

_quality_log = logging.getLogger("webteam.quality")
MAX_FINDINGS_SHOWN = 5


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_content_problems(request, page):
    """Show content check findings after saving. Never blocks: publishing has already happened."""
    try:
        findings = check_page(page.specific)
    except Exception:  # a broken check must never stop an editor saving their work
        _quality_log.exception("Content checks failed for page %s", page.pk)
        return
    if not findings:
        return
    shown = "; ".join(f.message for f in findings[:MAX_FINDINGS_SHOWN])
    more = len(findings) - MAX_FINDINGS_SHOWN
    messages.warning(
        request,
        f"Content checks found {len(findings)} thing{'s' if len(findings) > 1 else ''} to look at: {shown}"
        + (f" (and {more} more)." if more > 0 else ""),
    )


@hooks.register("after_edit_page")
def warn_about_running_ab_test(request, page):
    """Editing a page under test is allowed for urgent changes, but the editor should know."""
    if AbTest.objects.filter(page_id=page.pk, status=AbTest.RUNNING).exists():
        messages.warning(
            request,
            "This page is in a running A/B test. Publishing a change ends the test; "
            "start a new test if you still want to compare versions.",
        )


class JargonTermViewSet(SnippetViewSet):
    model = JargonTerm
    icon = "help"
    menu_label = "Jargon list"
    list_display = ["term", "alternative"]
    search_fields = ["term", "alternative"]


register_snippet(JargonTermViewSet)


@hooks.register("after_publish_page")
def end_ab_tests_on_urgent_edit(request, page):
    if end_tests_for_page(page):
        messages.warning(
            request, "The A/B test on this page has ended because you published a change."
        )


@hooks.register("register_admin_urls")
def webteam_admin_urls():
    return [
        path("webteam/", webteam_dashboard, name="webteam_dashboard"),
        path("webteam/ab-tests/<int:pk>/", results_view, name="webteam_ab_test"),
        path("webteam/ab-tests/<int:pk>/action/", action_view, name="webteam_ab_test_action"),
    ]


@hooks.register("register_admin_menu_item")
def webteam_menu_item():
    class ReportsMenuItem(MenuItem):
        def is_shown(self, request):
            return may_read_reports(request.user)

    return ReportsMenuItem(
        "Web team", reverse("webteam_dashboard"), icon_name="doc-full", order=900
    )


@hooks.register("before_serve_page")
def serve_ab_test_variant(page, request, serve_args, serve_kwargs):
    return serve_variant(page, request)


@hooks.register("register_admin_viewset")
def ab_test_viewset():
    return AbTestViewSet("ab_tests")

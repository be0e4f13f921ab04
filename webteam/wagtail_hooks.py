"""The web team's tools in the admin: content checks on save, the jargon list and A/B tests."""

import logging

from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .abtesting import urgent
from .abtesting.admin import (
    AbTestViewSet,
    action_view,
    edit_live_view,
    results_view,
    urgent_publish_view,
)
from .abtesting.services import end_tests_for_page
from .abtesting.serving import serve_variant
from .models import JargonTerm
from .quality import check_page, store_results
from .quality.dashboard import scope_for
from .quality.reviews import LOG_ACTION as MARK_REVIEWED
from .quality.views import mark_reviewed_view, webteam_dashboard

_quality_log = logging.getLogger("webteam.quality")
MAX_FINDINGS_SHOWN = 5


def is_autosave(request):
    """Wagtail's autosave (and any other script) asks for JSON; a person pressing a button, a page.

    The same test as Wagtail's own editing views (``JsonPostResponseMixin.expects_json_response``).
    """
    return not request.accepts("text/html")


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_content_problems(request, page):
    """Show content check findings after a save the editor asked for. Never blocks: publishing
    has already happened.

    Never after an autosave: a message added to an autosave's answer is shown on the next page
    the editor opens, long after the problem may have gone, and one per autosave piles up. The
    editor's Checks side panel shows the latest saved version's findings instead
    (webteam/quality/editor.py).
    """
    if is_autosave(request):
        return
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
        + (f" (and {more} more)." if more > 0 else "")
        + " The Checks panel in the editor lists them all.",
    )


@hooks.register("before_edit_page")
def warn_about_running_ab_test(request, page):
    """Editing a page under test is allowed for urgent changes, but the editor should know, and
    should not be editing version B by mistake (webteam/abtesting/urgent.py)."""
    if request.method != "GET" or is_autosave(request):
        return None
    test = urgent.running_test_for(page)
    if test is None:
        return None
    label = urgent.variant_label_of(test, page.latest_revision_id)
    if label:
        messages.warning(
            request,
            f"You are editing version {label} of the A/B test \u201c{test.name}\u201d, which only "
            "some visitors see. To change what everyone sees now, edit the live version.",
            buttons=[
                messages.button(
                    reverse("webteam_ab_test_edit_live", args=[test.pk]), "Edit the live version"
                )
            ],
        )
    else:
        messages.warning(
            request,
            f"This page is in the A/B test \u201c{test.name}\u201d. When you publish, you will "
            "choose whether to end the test or restart it.",
        )
    return None


@hooks.register("before_publish_page")
def ask_about_running_ab_test(request, page):
    """Publishing a page under test stops at a question: end the test, or restart it.

    The editor's change is already saved as a draft revision; nothing is published until they
    choose (``urgent_publish_view``).
    """
    test = urgent.running_test_for(page)
    if test is None or urgent.variant_label_of(test, page.latest_revision_id):
        return None
    return redirect("webteam_ab_test_urgent_publish", test.pk, page.latest_revision_id)


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
        path(
            "webteam/reviewed/<int:content_type_id>/<int:object_id>/",
            mark_reviewed_view,
            name="webteam_mark_reviewed",
        ),
        path("webteam/ab-tests/<int:pk>/", results_view, name="webteam_ab_test"),
        path("webteam/ab-tests/<int:pk>/action/", action_view, name="webteam_ab_test_action"),
        path(
            "webteam/ab-tests/<int:pk>/edit-live/", edit_live_view, name="webteam_ab_test_edit_live"
        ),
        path(
            "webteam/ab-tests/<int:pk>/publish/<int:revision_id>/",
            urgent_publish_view,
            name="webteam_ab_test_urgent_publish",
        ),
    ]


@hooks.register("register_admin_menu_item")
def webteam_menu_item():
    class ReportsMenuItem(MenuItem):
        """The web team and product owners see the council's; unit editors their unit's."""

        def is_shown(self, request):
            return scope_for(request.user) is not None

    return ReportsMenuItem(
        "Web team", reverse("webteam_dashboard"), icon_name="doc-full", order=900
    )


@hooks.register("register_log_actions")
def register_review_log_action(actions):
    """ "Marked as reviewed" in a page's or form's history, with the next review date."""

    @actions.register_action(MARK_REVIEWED)
    class MarkedReviewed(LogFormatter):
        label = "Mark as reviewed"

        def format_message(self, log_entry):
            next_review = (log_entry.data or {}).get("next_review_by")
            return (
                f"Marked as reviewed; next review by {next_review}"
                if next_review
                else ("Marked as reviewed")
            )


@hooks.register("after_publish_page")
def refresh_stored_findings(request, page):
    """The dashboard's findings for a page follow its publication, not only the nightly run, so
    a fix shows there as soon as it is live."""
    try:
        store_results(page, check_page(page.specific))
    except Exception:  # a broken check must never stop an editor publishing
        _quality_log.exception("Content checks failed for page %s", page.pk)


@hooks.register("before_serve_page")
def serve_ab_test_variant(page, request, serve_args, serve_kwargs):
    return serve_variant(page, request)


@hooks.register("register_admin_viewset")
def ab_test_viewset():
    return AbTestViewSet("ab_tests")

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import AlertBanner, Footer


class AlertBannerViewSet(SnippetViewSet):
    model = AlertBanner
    icon = "warning"
    menu_label = "Alert banners"
    list_display = ["title", "level", "live", "starts_at", "ends_at"]
    list_filter = ["level", "live"]


register_snippet(AlertBannerViewSet)


class FooterViewSet(SnippetViewSet):
    """One footer for each language, translated with wagtail-localize like the pages."""

    model = Footer
    icon = "list-ul"
    menu_label = "Footer"
    list_display = ["__str__", "locale"]


register_snippet(FooterViewSet)


# --- Web team tools: content checks on save, the jargon list and A/B tests ---------------------

import logging  # noqa: E402

from django.contrib import messages  # noqa: E402
from wagtail import hooks  # noqa: E402

from .models import AbTest, JargonTerm  # noqa: E402

_quality_log = logging.getLogger("cms.quality")
MAX_FINDINGS_SHOWN = 5


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_content_problems(request, page):
    """Show content check findings after saving. Never blocks: publishing has already happened."""
    from .quality import check_page

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
    from .abtesting.services import end_tests_for_page

    if end_tests_for_page(page):
        messages.warning(
            request, "The A/B test on this page has ended because you published a change."
        )


@hooks.register("register_admin_urls")
def webteam_admin_urls():
    from django.urls import path

    from .abtesting.admin import action_view, results_view
    from .quality.views import webteam_dashboard
    from .translation_report import translations_report

    return [
        path("webteam/", webteam_dashboard, name="webteam_dashboard"),
        path("webteam/ab-tests/<int:pk>/", results_view, name="webteam_ab_test"),
        path("webteam/ab-tests/<int:pk>/action/", action_view, name="webteam_ab_test_action"),
        path("webteam/translations/", translations_report, name="webteam_translations"),
    ]


@hooks.register("register_admin_menu_item")
def webteam_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    from .quality.views import may_read_reports

    class ReportsMenuItem(MenuItem):
        def is_shown(self, request):
            return may_read_reports(request.user)

    return ReportsMenuItem(
        "Web team", reverse("webteam_dashboard"), icon_name="doc-full", order=900
    )


@hooks.register("register_reports_menu_item")
def translations_report_menu_item():
    """Reports › Translations: what changed in English since it was translated."""
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    from .quality.views import may_read_reports

    class TranslationsMenuItem(MenuItem):
        def is_shown(self, request):
            return may_read_reports(request.user)

    return TranslationsMenuItem(
        _("Translations"), reverse("webteam_translations"), icon_name="globe", order=950
    )


@hooks.register("before_serve_page")
def serve_ab_test_variant(page, request, serve_args, serve_kwargs):
    from .abtesting.serving import serve_variant

    return serve_variant(page, request)


@hooks.register("register_admin_viewset")
def ab_test_viewset():
    from .abtesting.admin import AbTestViewSet

    return AbTestViewSet("ab_tests")


# --- Headless previews: "Get a preview link for apps" in the page editor -----------------------


@hooks.register("register_admin_urls")
def preview_link_admin_urls():
    from django.urls import path

    from .preview import PreviewLinkView

    return [path("preview-link/<int:page_id>/", PreviewLinkView.as_view(), name="cms_preview_link")]


@hooks.register("register_page_header_buttons")
def preview_link_header_button(page, user, view_name, next_url=None):
    from .preview import PreviewLinkMenuItem

    yield PreviewLinkMenuItem(page=page, priority=75)

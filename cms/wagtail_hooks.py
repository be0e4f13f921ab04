from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.columns import yes_no
from core.permissions import may_handle_personal_data, may_read_reports, may_run_operations

from . import operations, privacy
from .models import AlertBanner, Footer
from .preview import PreviewLinkMenuItem, PreviewLinkView
from .translation_report import translations_report


class AlertBannerViewSet(SnippetViewSet):
    model = AlertBanner
    icon = "warning"
    menu_label = "Alert banners"
    list_display = ["title", "level", yes_no("live", "Live"), "starts_at", "ends_at"]
    list_filter = ["level", "live"]


register_snippet(AlertBannerViewSet)


class FooterViewSet(SnippetViewSet):
    """One footer for each language, translated with wagtail-localize like the pages."""

    model = Footer
    icon = "list-ul"
    menu_label = "Footer"
    list_display = ["__str__", "locale"]


register_snippet(FooterViewSet)


# --- Reports › Translations ---------------------------------------------------------------


@hooks.register("register_admin_urls")
def translations_report_urls():
    return [path("webteam/translations/", translations_report, name="webteam_translations")]


@hooks.register("register_reports_menu_item")
def translations_report_menu_item():
    """Reports › Translations: what changed in English since it was translated."""

    class TranslationsMenuItem(MenuItem):
        def is_shown(self, request):
            return may_read_reports(request.user)

    return TranslationsMenuItem(
        _("Translations"), reverse("webteam_translations"), icon_name="globe", order=950
    )


# --- Reports › Operations ------------------------------------------------------------------


@hooks.register("register_admin_urls")
def operations_report_urls():
    return [
        path("reports/operations/", operations.operations_report, name="operations_report"),
        path(
            "reports/operations/messages/<int:message_id>/retry/",
            operations.retry_message,
            name="operations_retry_message",
        ),
        path(
            "reports/operations/messages/retry/",
            operations.retry_all_messages,
            name="operations_retry_all_messages",
        ),
        path(
            "reports/operations/search/retry/",
            operations.retry_parked_changes,
            name="operations_retry_parked",
        ),
    ]


@hooks.register("register_reports_menu_item")
def operations_report_menu_item():
    """Reports › Operations: the queues, failed messages and the periodic jobs."""

    class OperationsMenuItem(MenuItem):
        def is_shown(self, request):
            return may_run_operations(request.user)

    return OperationsMenuItem(
        "Operations", reverse("operations_report"), icon_name="cogs", order=1000
    )


# --- Reports › Residents' data and Reports › Audit trail --------------------------------------


@hooks.register("register_admin_urls")
def privacy_urls():
    return [
        path("reports/residents-data/", privacy.residents_data, name="residents_data"),
        path(
            "reports/residents-data/export/",
            privacy.export_residents_data,
            name="residents_data_export",
        ),
        path(
            "reports/residents-data/erase/",
            privacy.erase_residents_data,
            name="residents_data_erase",
        ),
        path("reports/audit-trail/", privacy.audit_trail, name="audit_trail"),
    ]


class _PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return may_handle_personal_data(request.user)


@hooks.register("register_reports_menu_item")
def residents_data_menu_item():
    """Reports › Residents' data: subject access and erasure, for the central web team."""
    return _PersonalDataMenuItem(
        "Residents' data", reverse("residents_data"), icon_name="user", order=1010
    )


@hooks.register("register_reports_menu_item")
def audit_trail_menu_item():
    """Reports › Audit trail: who looked at, exported, changed or erased residents' data."""
    return _PersonalDataMenuItem(
        "Audit trail", reverse("audit_trail"), icon_name="history", order=1020
    )


# --- Headless previews: "Get a preview link for apps" in the page editor -----------------------


@hooks.register("register_admin_urls")
def preview_link_admin_urls():
    return [path("preview-link/<int:page_id>/", PreviewLinkView.as_view(), name="cms_preview_link")]


@hooks.register("register_page_header_buttons")
def preview_link_header_button(page, user, view_name, next_url=None):
    yield PreviewLinkMenuItem(page=page, priority=75)

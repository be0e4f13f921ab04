from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.permissions import may_read_reports

from .models import AlertBanner, Footer
from .preview import PreviewLinkMenuItem, PreviewLinkView
from .translation_report import translations_report


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


# --- Headless previews: "Get a preview link for apps" in the page editor -----------------------


@hooks.register("register_admin_urls")
def preview_link_admin_urls():
    return [path("preview-link/<int:page_id>/", PreviewLinkView.as_view(), name="cms_preview_link")]


@hooks.register("register_page_header_buttons")
def preview_link_header_button(page, user, view_name, next_url=None):
    yield PreviewLinkMenuItem(page=page, priority=75)

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import AlertBanner


class AlertBannerViewSet(SnippetViewSet):
    model = AlertBanner
    icon = "warning"
    menu_label = "Alert banners"
    list_display = ["title", "level", "live", "starts_at", "ends_at"]
    list_filter = ["level", "live"]


register_snippet(AlertBannerViewSet)

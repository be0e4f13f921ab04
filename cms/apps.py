from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Signpost site"

    def ready(self) -> None:
        # Inside ready(): these modules import models, which need the app registry.
        from eforms.api import register_council_name

        from .models import SiteSettings
        from .search_documents import register_documents

        register_council_name(SiteSettings.council_name_for)
        register_documents()

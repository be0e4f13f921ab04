from django.apps import AppConfig
from django.conf import settings


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django.db.models.signals import post_delete, post_save

        from core.permissions import CENTRAL_WEB_TEAM, PRODUCT_OWNER
        from core.roles import register_model_permissions

        from .models import Synonym
        from .text import forget_synonyms

        post_save.connect(forget_synonyms, sender=Synonym, dispatch_uid="search-synonyms-saved")
        post_delete.connect(forget_synonyms, sender=Synonym, dispatch_uid="search-synonyms-deleted")
        register_model_permissions(
            CENTRAL_WEB_TEAM,
            "search.add_synonym",
            "search.change_synonym",
            "search.delete_synonym",
            "search.view_search_reports",
        )
        register_model_permissions(PRODUCT_OWNER, "search.view_search_reports")
        if getattr(settings, "SEARCH_SYNC_AFTER_REQUEST", settings.DEBUG):
            from .sync import drain_after_request

            request_finished.connect(drain_after_request, dispatch_uid="search-sync-after-request")

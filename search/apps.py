import datetime

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.contrib.search_promotions.models import Query as PromotedQuery
        from wagtail.contrib.search_promotions.models import SearchPromotion

        from core import scheduler
        from core.permissions import CENTRAL_WEB_TEAM, PRODUCT_OWNER
        from core.roles import register_model_permissions

        from .models import Synonym
        from .promotions import forget_promotions
        from .tasks import drain_outbox, flush_search_log, purge_search_logs
        from .text import forget_synonyms

        post_save.connect(forget_synonyms, sender=Synonym, dispatch_uid="search-synonyms-saved")
        post_delete.connect(forget_synonyms, sender=Synonym, dispatch_uid="search-synonyms-deleted")
        for model in (SearchPromotion, PromotedQuery):
            for signal, happened in ((post_save, "saved"), (post_delete, "deleted")):
                signal.connect(
                    forget_promotions,
                    sender=model,
                    dispatch_uid=f"search-promotions-{model.__name__}-{happened}",
                )
        register_model_permissions(
            CENTRAL_WEB_TEAM,
            "search.add_synonym",
            "search.change_synonym",
            "search.delete_synonym",
            "search.view_search_reports",
        )
        register_model_permissions(PRODUCT_OWNER, "search.view_search_reports")
        # Changes are drained as they commit; the sweep applies what an outage left waiting.
        scheduler.register("search-drain", every=datetime.timedelta(seconds=30), task=drain_outbox)
        # Searches are buffered, not written, as they happen (search.analytics).
        scheduler.register(
            "search-log-flush", every=datetime.timedelta(minutes=1), task=flush_search_log
        )
        # What residents searched for is kept for SEARCH_LOG_RETENTION_DAYS, then forgotten.
        scheduler.register(
            "search-log-purge",
            every=datetime.timedelta(days=1),
            at=datetime.time(3, 15),
            task=purge_search_logs,
        )

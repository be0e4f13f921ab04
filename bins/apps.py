import datetime

from django.apps import AppConfig


class BinsConfig(AppConfig):
    name = "bins"
    verbose_name = "Bin collections"

    def ready(self) -> None:
        # Inside ready(): these modules import models, which need the app registry.
        from core import scheduler
        from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR
        from core.roles import register_model_permissions
        from eforms.api import register_address_notice

        from .search_documents import register_documents
        from .tasks import send_reminders
        from .today import missed_bin_notice

        register_documents()
        register_address_notice(missed_bin_notice)
        # Reminders go the evening before: residents put bins out that night or by 7am.
        scheduler.register(
            "bin-reminders",
            every=datetime.timedelta(days=1),
            at=datetime.time(18, 0),
            task=send_reminders,
        )
        everything = [
            f"bins.{action}_{model}"
            for model in ("collectionround", "collectionchange", "bankholiday")
            for action in ("add", "change", "delete")
        ]
        register_model_permissions(CENTRAL_WEB_TEAM, *everything)
        register_model_permissions(DELIVERY_UNIT_EDITOR, *everything)

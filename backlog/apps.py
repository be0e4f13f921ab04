import datetime

from django.apps import AppConfig


class BacklogConfig(AppConfig):
    name = "backlog"
    verbose_name = "Product owners' backlog"

    def ready(self) -> None:
        # Inside ready(): core.roles imports auth and Wagtail models, which need the app registry.
        from core import privacy, scheduler
        from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER
        from core.roles import register_model_permissions

        from .retention import SOURCE
        from .tasks import purge_page_feedback

        privacy.register(SOURCE)
        scheduler.register(
            "page-feedback-purge",
            every=datetime.timedelta(days=1),
            at=datetime.time(3, 30),
            task=purge_page_feedback,
        )

        # Product owners change stories (only their own unit's: see backlog.stories.can_edit_story)
        # and read the evidence; editors and the web team read stories. Residents get nothing.
        register_model_permissions(
            PRODUCT_OWNER,
            "backlog.view_userstory",
            "backlog.add_userstory",
            "backlog.change_userstory",
            "backlog.view_pagefeedback",
            "backlog.view_demandrecord",
            # Uploading contact figures, for their own units only (backlog.uploads).
            "backlog.add_demandrecord",
            "backlog.change_demandrecord",
        )
        register_model_permissions(DELIVERY_UNIT_EDITOR, "backlog.view_userstory")
        register_model_permissions(
            CENTRAL_WEB_TEAM,
            "backlog.view_userstory",
            "backlog.view_pagefeedback",
            "backlog.view_demandrecord",
        )

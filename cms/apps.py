from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Signpost site"

    def ready(self) -> None:
        from eforms.notifications import register_council_name

        from .abtesting.receivers import connect as connect_ab_test_goals
        from .models import SiteSettings
        from .roles import CENTRAL_WEB_TEAM, ensure_roles_after_migrate, register_model_permissions
        from .search_documents import register_documents

        post_migrate.connect(ensure_roles_after_migrate, sender=self)
        register_council_name(SiteSettings.council_name_for)
        register_documents()
        connect_ab_test_goals()
        register_model_permissions(
            CENTRAL_WEB_TEAM,
            "cms.add_abtest",
            "cms.change_abtest",
            "cms.delete_abtest",
            "cms.add_jargonterm",
            "cms.change_jargonterm",
            "cms.delete_jargonterm",
        )

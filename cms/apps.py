from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Signpost site"

    def ready(self):
        from .roles import ensure_roles_after_migrate

        from .search_documents import register_documents

        post_migrate.connect(ensure_roles_after_migrate, sender=self)
        register_documents()

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Signpost core"

    def ready(self) -> None:
        from .roles import ensure_roles_after_migrate  # roles imports models: not before ready()

        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="signpost-ensure-roles")

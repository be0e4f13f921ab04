import datetime

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Service directory"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from core import privacy, scheduler
        from core.permissions import (
            CENTRAL_WEB_TEAM,
            DELIVERY_UNIT_EDITOR,
            PRODUCT_OWNER,
            TRANSLATOR,
            OwnedModelPermissionPolicy,
        )
        from core.roles import register_model_permissions

        from . import page_dependencies
        from .models import Service
        from .retention import SOURCE
        from .search_documents import register_documents
        from .tasks import pull_due_feeds, purge_problem_reports

        register_documents()
        page_dependencies.register()
        privacy.register(SOURCE)
        scheduler.register(
            "problem-reports-purge",
            every=datetime.timedelta(days=1),
            at=datetime.time(3, 10),
            task=purge_problem_reports,
        )
        scheduler.register(
            "partner-feeds", every=datetime.timedelta(minutes=10), task=pull_due_feeds
        )
        # Delivery-unit editors change only their own unit's services (core.permissions).
        register_permission_policy(
            Service, OwnedModelPermissionPolicy(Service, owner_field="owner")
        )
        everything = [
            f"directory.{action}_{model}"
            for model in (
                "organization",
                "service",
                "location",
                "taxonomy",
                "taxonomyterm",
                "directoryview",
                "listingproblem",
                "servicetext",
                "partnerfeed",
            )
            for action in ("add", "change", "delete")
        ]
        register_model_permissions(
            CENTRAL_WEB_TEAM,
            *everything,
            "directory.publish_service",
            "directory.lock_service",
            "directory.unlock_service",
        )
        # Services' words are translated through their ServiceText (directory/translation.py).
        register_model_permissions(
            TRANSLATOR, "directory.change_servicetext", "directory.add_servicetext"
        )
        register_model_permissions(
            DELIVERY_UNIT_EDITOR,
            "directory.add_organization",
            "directory.change_organization",
            "directory.add_service",
            "directory.change_service",
            "directory.add_location",
            "directory.change_location",
            "directory.change_listingproblem",
            "directory.add_servicetext",
            "directory.change_servicetext",
        )
        register_model_permissions(
            PRODUCT_OWNER, "directory.view_service", "directory.view_listingproblem"
        )

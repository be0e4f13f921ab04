from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Service directory"

    def ready(self):
        from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER
        from core.roles import register_model_permissions

        from .search_documents import register_documents

        register_documents()
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
            )
            for action in ("add", "change", "delete")
        ]
        register_model_permissions(CENTRAL_WEB_TEAM, *everything)
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

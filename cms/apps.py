from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Signpost site"

    def ready(self) -> None:
        # Inside ready(): the search documents module imports the page models.
        from .search_documents import register_documents

        register_documents()

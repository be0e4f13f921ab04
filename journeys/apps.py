from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "journeys"
    verbose_name = "Journeys"

    def ready(self) -> None:
        # Inside ready(): these modules import models, which need the app registry.
        from eforms.api import register_signpost_provider

        from .api import signposts_for_form
        from .search_documents import register_documents

        register_documents()
        register_signpost_provider(signposts_for_form)

from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "journeys"
    verbose_name = "Journeys"

    def ready(self) -> None:
        # Inside ready(): these modules import models, which need the app registry.
        from taggit.models import Tag

        from core import pagecache
        from eforms.api import register_signpost_provider

        from .api import signposts_for_form
        from .search_documents import register_documents

        register_documents()
        # Journeys show their topics; a renamed topic purges every page that showed one.
        pagecache.register(Tag, each=False)
        register_signpost_provider(signposts_for_form)

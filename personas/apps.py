from django.apps import AppConfig


class PersonasConfig(AppConfig):
    name = "personas"
    verbose_name = "Personas"

    def ready(self) -> None:
        # Inside ready(): the labels module imports models, which need the app registry.
        from core import pagecache
        from search.api import register_persona_labeller

        from .labels import resident_labels
        from .models import Persona

        pagecache.register(Persona)

        # Search's persona filters name personas as residents know them.
        register_persona_labeller(resident_labels)

from django.apps import AppConfig


class PersonasConfig(AppConfig):
    name = "personas"
    verbose_name = "Personas"

    def ready(self) -> None:
        # Inside ready(): the labels module imports models, which need the app registry.
        from search.api import register_persona_labeller

        from .labels import resident_labels

        # Search's persona filters name personas as residents know them.
        register_persona_labeller(resident_labels)

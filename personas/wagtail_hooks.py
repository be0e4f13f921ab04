from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.models import DeliveryUnit

from .models import Persona


class PersonaViewSet(SnippetViewSet):
    model = Persona
    icon = "group"
    list_display = ["name", "intent", "order"]
    search_fields = ["name", "intent"]


class DeliveryUnitViewSet(SnippetViewSet):
    model = DeliveryUnit
    icon = "folder-open-inverse"
    list_display = ["name", "contact_email", "contact_phone"]
    search_fields = ["name"]


class PeopleAndOwnersGroup(SnippetViewSetGroup):
    menu_label = "Personas & units"
    menu_icon = "group"
    items = (PersonaViewSet, DeliveryUnitViewSet)


register_snippet(PeopleAndOwnersGroup)

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_urls
from .backlog import can_view_stories
from .models import DeliveryUnit, Persona


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


# --- The product owners' backlog ------------------------------------------------------


@hooks.register("register_admin_urls")
def register_backlog_urls():
    return [path("backlog/", include(admin_urls, namespace="personas_backlog"))]


class BacklogMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_stories(request.user)


@hooks.register("register_admin_menu_item")
def backlog_menu_item():
    return BacklogMenuItem(
        "Backlog", reverse("personas_backlog:index"), icon_name="list-ol", order=260
    )

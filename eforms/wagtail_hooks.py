"""Forms and lookup lists as snippets; the submissions inbox and statistics in the admin menu."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.columns import yes_no
from core.create_once import CreateOnceView
from core.permissions import user_may_edit_owned

from . import admin_urls
from .models import FormDefinition, LookupList


class FormDefinitionViewSet(SnippetViewSet):
    model = FormDefinition
    add_view_class = CreateOnceView  # autosave must not make a second form
    icon = "form"
    menu_label = "Forms"
    list_display = ["title", "slug", "delivery_unit", yes_no("live", "Live")]
    list_filter = ["delivery_unit", "live"]
    search_fields = ["title", "purpose"]


class LookupListViewSet(SnippetViewSet):
    model = LookupList
    icon = "list-ul"
    menu_label = "Lookup lists"
    list_display = ["name", "slug"]


class FormsGroup(SnippetViewSetGroup):
    menu_label = "Forms"
    menu_icon = "form"
    items = (FormDefinitionViewSet, LookupListViewSet)


register_snippet(FormsGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("submissions/", include(admin_urls, namespace="eforms_admin"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, perm, **kwargs):
        super().__init__(*args, **kwargs)
        self.perm = perm

    def is_shown(self, request):
        return request.user.has_perm(self.perm)


@hooks.register("register_admin_menu_item")
def submissions_menu_item():
    return PermissionMenuItem(
        "Requests inbox",
        reverse("eforms_admin:inbox"),
        icon_name="tasks",
        order=250,
        perm="eforms.view_submission",
    )


@hooks.register("register_admin_menu_item")
def statistics_menu_item():
    return PermissionMenuItem(
        "Form statistics",
        reverse("eforms_admin:statistics"),
        icon_name="view",
        order=260,
        perm="eforms.view_submission_statistics",
    )


@hooks.register("before_edit_snippet")
def only_owners_edit_forms(request, instance):
    """Delivery-unit editors change only their own unit's forms."""
    if isinstance(instance, FormDefinition) and not user_may_edit_owned(request.user, instance):
        raise PermissionDenied

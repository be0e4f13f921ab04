"""The product owners' backlog in the admin: its pages and its menu item."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .stories import can_view_stories


@hooks.register("register_admin_urls")
def register_backlog_urls():
    return [path("backlog/", include(admin_urls, namespace="backlog_admin"))]


class BacklogMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_stories(request.user)


@hooks.register("register_admin_menu_item")
def backlog_menu_item():
    return BacklogMenuItem(
        "Backlog", reverse("backlog_admin:index"), icon_name="list-ol", order=260
    )

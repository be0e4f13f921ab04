"""Core's admin hooks.

The owner rule in the snippet views: Wagtail's edit and delete views ask the permission
policy about the model only, so they ask about the object here, before anything is shown or
saved (the revert view is an edit view and comes through here too).

The second step for signing in (core/mfa.py): its pages are admin URLs, so Wagtail asks for a
signed-in member of staff before any of them.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import URLPattern, path
from wagtail import hooks
from wagtail.permissions import policy_registry

from . import pagecache
from .permissions import OwnedModelPermissionPolicy
from .views import mfa as mfa_views


def _refuse_unless_owner(request: HttpRequest, instance: Any, action: str) -> None:
    policy = policy_registry.get_by_type(type(instance))
    if isinstance(policy, OwnedModelPermissionPolicy) and not (
        policy.user_has_permission_for_instance(request.user, action, instance)
    ):
        raise PermissionDenied


@hooks.register("before_edit_snippet")  # type: ignore[untyped-decorator]
def only_owners_edit(request: HttpRequest, instance: Any) -> None:
    _refuse_unless_owner(request, instance, "change")


@hooks.register("before_delete_snippet")  # type: ignore[untyped-decorator]
def only_owners_delete(request: HttpRequest, instances: Any) -> None:
    for instance in instances:
        _refuse_unless_owner(request, instance, "delete")


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def second_step_urls() -> list[URLPattern]:
    return [
        path("second-step/", mfa_views.verify, name="signpost_mfa_verify"),
        path("second-step/set-up/", mfa_views.set_up, name="signpost_mfa_set_up"),
        path("second-step/backup-codes/", mfa_views.backup_codes, name="signpost_mfa_backup_codes"),
        path("second-step/reset/<str:pk>/", mfa_views.reset, name="signpost_mfa_reset"),
    ]


@hooks.register("before_serve_page")  # type: ignore[untyped-decorator]
def _page_depends_on_itself(page: Any, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
    """The page cache's record of what this page shows starts with the page (core/pagecache.py)."""
    pagecache.serving_page(page)

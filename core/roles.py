"""The three staff roles and the moderation workflow, kept in code so every site has them.

- Central web team: edit and publish anything.
- Delivery unit editor: edit their own delivery unit's pages (see core.permissions);
  publishing goes through the "Web team approval" workflow.
- Product owner: backlog and reports; no page editing or publishing.

``ensure_roles`` is idempotent and runs after every ``migrate``.
"""

from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage

from .permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER

WORKFLOW_NAME = "Web team approval"

# Model permissions by role, as "app_label.codename". Apps added later append theirs here.
MODEL_PERMISSIONS = {
    CENTRAL_WEB_TEAM: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.delete_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
        "cms.change_sitesettings",
        "cms.add_alertbanner",
        "cms.change_alertbanner",
        "cms.delete_alertbanner",
        "cms.add_footer",
        "cms.change_footer",
        "personas.add_persona",
        "personas.change_persona",
        "core.add_deliveryunit",
        "core.change_deliveryunit",
        "wagtailsearchpromotions.add_query",
        "wagtailsearchpromotions.change_query",
        "wagtailsearchpromotions.delete_query",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
    ],
    DELIVERY_UNIT_EDITOR: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
    ],
    PRODUCT_OWNER: [
        "wagtailadmin.access_admin",
    ],
}

PAGE_PERMISSIONS = {
    CENTRAL_WEB_TEAM: [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
    DELIVERY_UNIT_EDITOR: ["add_page", "change_page"],
    PRODUCT_OWNER: [],
}


def register_model_permissions(role: str, *perms: str) -> None:
    """Let another app add its permissions to a role (called from its AppConfig.ready)."""
    for perm in perms:
        if perm not in MODEL_PERMISSIONS[role]:
            MODEL_PERMISSIONS[role].append(perm)


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """Create the three roles with their permissions and the approval workflow (idempotent)."""
    root = Page.get_first_root_node()
    groups: dict[str, Group] = {}
    for role, perms in MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        groups[role] = group
        wanted = [p for p in (_permission(d) for d in perms) if p is not None]
        group.permissions.add(*wanted)
        if root is None:
            continue
        for codename in PAGE_PERMISSIONS[role]:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    if root is not None:
        _ensure_workflow(root, groups[CENTRAL_WEB_TEAM])
    return groups


def _ensure_workflow(root: Page, approvers: Group) -> None:
    task, _ = GroupApprovalTask.objects.get_or_create(name="Web team review")
    task.groups.add(approvers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.workflow_tasks.filter(task=task).exists():
        workflow.workflow_tasks.create(task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def ensure_roles_after_migrate(app_config: AppConfig, **kwargs: Any) -> None:
    """Run once per ``migrate``, after the last app's, when every app's permissions exist.

    ``post_migrate`` is sent once per installed app, in order, and Django creates each app's
    permissions in its own turn; the roles need all of them, so they wait for the last app.
    """
    if app_config is list(apps.get_app_configs())[-1]:
        ensure_roles()

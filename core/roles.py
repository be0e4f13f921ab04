"""The staff roles and the moderation workflow, kept in code so every site has them.

- Central web team: edit, publish and translate anything; approves everyone else's changes.
- Delivery unit editor: create and edit their own delivery unit's pages, forms and services
  (see core.permissions); nothing of theirs goes live until the web team approves it.
- Product owner: backlog and reports; no page editing or publishing.
- Translator (optional): translates pages, forms and services' words; like an editor, their
  translations go live only when the web team approves them.

One workflow, "Web team approval", with one task, "Web team review" (a group approval task
for the central web team), is applied to the whole page tree and to every snippet model that
can be moderated (forms and services). One workflow rather than one per unit: the council's
web team is the one group that reviews, and a per-unit workflow would leave a new unit
unmoderated until someone made one for it.

``ensure_roles`` is idempotent and runs after every ``migrate``, so it also repairs a site whose
workflow lost its task, and folds Wagtail's stock "Editors" and "Moderators" groups into these
roles.
"""

from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowMixin,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.snippets.models import get_snippet_models

from .permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER, TRANSLATOR

WORKFLOW_NAME = "Web team approval"
TASK_NAME = "Web team review"

# Wagtail's migrations make these two groups with rights over the whole tree. Their members
# join the Signpost role that does the same job, and the groups go.
STOCK_GROUPS = {"Moderators": CENTRAL_WEB_TEAM, "Editors": DELIVERY_UNIT_EDITOR}

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
        # What Wagtail's "Promoted search results" menu and views ask for.
        "wagtailsearchpromotions.add_searchpromotion",
        "wagtailsearchpromotions.change_searchpromotion",
        "wagtailsearchpromotions.delete_searchpromotion",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
        "wagtail_localize.submit_translation",
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
    TRANSLATOR: [
        "wagtailadmin.access_admin",
        "wagtailimages.choose_image",
        "wagtaildocs.choose_document",
        "wagtail_localize.submit_translation",
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
    # wagtail-localize makes a translation by adding the page in the other locale's tree.
    TRANSLATOR: ["add_page", "change_page"],
}


def register_model_permissions(role: str, *perms: str) -> None:
    """Let another app add its permissions to a role (called from its AppConfig.ready)."""
    for perm in perms:
        if perm not in MODEL_PERMISSIONS[role]:
            MODEL_PERMISSIONS[role].append(perm)


def _permissions() -> dict[str, Permission]:
    """Every permission the roles name, by "app_label.codename", read in one statement (it runs
    after every ``migrate``); one that does not exist (yet) is missing from it."""
    codenames = {dotted.split(".")[1] for perms in MODEL_PERMISSIONS.values() for dotted in perms}
    return {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.filter(codename__in=codenames).select_related(
            "content_type"
        )
    }


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """Create the roles with their permissions and the approval workflow (idempotent)."""
    root = Page.get_first_root_node()
    groups: dict[str, Group] = {}
    known = _permissions()
    for role, perms in MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        groups[role] = group
        group.permissions.add(*[known[dotted] for dotted in perms if dotted in known])
        if root is None:
            continue
        for codename in PAGE_PERMISSIONS[role]:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    _retire_stock_groups(groups)
    ensure_workflow(groups[CENTRAL_WEB_TEAM], root)
    return groups


def _retire_stock_groups(groups: dict[str, Group]) -> None:
    """Move the members of Wagtail's "Editors" and "Moderators" into Signpost's roles, then
    delete the groups: left alone, their tree-wide rights would bypass the owner rule. Their
    image and document rights per collection move with their members (Wagtail grants those per
    collection), so an upgrade never takes away an editor's images."""
    for name, role in STOCK_GROUPS.items():
        stock = Group.objects.filter(name=name).first()
        if stock is None:
            continue
        groups[role].user_set.add(*stock.user_set.all())
        for grant in GroupCollectionPermission.objects.filter(group=stock):
            GroupCollectionPermission.objects.get_or_create(
                group=groups[role], collection_id=grant.collection_id, permission=grant.permission
            )
        stock.delete()


def ensure_workflow(approvers: Group, root: Page | None = None) -> Workflow:
    """The one approval workflow, with its one review task, applied to the page tree and to
    every snippet model that can be moderated. Repairs a workflow that lost its task."""
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.add(approvers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    # Through the model's own manager: ``workflow.workflow_tasks`` is a modelcluster relation
    # whose ``create`` only adds to the unsaved cluster, so the link was never stored.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    for model in get_snippet_models():
        if issubclass(model, WorkflowMixin):
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            WorkflowContentType.objects.update_or_create(
                content_type=content_type, defaults={"workflow": workflow}
            )
    return workflow


def ensure_roles_after_migrate(app_config: AppConfig, **kwargs: Any) -> None:
    """Run once per ``migrate``, after the last app's, when every app's permissions exist.

    ``post_migrate`` is sent once per installed app, in order, and Django creates each app's
    permissions in its own turn; the roles need all of them, so they wait for the last app.

    Not after a ``migrate`` that leaves the database short of the code (taking a release back
    with ``migrate <app> <migration>``, or applying only part of the way): the roles are made
    from the code's models, and granting them there would make content types and permissions
    for models whose tables are not yet (or no longer) there, which the next upgrade then
    trips over. The ``migrate`` that completes the database sets the roles up.
    """
    if app_config is not list(apps.get_app_configs())[-1]:
        return
    if not fully_migrated(kwargs.get("using", DEFAULT_DB_ALIAS)):
        return
    ensure_roles()


def fully_migrated(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether every migration the code has is applied to the database ``using``."""
    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())

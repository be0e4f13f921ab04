"""Rows the demo leaves out, added to the *baseline* database before the upgrade test migrates it.

Why: the upgrade test proves that moving models between apps keeps every row, and a table
with no rows proves nothing. ``load_demo`` leaves six of the moved models' tables empty
(story changes, page feedback, content check results, A/B tests with their variants and
participants) and gives no delivery unit a member, so this adds one or two of each, plus a
log entry and a user permission that point at a moved model's content type (what a content
type rename must keep pointing at).

This runs in the baseline checkout's process (see tests/harness/django_steps.py), against
the baseline's models. That is why models are looked up by their baseline app label through
the app registry rather than imported: after the move, this tree's ``personas.models`` no
longer has them, but the baseline's still does.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from wagtail.models import ModelLogEntry, Page


@transaction.atomic
def seed() -> None:
    """Add the rows; the test's own guard checks afterwards that no moved table is empty."""
    delivery_unit_model = apps.get_model("personas", "DeliveryUnit")
    story_model = apps.get_model("personas", "UserStory")
    admin = get_user_model().objects.get(username="admin")
    unit = delivery_unit_model.objects.order_by("pk").first()
    story = story_model.objects.order_by("pk").first()
    page = (
        Page.objects.filter(depth__gt=2, latest_revision__isnull=False)
        .order_by("pk")
        .specific()
        .first()
    )

    unit.members.add(admin)
    apps.get_model("personas", "StoryChange").objects.create(
        story=story,
        user=admin,
        reason="Upgrade test: a change with a reason.",
        changes={"status": ["backlog", "in_progress"]},
    )
    apps.get_model("personas", "PageFeedback").objects.create(
        page=page, useful=False, comment="Upgrade test: not useful."
    )
    apps.get_model("cms", "ContentCheckResult").objects.create(
        page=page,
        delivery_unit=unit,
        code="upgrade-test",
        severity="warning",
        message="Upgrade test: a finding.",
    )
    ab_test = apps.get_model("cms", "AbTest").objects.create(
        name="Upgrade test", page=page, goal_type="reach-page", goal_page=page, status="finished"
    )
    variant_model = apps.get_model("cms", "AbTestVariant")
    variant_model.objects.create(test=ab_test, label="A", visitors=10, conversions=2)
    variant_model.objects.create(
        test=ab_test, label="B", revision=page.latest_revision, visitors=10, conversions=3
    )
    apps.get_model("cms", "AbTestParticipant").objects.create(
        test=ab_test, visitor_hash="0" * 64, label="B", converted=True
    )

    ModelLogEntry.objects.log_action(unit, "wagtail.edit", user=admin)
    admin.user_permissions.add(
        Permission.objects.get(content_type__app_label="personas", codename="change_userstory")
    )

"""Urgent changes to a page under test: edit what residents see now, and decide what the test does.

While a test runs, the page's newest revision is usually variant B's draft, so opening the editor
used to open B: an urgent fix published the untested version and silently cancelled the test.
Now:

- ``start_from_live`` makes a new draft from the live revision, so the editor opens what residents
  see. B's revision is untouched and still served to B's visitors (``AbTestVariant.revision``).
- Publishing while the test runs stops at a question (the ``before_publish_page`` hook sends the
  editor to ``webteam_ab_test_urgent_publish``): **end the test** (the change goes live, the test
  stops and keeps its counts) or **restart the test** (the change goes live as the new version A;
  the old test is kept, cancelled, with its counts, and a new one starts from zero with the same
  variants, goal and split). ``publish_urgent_change`` does either in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision

from webteam.models import AbTest, AbTestVariant

from .services import start_test

if TYPE_CHECKING:
    from django.contrib.auth.models import User

END = "end"
RESTART = "restart"
CHOICES = {
    END: "Publish and end the test",
    RESTART: "Publish and restart the test",
}


def running_test_for(page: Page) -> AbTest | None:
    return AbTest.objects.filter(page_id=page.pk, status=AbTest.RUNNING).first()


def variant_label_of(test: AbTest, revision_id: int | None) -> str | None:
    """The label (B, C...) whose draft is this revision, or None."""
    if revision_id is None:
        return None
    variant = test.variants.filter(revision_id=revision_id).first()
    return variant.label if variant else None


def start_from_live(page: Page, user: User) -> Revision:
    """A new draft of ``page`` copied from its live revision; the variants' drafts stay as they are."""
    page = Page.objects.get(pk=page.pk)
    if page.live_revision is None:
        raise ValidationError("This page has no published version to start from.")
    live = page.live_revision.as_object()
    revision: Revision = live.save_revision(user=user, log_action=True)
    return revision


def publish_urgent_change(
    test: AbTest, revision: Revision, choice: str, user: User | None = None
) -> AbTest | None:
    """Publish ``revision`` of the page under test, then end or restart the test.

    Returns the new running test after a restart, None after ending. All or nothing: if the new
    test cannot start, the change is not published either.
    """
    if choice not in CHOICES:
        raise ValidationError("Choose whether to end the test or restart it.")
    if int(revision.object_id) != test.page_id:
        raise ValidationError("That version belongs to another page.")
    if variant_label_of(test, revision.pk):
        raise ValidationError(
            "That version is one of the test's variants. Use “Publish the winner” on the test "
            "to publish a variant."
        )
    with transaction.atomic():
        locked = AbTest.objects.select_for_update().get(pk=test.pk)
        if locked.status != AbTest.RUNNING:
            raise ValidationError("The test is no longer running. Publish the page as usual.")
        locked.status, locked.ended_at = AbTest.CANCELLED, timezone.now()
        locked.save(update_fields=["status", "ended_at"])
        revision.publish(user=user)
        if choice == END:
            return None
        again = AbTest.objects.create(
            name=locked.name,
            hypothesis=locked.hypothesis,
            page_id=locked.page_id,
            goal_type=locked.goal_type,
            goal_page_id=locked.goal_page_id,
            goal_target=locked.goal_target,
            control_share=locked.control_share,
            minimum_detectable_effect=locked.minimum_detectable_effect,
        )
        AbTestVariant.objects.create(test=again, label="A")
        for variant in locked.variants.exclude(label="A").order_by("label"):
            AbTestVariant.objects.create(test=again, label=variant.label, revision=variant.revision)
        return start_test(again)

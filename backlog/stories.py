"""What product owners do with the backlog: rank it, change stories with a reason, see coverage.

Kept apart from the views so the rules are plain functions the tests and the CSV export share.
"""

from django.db import transaction

from core.models import DeliveryUnit
from personas.models import Persona

from .models import StoryChange, UserStory

TRACKED_FIELDS = [
    "delivery_unit",
    "persona",
    "story",
    "success_factors",
    "status",
    "moscow",
    "benefit_residents",
    "benefit_borough",
    "benefit_council",
    "demand",
    "effort",
    "manual_rank",
    "manual_rank_reason",
    "form_slugs",
    "key_phrases",
    "owner",
]


# --- Ranking --------------------------------------------------------------------------


def rank_stories(stories):
    """Stories in backlog order: by score, with manually ranked stories pinned at their place.

    A manual rank of 1 puts a story first whatever its score; two stories pinned to the same
    place keep their score order.
    """
    stories = list(stories)
    pinned = sorted(
        (s for s in stories if s.manual_rank),
        key=lambda s: (s.manual_rank, -s.priority_score, s.pk),
    )
    ranked = sorted(
        (s for s in stories if not s.manual_rank), key=lambda s: (-s.priority_score, s.pk)
    )
    for story in pinned:
        ranked.insert(min(story.manual_rank - 1, len(ranked)), story)
    return ranked


def backlog(unit=None, persona=None, status=None, moscow=None):
    """The ranked backlog, filtered by delivery unit, persona, status and MoSCoW (slugs or values)."""
    stories = UserStory.objects.select_related("delivery_unit", "persona", "owner")
    if unit:
        stories = stories.filter(delivery_unit__slug=getattr(unit, "slug", unit))
    if persona:
        stories = stories.filter(persona__slug=getattr(persona, "slug", persona))
    if status:
        stories = stories.filter(status=status)
    if moscow:
        stories = stories.filter(moscow=moscow)
    return rank_stories(stories)


# --- Who may do what ------------------------------------------------------------------


def can_view_stories(user):
    """Product owners and editors read every story; residents (and anyone else) never see them."""
    return user.is_authenticated and user.is_active and user.has_perm("backlog.view_userstory")


def can_edit_story(user, story=None, unit=None):
    """Product owners change their own delivery unit's stories (superusers change any).

    With no story or unit: whether the user may change stories of at least one unit.
    """
    if not (user.is_authenticated and user.is_active and user.has_perm("backlog.change_userstory")):
        return False
    if user.is_superuser:
        return True
    unit_id = story.delivery_unit_id if story is not None else getattr(unit, "pk", unit)
    if unit_id is None:
        return user.delivery_units.exists()
    return user.delivery_units.filter(pk=unit_id).exists()


def editable_unit_ids(user):
    if user.is_superuser:
        return set(DeliveryUnit.objects.values_list("pk", flat=True))
    if not can_edit_story(user):
        return set()
    return set(user.delivery_units.values_list("pk", flat=True))


# --- Changing stories, with history ---------------------------------------------------


def _value(story, field):
    """A field's value as JSON can hold it (foreign keys as their ids)."""
    return getattr(story, story._meta.get_field(field).attname)


@transaction.atomic
def update_story(user_story, user, reason="", /, **fields):
    """Change a story and record who changed what and why, in one transaction."""
    changes = {}
    for field, new in fields.items():
        old = _value(user_story, field)
        setattr(user_story, field, new)
        now = _value(user_story, field)
        if old != now:
            changes[field] = [old, now]
    if not changes:
        return None
    user_story.save()
    return StoryChange.objects.create(story=user_story, user=user, reason=reason, changes=changes)


@transaction.atomic
def create_story(user, reason="Created", /, **fields):
    story = UserStory.objects.create(**fields)
    StoryChange.objects.create(
        story=story,
        user=user,
        reason=reason,
        changes={
            f: [None, _value(story, f)]
            for f in TRACKED_FIELDS
            if _value(story, f) not in (None, "")
        },
    )
    return story


def set_manual_rank(story, user, rank, reason):
    """Pin a story at a place in the backlog (or unpin it with rank None), recording who and why."""
    if rank is not None and rank < 1:
        raise ValueError("Rank must be 1 or more")
    if not reason.strip():
        raise ValueError("Enter why you are changing the rank")
    return update_story(
        story, user, reason, manual_rank=rank, manual_rank_by=user, manual_rank_reason=reason
    )


# --- Coverage -------------------------------------------------------------------------


def is_delivered(story):
    """A story counts as delivered when a live journey or page linked to it is published."""
    return story.pages.filter(live=True).exists()


def coverage():
    """[{"persona", "delivered": [stories], "not_delivered": [stories]}] for every persona."""
    live_ids = set(
        UserStory.objects.filter(pages__live=True).values_list("pk", flat=True).distinct()
    )
    result = []
    for persona in Persona.objects.all():
        stories = rank_stories(persona.stories.select_related("delivery_unit"))
        result.append(
            {
                "persona": persona,
                "total": len(stories),
                "delivered": [s for s in stories if s.pk in live_ids],
                "not_delivered": [s for s in stories if s.pk not in live_ids],
            }
        )
    return result

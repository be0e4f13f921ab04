"""Content reviews: "mark as reviewed" without changing the content, and the weekly reminder to units.

An owner who checks a page or form and finds it still right should not have to make a pretend
edit (and send it through approval) to move its review date. ``mark_reviewed`` moves the date
on the object, on its translations (which share the date) and in its live and latest revisions
(so the next save from the editor keeps the new date rather than putting back the old one), and
logs who did it and when as a ``webteam.mark_reviewed`` entry in the object's history.

Every week the worker's ``review-reminders`` job (``webteam.tasks.send_review_reminders``)
writes one email per delivery unit to the unit's contact address, listing what is overdue and
what is due in the next 30 days, with a link to each editor. The emails go through the outbox
(``eforms.api.queue_staff_email``), so a mail relay that is down delays them and loses none.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.log_actions import log
from wagtail.models import Page, RevisionMixin, TranslatableMixin

from core.models import DeliveryUnit, OwnedMixin
from eforms.api import queue_staff_email

from .dashboard import DUE_SOON_DAYS, Filters, Scope, kind_of, reviewable

logger = logging.getLogger("webteam.reviews")

LOG_ACTION = "webteam.mark_reviewed"
DEFAULT_NEXT_REVIEW = datetime.timedelta(days=365)
LONGEST_NEXT_REVIEW = datetime.timedelta(days=3 * 365)


def default_next_review(today: datetime.date | None = None) -> datetime.date:
    return (today or datetime.date.today()) + DEFAULT_NEXT_REVIEW


def validate_next_review(next_review: datetime.date, today: datetime.date | None = None) -> None:
    today = today or datetime.date.today()
    if next_review <= today:
        raise ValidationError("Choose a next review date after today.")
    if next_review > today + LONGEST_NEXT_REVIEW:
        raise ValidationError("Choose a next review date within the next 3 years.")


def _copies(obj: OwnedMixin) -> list[OwnedMixin]:
    """The object and its translations: they share one review date."""
    if isinstance(obj, TranslatableMixin):
        model = obj.specific_class if isinstance(obj, Page) else type(obj)
        return list(model.objects.filter(translation_key=obj.translation_key))
    return [obj]


def _move_date_in_revisions(obj: OwnedMixin, values: dict[str, str]) -> None:
    if not isinstance(obj, RevisionMixin):
        return
    revision_ids = {obj.latest_revision_id, getattr(obj, "live_revision_id", None)} - {None}
    for revision in obj.revisions.filter(pk__in=revision_ids):
        revision.content = {**revision.content, **values}
        revision.save(update_fields=["content"])


def mark_reviewed(
    obj: OwnedMixin, user, next_review: datetime.date, today: datetime.date | None = None
) -> None:
    """Record that ``user`` checked ``obj`` today and move its next review to ``next_review``.

    The content is not touched and nothing is published: what residents see stays as it is.
    """
    today = today or timezone.localdate()
    validate_next_review(next_review, today)
    previous = obj.review_by
    with transaction.atomic():
        for copy in _copies(obj):
            fields = {"review_by": next_review}
            if hasattr(copy, "last_reviewed"):  # journeys show residents when they were checked
                fields["last_reviewed"] = today
            type(copy).objects.filter(pk=copy.pk).update(**fields)
            _move_date_in_revisions(copy, {k: v.isoformat() for k, v in fields.items()})
        obj.review_by = next_review
        log(
            obj,
            LOG_ACTION,
            user=user,
            data={
                "previous_review_by": previous.isoformat() if previous else None,
                "next_review_by": next_review.isoformat(),
            },
        )


def may_mark_reviewed(user, obj: OwnedMixin) -> bool:
    """Whoever may edit the object (delivery unit included) may say it is still right."""
    return AdminURLFinder(user).get_edit_url(obj) is not None


# --- The weekly reminder -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    unit: DeliveryUnit
    overdue: list[OwnedMixin]
    due_soon: list[OwnedMixin]


def reminders(today: datetime.date | None = None) -> list[Reminder]:
    """One reminder per unit with a contact address and something overdue or due soon."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=DUE_SOON_DAYS)
    found = []
    for unit in DeliveryUnit.objects.exclude(contact_email="").order_by("name"):
        scope = Scope(unit_ids=frozenset({unit.pk}), shows_searches=False)
        objects = reviewable(Filters(scope=scope, today=today), until)
        overdue = [obj for obj in objects if obj.review_by < today]
        due_soon = [obj for obj in objects if obj.review_by >= today]
        if overdue or due_soon:
            found.append(Reminder(unit, overdue, due_soon))
    return found


def _edit_url(obj: OwnedMixin) -> str:
    if isinstance(obj, Page):
        path = reverse("wagtailadmin_pages:edit", args=[obj.pk])
    else:
        path = reverse(obj.snippet_viewset.get_url_name("edit"), args=[obj.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _line(obj: OwnedMixin, today: datetime.date) -> str:
    days = (obj.review_by - today).days
    if days < 0:
        when = f"was due {obj.review_by:%-d %B %Y} ({-days} day{'s' if days != -1 else ''} ago)"
    elif days == 0:
        when = "is due today"
    else:
        when = f"is due {obj.review_by:%-d %B %Y}"
    return f"- {kind_of(obj)}: {obj.title}\n  {when}\n  {_edit_url(obj)}"


def reminder_email(reminder: Reminder, today: datetime.date) -> tuple[str, str]:
    """The subject and plain-text body of one unit's weekly reminder."""
    total = len(reminder.overdue) + len(reminder.due_soon)
    subject = f"{reminder.unit.name}: {total} review{'s' if total != 1 else ''} to do"
    parts = [
        f"Hello {reminder.unit.name},",
        "",
        "These pages and forms need checking. Open each one, check it is still right, then "
        "either change it or choose \u201cMark as reviewed\u201d on the web team dashboard.",
    ]
    if reminder.overdue:
        parts += ["", f"Overdue ({len(reminder.overdue)}):"]
        parts += [_line(obj, today) for obj in reminder.overdue]
    if reminder.due_soon:
        parts += ["", f"Due in the next {DUE_SOON_DAYS} days ({len(reminder.due_soon)}):"]
        parts += [_line(obj, today) for obj in reminder.due_soon]
    dashboard = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("webteam_dashboard")
    parts += [
        "",
        f"Your unit's dashboard: {dashboard}?unit={reminder.unit.slug}",
        "",
        "You get this email every week while something is due.",
    ]
    return subject, "\n".join(parts)


def queue_reminders(today: datetime.date | None = None) -> int:
    """Write this week's reminders to the outbox, all or none; how many units were written to."""
    today = today or timezone.localdate()
    due = reminders(today)
    with transaction.atomic():
        for reminder in due:
            subject, body = reminder_email(reminder, today)
            queue_staff_email(reminder.unit.contact_email, subject, body)
    return len(due)

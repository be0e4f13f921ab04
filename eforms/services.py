"""What happens when a resident submits, and when staff change a request's status.

Each operation is one transaction: the submission, its files, its first history entry and the
messages about it are saved together or not at all.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.geo import bounding_box, distance_km, normalise_postcode
from core.permissions import users_who_may_work_on

from . import notifications
from .models import (
    REFERENCE_ALPHABET,
    CaseNote,
    FormDefinition,
    OutboxMessage,
    StatusChange,
    Submission,
    Subscription,
    UploadedFile,
)
from .scanning import queue_scan

if TYPE_CHECKING:
    from datetime import date, datetime

    from django.contrib.auth.models import User
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from .models import Draft
    from .schema import FormSchema
from django.conf import settings

# A resident's answers, by question name: JSON values as the form's fields clean them.
Answers = Mapping[str, Any]


class PendingFile(TypedDict):
    """A file uploaded with a submission, kept in memory until the submission is stored."""

    token: str
    field_name: str
    name: str
    content: bytes
    content_type: str
    size: int


def new_reference(prefix: str) -> str:
    """Like RPT-7K3D-9Q2M: short, no characters people confuse when reading it out."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{prefix.upper()}-{body[:4]}-{body[4:]}"


def normalise_reference(value: str) -> str:
    """A reference however it is typed or read out, in the form ``new_reference`` makes.

    "rpt 7k3d 9q2m", "RPT7K3D9Q2M" and "RPT-7K3D-9Q2M" are one reference: letters and digits
    only, in capitals, dashed before the last eight and the last four. Anything shorter than a
    reference comes back without dashes (it finds nothing exactly).
    """
    compact = "".join(ch for ch in value.upper() if ch.isascii() and ch.isalnum())[:18]
    if len(compact) < 9:
        return compact
    return f"{compact[:-8]}-{compact[-8:-4]}-{compact[-4:]}"


def contact_details(schema: FormSchema, answers: Answers) -> tuple[str, str, bool]:
    """The resident's email, mobile and whether they chose text updates, from their answers."""
    email = mobile = ""
    texts = False
    for spec in schema.questions.values():
        value = answers.get(spec.name)
        if not value:
            continue
        if spec.type == "email" and spec.config.get("use_for_updates") and not email:
            email = value
        elif spec.type == "phone" and isinstance(value, dict) and not mobile:
            if value.get("number", "").startswith("07"):
                mobile, texts = value["number"], bool(value.get("text_updates"))
    return email, mobile, texts


def postcode_of(schema: FormSchema, answers: Answers) -> str:
    """The postcode of the first address answered, in its standard form; "" when there is none."""
    for spec in schema.questions.values():
        value = answers.get(spec.name)
        if spec.type == "address" and isinstance(value, dict):
            postcode = normalise_postcode(value.get("postcode"))
            if postcode:
                return postcode
    return ""


def location_details(
    form: FormDefinition, answers: Answers
) -> tuple[str, float | None, float | None]:
    """What the duplicate check compares: a street name or a point."""
    value = answers.get(form.known_issue_field) if form.known_issue_field else None
    if not isinstance(value, dict):
        return "", None, None
    if "street" in value:
        return value.get("street") or "", None, None
    return "", value.get("latitude"), value.get("longitude")


def track_path(submission: Submission) -> str:
    return reverse("eforms:track_request", kwargs={"token": submission.track_token})


def next_steps(submission: Submission, today: date | None = None) -> list[str]:
    """What happens next with a request and when, in sentences for the resident's status page.

    The date is the one promised when it was sent (``due_date``: the form's service level in
    working days, ``FormDefinition.expected_by``); an open request past it says so plainly
    rather than showing a date in the past as if it were still to come.
    """
    form = submission.form
    today = today or timezone.localdate()
    due = submission.due_date.strftime("%-d %B %Y") if submission.due_date else ""
    if submission.status == Submission.RESOLVED:
        return [
            _("We have dealt with this. If the problem comes back, report it again."),
        ]
    if submission.status == Submission.CLOSED:
        return [_("This request is closed. We will not update it again.")]
    if submission.status == Submission.REJECTED:
        return [
            _(
                "We could not go ahead with this request. The history below says why. "
                "Contact us if you think this is wrong."
            )
        ]
    steps: list[str] = []
    if submission.status == Submission.RECEIVED:
        steps.append(_("We have your request and will look at it soon."))
    elif submission.status == Submission.ACKNOWLEDGED:
        steps.append(_("We have looked at your request and will start work on it."))
    else:
        steps.append(_("We are working on your request."))
    if form.what_happens_next:
        steps.append(form.what_happens_next)
    if submission.due_date and submission.due_date < today:
        steps.append(
            _(
                "We aimed to finish by %(date)s. We are sorry this is taking longer: "
                "we will update this page as soon as there is news."
            )
            % {"date": due}
        )
    elif submission.due_date:
        steps.append(_("You can expect an update by %(date)s.") % {"date": due})
    elif form.service_level:
        steps.append(form.service_level)
    return steps


def absolute(path: str, request: HttpRequest | None = None) -> str:

    if request is not None:
        return request.build_absolute_uri(path)
    base_url: str = settings.WAGTAILADMIN_BASE_URL
    return base_url.rstrip("/") + path


class Replayed(Exception):
    """The same submission was sent twice; ``submission`` is the one we already have."""

    def __init__(self, submission: Submission) -> None:
        super().__init__(submission.reference)
        self.submission = submission


class KeyReused(Exception):
    """An idempotency key already used with different answers. Answering with the earlier request
    would hand one resident's reference and tracking link to whoever sent the key again."""


def _replay(form: FormDefinition, existing: Submission, answers: Answers) -> Replayed:
    """Replay only a true retry: the same answers (files aside: they are uploaded afresh each time)."""
    if _comparable(form, existing.answers) != _comparable(form, answers):
        raise KeyReused
    return Replayed(existing)


def _comparable(form: FormDefinition, answers: Answers) -> dict[str, Any]:
    files = {name for name, spec in form.schema.questions.items() if spec.type == "file_upload"}
    kept = {name: value for name, value in answers.items() if name not in files}
    comparable: dict[str, Any] = json.loads(json.dumps(kept, cls=DjangoJSONEncoder))
    return comparable


def create_submission(
    form: FormDefinition,
    answers: dict[str, Any],
    *,
    pending_files: Iterable[PendingFile] = (),
    draft: Draft | None = None,
    channel: str = "web",
    idempotency_key: str | None = None,
    locale: str = "en-gb",
    request: HttpRequest | None = None,
) -> Submission:
    """Store a validated submission with its files and history, and queue its messages."""
    if idempotency_key:
        existing = Submission.objects.filter(form=form, idempotency_key=idempotency_key).first()
        if existing:
            raise _replay(form, existing, answers)
    if draft is not None and draft.submitted_at is not None:
        existing = Submission.objects.filter(draft=draft).first()
        if existing:
            raise Replayed(existing)
    now = timezone.now()
    email, mobile, texts = contact_details(form.schema, answers)
    street, latitude, longitude = location_details(form, answers)
    # Stored with the status it will have once the acknowledgement below is queued, rather than
    # updated afterwards: the transaction makes the two the same, and it saves a query.
    status = Submission.ACKNOWLEDGED if _acknowledges(email, mobile, texts) else Submission.RECEIVED
    for attempt in range(5):
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    reference=new_reference(form.reference_prefix or "REQ"),
                    form=form,
                    form_title=form.title,
                    form_revision_id=form.live_revision_id,
                    delivery_unit_id=form.delivery_unit_id,
                    locale=locale,
                    answers=answers,
                    status=status,
                    email=email,
                    mobile=mobile,
                    wants_text_updates=texts,
                    submitted_at=now,
                    due_date=form.expected_by(now),
                    seconds_to_complete=int((now - draft.started_at).total_seconds())
                    if draft
                    else None,
                    draft=draft,
                    idempotency_key=idempotency_key or None,
                    channel=channel,
                    street_key=street,
                    latitude=latitude,
                    longitude=longitude,
                    postcode=postcode_of(form.schema, answers),
                )
                break
        except IntegrityError:
            replay = _find_replay(form, idempotency_key, draft)
            if (
                replay is not None
                and replay.draft_id is not None
                and replay.draft_id == getattr(draft, "pk", None)
            ):
                raise Replayed(replay) from None
            if replay is not None:
                raise _replay(form, replay, answers) from None
            if attempt == 4:
                raise
    # No savepoint: a failure here must undo the submission too, so there is nothing to go back
    # to, and callers run all this in their own transaction (see submit()).
    with transaction.atomic(savepoint=False):
        stored = False
        for pending in pending_files:
            upload = UploadedFile(
                token=pending["token"],
                submission=submission,
                field_name=pending["field_name"],
                original_name=pending["name"],
                content_type=pending["content_type"],
                size=pending["size"],
            )
            upload.file.save(pending["name"], ContentFile(pending["content"]), save=False)
            upload.save()
            stored = True
        if stored:
            # Staff may open a file only once the worker has checked it for viruses.
            queue_scan()
        if draft is not None:
            UploadedFile.objects.filter(draft=draft).update(submission=submission)
            draft.submitted_at = now
            draft.save(update_fields=["submitted_at", "updated_at"])
        _queue_acknowledgement(submission, request)
        _queue_staff_alert(submission, request)
        StatusChange.objects.bulk_create(_first_history(submission, now))
    return submission


def _acknowledges(email: str, mobile: str, texts: bool) -> bool:
    """Whether the resident is sent an acknowledgement (see _queue_acknowledgement)."""
    return bool(email or (mobile and texts))


def _first_history(submission: Submission, now: datetime) -> list[StatusChange]:
    """Received, then acknowledged when we sent the resident their reference: one INSERT."""
    history = [StatusChange(submission=submission, to_status=Submission.RECEIVED, created_at=now)]
    if submission.status == Submission.ACKNOWLEDGED:
        history.append(
            StatusChange(
                submission=submission,
                from_status=Submission.RECEIVED,
                to_status=Submission.ACKNOWLEDGED,
                message=_("We sent you an acknowledgement with your reference."),
            )
        )
    return history


def _find_replay(
    form: FormDefinition, idempotency_key: str | None, draft: Draft | None
) -> Submission | None:
    if idempotency_key:
        found: Submission | None = Submission.objects.filter(
            form=form, idempotency_key=idempotency_key
        ).first()
        if found:
            return found
    if draft is not None:
        by_draft: Submission | None = Submission.objects.filter(draft=draft).first()
        return by_draft
    return None


def submit(form: FormDefinition, answers: dict[str, Any], **kwargs: Any) -> Submission:
    """create_submission inside one transaction (the caller's, when there is one)."""
    with transaction.atomic():
        return create_submission(form, answers, **kwargs)


def _queue_acknowledgement(submission: Submission, request: HttpRequest | None = None) -> None:
    form = submission.form
    link = absolute(track_path(submission), request)
    # The form's name on a line of its own, as it is written: titles are imperatives ("Apply
    # for help with funeral costs") or nouns ("Missed bin"), and no sentence fits them all.
    parts = [_("We have received your request:"), form.title] if form.title else []
    if not parts:
        parts = [_("We have received your request.")]
    parts.append(_("Your reference is %(reference)s.") % {"reference": submission.reference})
    if form.service_level:
        parts.append(form.service_level)
    if submission.due_date:
        parts.append(
            _("You can expect an update by %(date)s.")
            % {"date": submission.due_date.strftime("%-d %B %Y")}
        )
    if form.acknowledgement_text:
        parts.append(form.acknowledgement_text)
    parts.append(_("Track your request: %(link)s") % {"link": link})
    body = "\n\n".join(parts)
    subject = _("%(title)s: reference %(reference)s") % {
        "title": form.title,
        "reference": submission.reference,
    }
    if submission.email:
        notifications.queue(submission.email, body, subject=subject, submission=submission)
    if submission.mobile and submission.wants_text_updates:
        sms = _(
            "%(council)s: we have received your request. Reference %(reference)s. Track it: %(link)s"
        ) % {
            "council": notifications.council_name(request),
            "reference": submission.reference,
            "link": link,
        }
        notifications.queue(
            submission.mobile, sms, channel=OutboxMessage.SMS, submission=submission
        )


def _queue_staff_alert(submission: Submission, request: HttpRequest | None = None) -> None:
    recipients = submission.form.staff_emails
    if not recipients:
        return
    path = reverse("eforms_admin:submission", args=[submission.pk])
    body = _(
        "A new request has come in:\n\n%(title)s\n\nReference: %(reference)s\n\n"
        "Open it in Signpost: %(link)s"
    ) % {
        "title": submission.form.title,
        "reference": submission.reference,
        "link": absolute(path, request),
    }
    for to in recipients:
        notifications.queue(
            to,
            body,
            subject=_("New submission %(reference)s") % {"reference": submission.reference},
            submission=submission,
        )


@transaction.atomic
def change_status(
    submission: Submission,
    to_status: str,
    message: str = "",
    user: User | None = None,
    notify: bool = True,
) -> Submission:
    """Move a request on, record why, and tell the resident (and anyone subscribed)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    allowed = dict(submission.allowed_next_statuses())
    if to_status not in allowed:
        raise ValueError(f"{submission.status} cannot become {to_status}")
    change = StatusChange.objects.create(
        submission=submission,
        from_status=submission.status,
        to_status=to_status,
        message=message,
        changed_by=user,
    )
    submission.status = to_status
    submission.closed_at = None if to_status in Submission.OPEN_STATUSES else timezone.now()
    submission.save(update_fields=["status", "closed_at"])
    if notify:
        _queue_status_update(submission, change)
    return submission


def _queue_status_update(submission: Submission, change: StatusChange) -> None:
    # In the language the resident used, whatever language the member of staff is working in.
    with translation.override(submission.locale):
        _compose_and_queue_status_update(submission, change)


def _compose_and_queue_status_update(submission: Submission, change: StatusChange) -> None:
    link = absolute(track_path(submission))
    label = change.to_status_label
    body = _("Your request %(reference)s (%(title)s) is now: %(status)s.") % {
        "reference": submission.reference,
        "title": submission.form_title,
        "status": label,
    }
    if change.message:
        body += "\n\n" + change.message
    body += "\n\n" + _("Track your request: %(link)s") % {"link": link}
    subject = _("Update on %(reference)s: %(status)s") % {
        "reference": submission.reference,
        "status": label,
    }
    if submission.email:
        notifications.queue(submission.email, body, subject=subject, submission=submission)
    if submission.mobile and submission.wants_text_updates:
        notifications.queue(
            submission.mobile,
            f"{notifications.council_name()}: {body}",
            channel=OutboxMessage.SMS,
            submission=submission,
        )
    for subscription in submission.subscriptions.all():
        with translation.override(subscription.locale):
            _queue_follower_update(submission, change, subscription)


def _queue_follower_update(
    submission: Submission, change: StatusChange, subscription: Subscription
) -> None:
    """A follower's update: what it is about and its new status. No reference, no tracking link
    and no message from staff, which is written to the person who reported it."""
    label = change.to_status_label
    body = "\n\n".join(
        [
            _("There is news about a report you asked to follow:"),
            submission.form_title,
            _("It is now: %(status)s.") % {"status": label},
            _("You are getting this because you asked for updates on this report."),
        ]
    )
    subject = _("Update on a report you are following: %(status)s") % {"status": label}
    notifications.queue(subscription.email, body, subject=subject, submission=submission)


# ----- case handling: who works on a request, and what staff note about it ------------------

NOTE_MAX_LENGTH = 5000


class CaseError(ValueError):
    """A change staff asked for that cannot be made; the message says why, in plain English."""


def assignable_staff(submission: Submission) -> QuerySet[User]:
    """Staff who may read this request: the ones it may be assigned to."""
    return users_who_may_work_on("eforms.view_submission", submission.delivery_unit_id)


@transaction.atomic
def assign(submission: Submission, assignee: User | None, *, by: User) -> Submission:
    """Give the request to a member of staff (or to nobody), and note who did it.

    The resident is not told: who works on a request is the council's business, and the
    note is internal like every other.
    """
    if assignee is not None and not assignable_staff(submission).filter(pk=assignee.pk).exists():
        raise CaseError(
            f"{assignee.get_full_name() or assignee.get_username()} cannot see this request, "
            "so it cannot be assigned to them."
        )
    locked: Submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.assigned_to_id == (assignee.pk if assignee else None):
        return locked
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to"])
    text = (
        f"Assigned to {assignee.get_full_name() or assignee.get_username()}."
        if assignee is not None
        else "No longer assigned to anyone."
    )
    CaseNote.objects.create(submission=locked, author=by, text=text)
    return locked


def add_note(submission: Submission, text: str, *, author: User) -> CaseNote:
    """Keep an internal note on the request. Never sent to the resident, never on /track/."""
    text = text.strip()
    if not text:
        raise CaseError("Enter a note.")
    if len(text) > NOTE_MAX_LENGTH:
        raise CaseError(f"A note must be {NOTE_MAX_LENGTH} characters or fewer.")
    note: CaseNote = CaseNote.objects.create(submission=submission, author=author, text=text)
    return note


# ----- known issues and duplicates --------------------------------------------------------
#
# Before a resident reports something, the form may look for an open report of the same thing
# (FormDefinition.known_issue_*). What they are told about it is only that it exists: never its
# reference, reporter, contact details or time, which belong to another resident.

KNOWN_ISSUE_LIMIT = 3


def known_issue_questions(form: FormDefinition) -> set[str]:
    """The questions the form's check compares: once all are answered the check can run."""
    if not form.known_issue_check or not form.known_issue_field:
        return set()
    names = {form.known_issue_field}
    if form.known_issue_same_answer:
        names.add(form.known_issue_same_answer)
    return names


def address_key(value: object) -> str:
    """One household's address, comparable however it was entered: "" when it is not an address.

    "Flat 1, 12 High Street" and "flat 1 12 high st." typed by hand are the same line once
    punctuation and case go; the postcode is part of the key, so the same line in another
    postcode is another house.
    """
    if not isinstance(value, dict):
        return ""
    postcode = normalise_postcode(value.get("postcode"))
    line = " ".join(str(value.get(part) or "") for part in ("line_1", "line_2"))
    words = re.sub(r"[^\w\s]", " ", line.upper()).split()
    if not postcode or not words:
        return ""
    return f"{' '.join(words)}|{postcode}"


def same_address(first: object, second: object) -> bool:
    """The same household: the same UPRN when both have one, else the same line and postcode."""
    if not isinstance(first, dict) or not isinstance(second, dict):
        return False
    uprns = (str(first.get("uprn") or ""), str(second.get("uprn") or ""))
    if all(uprns):
        return uprns[0] == uprns[1]
    key = address_key(first)
    return bool(key) and key == address_key(second)


def _window_start(form: FormDefinition) -> datetime | None:
    now = timezone.localtime()
    if form.known_issue_window == FormDefinition.KNOWN_ISSUE_TODAY:
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    if form.known_issue_window == FormDefinition.KNOWN_ISSUE_7_DAYS:
        return now - timedelta(days=7)
    return None


def known_issues(form: FormDefinition, answers: Answers) -> list[Submission]:
    """Open requests on this form (in any language) that are the same problem as these answers.

    Same address: the same household (UPRN, or address line and postcode) and, when the form
    names one, the same answer to another question (the bin). Never the same street.
    Nearby: a point within the form's distance.
    """
    names = known_issue_questions(form)
    if not names or any(answers.get(name) in (None, "", []) for name in names):
        return []
    forms = FormDefinition.objects.filter(translation_key=form.translation_key)
    candidates = Submission.objects.open().filter(form__in=forms)
    since = _window_start(form)
    if since is not None:
        candidates = candidates.filter(submitted_at__gte=since)
    if form.known_issue_check == FormDefinition.KNOWN_ISSUE_SAME_ADDRESS:
        return _same_household(form, answers, candidates)
    if form.known_issue_check == FormDefinition.KNOWN_ISSUE_NEARBY:
        return _nearby(form, answers, candidates)
    return []


def _same_household(
    form: FormDefinition, answers: Answers, candidates: QuerySet[Submission]
) -> list[Submission]:
    address = answers[form.known_issue_field]
    postcode = normalise_postcode(address.get("postcode")) if isinstance(address, dict) else None
    if not postcode:
        return []
    # Narrowed in the database to the postcode (a few dozen houses), compared exactly here.
    field = form.known_issue_field
    candidates = candidates.filter(**{f"answers__{field}__postcode": postcode})
    found = []
    for submission in candidates.order_by("-submitted_at")[:200]:
        if not same_address(address, submission.answers.get(field)):
            continue
        if not _same_answer(form, answers, submission):
            continue
        found.append(submission)
        if len(found) == KNOWN_ISSUE_LIMIT:
            break
    return found


def _nearby(
    form: FormDefinition, answers: Answers, candidates: QuerySet[Submission]
) -> list[Submission]:
    _street, latitude, longitude = location_details(form, answers)
    if latitude is None or longitude is None:
        return []
    # A box around the point first (cheap, indexable), then the true distance.
    here, radius_km = (latitude, longitude), form.known_issue_radius_m / 1000
    min_lat, max_lat, min_lng, max_lng = bounding_box(here, radius_km)
    nearby = candidates.filter(
        latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng)
    )
    by_distance = sorted(
        (distance_km(here, (s.latitude, s.longitude)), s.pk, s)
        for s in nearby
        if s.latitude is not None and s.longitude is not None  # the box implies it; mypy can't
    )
    found = [s for km, _pk, s in by_distance if km <= radius_km and _same_answer(form, answers, s)]
    return found[:KNOWN_ISSUE_LIMIT]


def _same_answer(form: FormDefinition, answers: Answers, submission: Submission) -> bool:
    other = form.known_issue_same_answer
    return not other or submission.answers.get(other) == answers.get(other)


def known_issue_notice(submission: Submission) -> str:
    """What a resident is told about an earlier report: when, in words, and nothing else."""
    reported = timezone.localdate(submission.submitted_at)
    days = (timezone.localdate() - reported).days
    if days <= 0:
        return _("A report of this was made today.")
    if days == 1:
        return _("A report of this was made yesterday.")
    if days < 7:
        return _("A report of this was made in the last week.")
    return _("This has already been reported and we are still dealing with it.")


@transaction.atomic
def follow(submission: Submission, email: str, locale: str = "en-gb") -> Subscription:
    """Send this email the report's status changes (never its reference or its reporter's words)."""
    subscription, created = Subscription.objects.get_or_create(
        submission=submission, email=email, defaults={"locale": locale}
    )
    if not created and subscription.locale != locale:
        subscription.locale = locale
        subscription.save(update_fields=["locale"])
    return subscription

"""What happens when a resident submits, and when staff change a request's status.

Each operation is one transaction: the submission, its files, its first history entry and the
messages about it are saved together or not at all.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.geo import bounding_box, distance_km

from . import notifications
from .models import (
    REFERENCE_ALPHABET,
    FormDefinition,
    OutboxMessage,
    StatusChange,
    Submission,
    UploadedFile,
)

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import User
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
    parts = [
        _("We have received your %(title)s.")
        % {"title": form.title.lower() if form.title else _("request")},
        _("Your reference is %(reference)s.") % {"reference": submission.reference},
    ]
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
    body = _("New %(title)s: %(reference)s\n\nOpen it in Signpost: %(link)s") % {
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
        notifications.queue(subscription.email, body, subject=subject, submission=submission)


# ----- known issues and duplicates --------------------------------------------------------


def known_issues(form: FormDefinition, answers: Answers) -> list[Submission]:
    """Open requests on this form that look like the same problem."""
    if not form.known_issue_check or not form.known_issue_field:
        return []
    street, latitude, longitude = location_details(form, answers)
    forms = FormDefinition.objects.filter(translation_key=form.translation_key)
    candidates = Submission.objects.open().filter(form__in=forms)
    if form.known_issue_check == FormDefinition.KNOWN_ISSUE_SAME_STREET_TODAY:
        if not street:
            return []
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return list(candidates.filter(street_key=street, submitted_at__gte=start)[:3])
    if latitude is None or longitude is None:
        return []
    # A box around the point first (cheap, indexable), then the true distance.
    here, radius_km = (latitude, longitude), form.known_issue_radius_m / 1000
    min_lat, max_lat, min_lng, max_lng = bounding_box(here, radius_km)
    nearby = candidates.filter(
        latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng)
    )
    found = [s for s in nearby if distance_km(here, (s.latitude, s.longitude)) <= radius_km]
    return found[:3]

"""What the council no longer needs to keep, and keeping nothing of it behind.

A request goes with everything that repeats what the resident told us: its status history,
case notes, followers, files, the draft it was sent from (which holds every answer again), and
every message about it, including the "Continue your form" email whose link opened that draft.

* A closed or resolved request goes its form's ``retention_days`` after it was closed.
* A request nobody closed goes ``EFORMS_OPEN_REQUEST_MAX_DAYS`` after it arrived, but never
  without warning: ``EFORMS_DELETION_WARNING_DAYS`` before, its unit is emailed a list (through
  the outbox) and the inbox shows "Will be deleted on ..." (``deletion_date``). A request that
  was never warned is warned first, and deleted a warning period later.
* A draft nobody sent goes when it expires, with its files and its resume email.
* Files go with their request or draft, from the uploads folder or, those the virus check
  removed, from quarantine.
* Messages sent or given up on go ``EFORMS_OUTBOX_KEEP_DAYS`` after they were created.

One function for the nightly job (``eforms.tasks.purge_expired``, run by the worker) and for
``manage.py purge_submissions`` (which can also say what it would delete, and change nothing).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from . import notifications
from .models import Draft, FormDefinition, OutboxMessage, Submission, UploadedFile

DEFAULT_OPEN_MAX_DAYS = 365 * 3
DEFAULT_WARNING_DAYS = 30
DEFAULT_OUTBOX_KEEP_DAYS = 90
LEGACY_BATCH = 100


@dataclass(frozen=True)
class Purged:
    """How many of each went (or would go, in a dry run)."""

    submissions: int
    drafts: int
    messages: int
    warned: int = 0


def open_max_days() -> int:
    return int(getattr(settings, "EFORMS_OPEN_REQUEST_MAX_DAYS", DEFAULT_OPEN_MAX_DAYS))


def warning_days() -> int:
    return int(getattr(settings, "EFORMS_DELETION_WARNING_DAYS", DEFAULT_WARNING_DAYS))


def outbox_keep_days() -> int:
    return int(getattr(settings, "EFORMS_OUTBOX_KEEP_DAYS", DEFAULT_OUTBOX_KEEP_DAYS))


def deletion_date(submission: Submission) -> datetime.date:
    """The day this request will be deleted, as things stand (closed: by its form's retention;
    open: by the maximum age, or a warning period after its unit was warned if that is later)."""
    if not submission.is_open and submission.closed_at is not None:
        when = submission.closed_at + datetime.timedelta(days=submission.form.retention_days)
    else:
        when = submission.submitted_at + datetime.timedelta(days=open_max_days())
        if submission.deletion_warned_at is not None:
            when = max(
                when, submission.deletion_warned_at + datetime.timedelta(days=warning_days())
            )
    return timezone.localdate(when)


def _expired(now: datetime.datetime) -> QuerySet[Submission]:
    closed = Q()
    for form_id, days in FormDefinition.objects.values_list("pk", "retention_days"):
        closed |= Q(form_id=form_id, closed_at__lt=now - datetime.timedelta(days=days))
    closed_past = (
        Submission.objects.exclude(status__in=Submission.OPEN_STATUSES)
        .filter(closed_at__isnull=False)
        .filter(closed)
        if closed
        else Submission.objects.none()
    )
    open_past = Submission.objects.filter(
        status__in=Submission.OPEN_STATUSES,
        submitted_at__lt=now - datetime.timedelta(days=open_max_days()),
        deletion_warned_at__lt=now - datetime.timedelta(days=warning_days()),
    )
    return Submission.objects.filter(Q(pk__in=closed_past) | Q(pk__in=open_past))


def due_for_warning(now: datetime.datetime | None = None) -> QuerySet[Submission]:
    """Open requests within a warning period of their maximum age whose unit was not yet told."""
    now = now or timezone.now()
    age = datetime.timedelta(days=open_max_days() - warning_days())
    return Submission.objects.filter(
        status__in=Submission.OPEN_STATUSES,
        submitted_at__lt=now - age,
        deletion_warned_at__isnull=True,
    ).select_related("form", "delivery_unit")


def warn_open_requests(now: datetime.datetime | None = None) -> int:
    """Email each owning unit the open requests that will be deleted for their age, and when.

    One email per unit (its contact address, else the form's staff addresses), written to the
    outbox in the same transaction that marks the requests warned, so a unit is told once.
    References only: the list names no resident and quotes no answer.
    """
    now = now or timezone.now()
    by_address: dict[str, list[Submission]] = defaultdict(list)
    warned = []
    with transaction.atomic():
        # of="self": the unit is a nullable join, which PostgreSQL cannot lock (nor need to).
        for submission in due_for_warning(now).select_for_update(of=("self",)):
            unit = submission.delivery_unit
            addresses = (
                [unit.contact_email] if unit is not None and unit.contact_email else []
            ) or submission.form.staff_emails
            for address in addresses:
                by_address[address].append(submission)
            warned.append(submission.pk)
        Submission.objects.filter(pk__in=warned).update(deletion_warned_at=now)
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        for address, submissions in sorted(by_address.items()):
            lines = []
            for submission in sorted(submissions, key=lambda s: s.submitted_at):
                submission.deletion_warned_at = now
                link = base + reverse("eforms_admin:submission", args=[submission.pk])
                lines.append(
                    f"{submission.reference} ({submission.form_title}), received "
                    f"{timezone.localdate(submission.submitted_at):%-d %B %Y}: will be deleted "
                    f"on {deletion_date(submission):%-d %B %Y}\n{link}"
                )
            body = (
                f"These requests are still open after {open_max_days()} days. The council keeps "
                "residents' requests only as long as it needs them, so they will be deleted on "
                "the dates shown. Close or resolve any that are finished; a closed request is "
                "kept for its form's retention period instead.\n\n" + "\n\n".join(lines)
            )
            notifications.queue(
                address,
                body,
                subject=f"{len(submissions)} open request(s) will be deleted for their age",
            )
    return len(warned)


def _legacy_resume_messages(drafts: QuerySet[Draft]) -> list[int]:
    """Resume emails written before messages named their draft, found by the link's token.

    Looked for in batches: one OR of thousands of LIKEs is deeper than SQLite allows.
    """
    legacy = OutboxMessage.objects.filter(draft__isnull=True, submission__isnull=True)
    if not legacy.exists():
        return []
    tokens = list(drafts.values_list("token", flat=True))
    found: list[int] = []
    for start in range(0, len(tokens), LEGACY_BATCH):
        matching = Q(pk__in=[])
        for token in tokens[start : start + LEGACY_BATCH]:
            matching |= Q(body__contains=token)
        found += legacy.filter(matching).values_list("pk", flat=True)
    return found


def purge(dry_run: bool = False, now: datetime.datetime | None = None) -> Purged:
    """Delete what is past retention, with its files; warn units about old open requests.

    Files leave the disk only after the rows have gone, so a failure never leaves a row
    pointing at nothing.
    """
    now = now or timezone.now()
    doomed = _expired(now)
    drafts = Draft.objects.filter(
        Q(submitted_at__isnull=True, expires_at__lt=now)
        | Q(submission__in=doomed)
        # Sent drafts whose request went before drafts went with it.
        | Q(submitted_at__isnull=False, submission__isnull=True)
    )
    messages = OutboxMessage.objects.filter(
        Q(submission__in=doomed)
        | Q(draft__in=drafts)
        | Q(pk__in=_legacy_resume_messages(drafts))
        | Q(
            status__in=[OutboxMessage.SENT, OutboxMessage.FAILED],
            created_at__lt=now - datetime.timedelta(days=outbox_keep_days()),
        )
    )
    if dry_run:
        return Purged(
            doomed.count(), drafts.count(), messages.count(), due_for_warning(now).count()
        )
    warned = warn_open_requests(now)
    files = UploadedFile.objects.filter(Q(submission__in=doomed) | Q(draft__in=drafts))
    # Quarantined files (a virus) go too, from the quarantine folder.
    paths = [(upload.stored_in, upload.file.name) for upload in files]
    with transaction.atomic():
        # Counted inside the transaction, from the same rows that are deleted.
        submission_ids = list(doomed.values_list("pk", flat=True))
        draft_ids = list(drafts.values_list("pk", flat=True))
        message_ids = list(messages.values_list("pk", flat=True))
        UploadedFile.objects.filter(pk__in=files.values_list("pk", flat=True)).delete()
        OutboxMessage.objects.filter(pk__in=message_ids).delete()
        Submission.objects.filter(pk__in=submission_ids).delete()
        Draft.objects.filter(pk__in=draft_ids).delete()
    delete_files(paths)
    return Purged(len(submission_ids), len(draft_ids), len(message_ids), warned)


def delete_files(paths: list) -> None:
    """Remove stored files (after the rows naming them have gone)."""
    for storage, name in paths:
        if name and storage.exists(name):
            storage.delete(name)

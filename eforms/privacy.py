"""What e-forms holds about an email address, for subject access and erasure (core/privacy.py).

A resident's address reaches e-forms as a request's contact address, a saved form's "continue
later" address, a follower of someone else's report, and the "to" of every message. A request
brings its drafts, files, status history, internal notes and messages with it. A follower is
never shown the report they follow (not its reference or reporter), so their copy names only
the form.
"""

from django.db import models
from django.db.models import Q

from core.privacy import Erasure, Export, Holding, PersonalDataSource

from .fields import display
from .models import Draft, OutboxMessage, Submission, Subscription, UploadedFile
from .retention import delete_files
from .versions import Versions


def _submissions(email: str) -> models.QuerySet[Submission]:
    return Submission.objects.filter(email__iexact=email).select_related("form")


def _drafts(email: str) -> models.QuerySet[Draft]:
    return Draft.objects.filter(
        Q(resume_email__iexact=email) | Q(submission__in=_submissions(email))
    ).select_related("form")


def _messages(email: str) -> models.QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        Q(to__iexact=email) | Q(submission__in=_submissions(email)) | Q(draft__in=_drafts(email))
    )


def _files(email: str) -> models.QuerySet[UploadedFile]:
    return UploadedFile.objects.filter(
        Q(submission__in=_submissions(email)) | Q(draft__in=_drafts(email))
    )


def _subscriptions(email: str) -> models.QuerySet[Subscription]:
    return Subscription.objects.filter(email__iexact=email).select_related("submission")


def find(email: str) -> list[Holding]:
    held = [
        Holding(
            "Request",
            f"{s.reference}: {s.form_title} ({s.get_status_display().lower()})",
            s.submitted_at,
        )
        for s in _submissions(email)
    ]
    held += [
        Holding(
            "Saved form",
            f"{d.form.title}: {len(d.answers)} answer(s)"
            + (" (sent)" if d.submitted_at else " (not sent)"),
            d.started_at,
        )
        for d in _drafts(email)
    ]
    held += [
        Holding("Message", f"{m.get_channel_display()}: {m.subject or '(text)'}", m.created_at)
        for m in _messages(email)
    ]
    held += [
        Holding("Uploaded file", f"{f.original_name} ({f.size} bytes)", f.created_at)
        for f in _files(email)
    ]
    held += [
        Holding("Following a report", f"Updates on a report made with {s.submission.form_title}")
        for s in _subscriptions(email)
    ]
    return held


def _as_asked(submission: Submission, versions: Versions) -> list[dict[str, str]]:
    """Each answer under the question's words in the version of the form the resident saw."""
    questions = versions.schema(submission).questions
    shown = []
    for name, value in (submission.answers or {}).items():
        spec = questions.get(name)
        shown.append(
            {
                "question": spec.label if spec else name,
                "answer": str(display(spec, value, staff=True)) if spec else str(value),
            }
        )
    return shown


def export(email: str) -> Export:
    part = Export()
    versions = Versions()
    for s in _submissions(email).select_related("form").prefetch_related("history", "notes"):
        part.records.append(
            {
                "type": "request",
                "reference": s.reference,
                "form": s.form_title,
                "status": s.status,
                "submitted_at": s.submitted_at,
                "closed_at": s.closed_at,
                "email": s.email,
                "mobile": s.mobile,
                "answers": s.answers,
                "questions_and_answers": _as_asked(s, versions),
                "form_version": versions.label(s),
                "history": [
                    {"status": h.to_status, "message": h.message, "at": h.created_at}
                    for h in s.history.all()
                ],
                "staff_notes": [{"text": n.text, "at": n.created_at} for n in s.notes.all()],
            }
        )
    for d in _drafts(email):
        part.records.append(
            {
                "type": "saved form",
                "form": d.form.title,
                "answers": d.answers,
                "started_at": d.started_at,
                "submitted_at": d.submitted_at,
            }
        )
    for m in _messages(email):
        part.records.append(
            {
                "type": "message",
                "channel": m.channel,
                "to": m.to,
                "subject": m.subject,
                "body": m.body,
                "status": m.status,
                "created_at": m.created_at,
            }
        )
    for s in _subscriptions(email):
        part.records.append(
            {
                "type": "following a report",
                "form": s.submission.form_title,
                "email": s.email,
                "since": s.created_at,
            }
        )
    for upload in _files(email):
        record = {"type": "uploaded file", "name": upload.original_name, "size": upload.size}
        if upload.scan_status == UploadedFile.INFECTED:
            # Never handed out again, not even to the resident who sent it.
            record["removed"] = "it contained a virus"
            part.records.append(record)
            continue
        part.records.append(record)
        part.files.append((f"{upload.token}-{upload.original_name}", _reader(upload)))
    return part


def _reader(upload: UploadedFile):  # type: ignore[no-untyped-def]
    def read() -> bytes:
        try:
            with upload.file.open("rb") as handle:
                data: bytes = handle.read()
                return data
        except FileNotFoundError:
            return b""

    return read


def erase(email: str) -> Erasure:
    """Delete the resident's requests (with their history, notes and followers), drafts,
    messages, files and follows; the files leave the disk after the erasure commits."""
    files = _files(email)
    paths = [(upload.stored_in, upload.file.name) for upload in files]
    submission_ids = list(_submissions(email).values_list("pk", flat=True))
    draft_ids = list(_drafts(email).values_list("pk", flat=True))
    message_ids = list(_messages(email).values_list("pk", flat=True))
    count = len(paths)
    UploadedFile.objects.filter(pk__in=files.values_list("pk", flat=True)).delete()
    count += (
        OutboxMessage.objects.filter(pk__in=message_ids).delete()[1].get("eforms.OutboxMessage", 0)
    )
    count += _subscriptions(email).delete()[0]
    count += len(submission_ids)
    Submission.objects.filter(pk__in=submission_ids).delete()
    count += len(draft_ids)
    Draft.objects.filter(pk__in=draft_ids).delete()
    return Erasure(count, after_commit=lambda: delete_files(paths))


SOURCE = PersonalDataSource(
    name="eforms", label="Requests and forms", find=find, export=export, erase=erase
)

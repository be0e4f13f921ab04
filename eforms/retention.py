"""What the council no longer needs to keep: closed requests past retention, stale drafts.

One function for the nightly job (``eforms.tasks.purge_expired``, run by the worker) and for
``manage.py purge_submissions`` (which can also say what it would delete, and change nothing).
"""

from django.db import transaction
from django.utils import timezone

from .models import Draft, FormDefinition, Submission, UploadedFile


def purge(dry_run: bool = False) -> tuple[int, int]:
    """Delete submissions past their form's retention and expired drafts, with their files.

    Returns (submissions, drafts) deleted, or that would be with ``dry_run``. Files leave the
    disk only after the rows have gone, so a failure never leaves a row pointing at nothing.
    """
    now = timezone.now()
    doomed = Submission.objects.none()
    for form in FormDefinition.objects.all():
        cutoff = now - timezone.timedelta(days=form.retention_days)
        doomed = doomed | Submission.objects.filter(
            form=form, closed_at__isnull=False, closed_at__lt=cutoff
        )
    drafts = Draft.objects.filter(submitted_at__isnull=True, expires_at__lt=now)
    submission_count, draft_count = doomed.count(), drafts.count()
    if dry_run:
        return submission_count, draft_count
    files = UploadedFile.objects.filter(submission__in=doomed) | UploadedFile.objects.filter(
        draft__in=drafts, submission__isnull=True
    )
    paths = [(upload.file.storage, upload.file.name) for upload in files]
    with transaction.atomic():
        files.delete()
        doomed.delete()
        drafts.delete()
    for storage, name in paths:
        if name and storage.exists(name):
            storage.delete(name)
    return submission_count, draft_count

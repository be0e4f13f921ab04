"""Delete what the council no longer needs to keep: closed requests past retention, stale drafts."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from eforms.models import Draft, FormDefinition, Submission, UploadedFile


class Command(BaseCommand):
    help = "Delete submissions past their form's retention period, and expired drafts, with their files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would go, delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        doomed = Submission.objects.none()
        for form in FormDefinition.objects.all():
            cutoff = now - timezone.timedelta(days=form.retention_days)
            doomed = doomed | Submission.objects.filter(
                form=form, closed_at__isnull=False, closed_at__lt=cutoff
            )
        drafts = Draft.objects.filter(submitted_at__isnull=True, expires_at__lt=now)
        submission_count, draft_count = doomed.count(), drafts.count()
        files = UploadedFile.objects.filter(submission__in=doomed) | UploadedFile.objects.filter(
            draft__in=drafts, submission__isnull=True
        )
        verb = "Would delete" if dry_run else "Deleted"
        if not dry_run:
            paths = [(upload.file.storage, upload.file.name) for upload in files]
            with transaction.atomic():
                files.delete()
                doomed.delete()
                drafts.delete()
            for storage, name in paths:
                if name and storage.exists(name):
                    storage.delete(name)
        self.stdout.write(
            f"{verb} {submission_count} submission(s) past retention and {draft_count} expired draft(s)."
        )

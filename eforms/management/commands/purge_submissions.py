"""Delete what the council no longer needs to keep: closed requests past retention, stale drafts.

The worker runs this every night (``eforms.tasks.purge_expired``); the command is for a run by
hand, and for ``--dry-run``.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from eforms.retention import purge


class Command(BaseCommand):
    help = "Delete submissions past their form's retention period, and expired drafts, with their files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would go, delete nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        submission_count, draft_count = purge(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {submission_count} submission(s) past retention and {draft_count} expired draft(s)."
        )

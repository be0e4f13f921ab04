"""Delete what the council no longer needs to keep: requests past retention (with their drafts,
files and messages), expired drafts, old messages; and warn units about old open requests.

The worker runs this every night (``eforms.tasks.purge_expired``); the command is for a run by
hand, and for ``--dry-run``.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from eforms.retention import purge


class Command(BaseCommand):
    help = (
        "Delete submissions past retention with their drafts, files and messages, expired "
        "drafts and old messages; warn units about open requests nearing their maximum age."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would go, delete nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        purged = purge(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {purged.submissions} submission(s) past retention, {purged.drafts} "
            f"draft(s) and {purged.messages} message(s)."
        )
        warned = "Would warn" if dry_run else "Warned"
        self.stdout.write(
            f"{warned} owning units about {purged.warned} open request(s) nearing their maximum age."
        )

"""Delete searches and search feedback older than SEARCH_LOG_RETENTION_DAYS (as the worker does)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand

from search import retention

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Delete searches and search feedback older than SEARCH_LOG_RETENTION_DAYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would go; keep it.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        days = retention.retention_days()
        if days <= 0:
            self.stdout.write("SEARCH_LOG_RETENTION_DAYS is 0: search logs are kept for ever.")
            return
        if dry_run:
            searches, feedback = retention.expired()
            verb = "Would delete"
        else:
            searches, feedback = retention.purge()
            verb = "Deleted"
        self.stdout.write(
            f"{verb} {searches} searches and {feedback} feedback messages older than {days} days."
        )

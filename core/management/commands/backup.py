"""Back up the database and both upload folders into a new folder.

    manage.py backup /var/backups/signpost/2026-12-01

Safe while the site runs. See core/backup.py for what the folder holds and why, and
docs/operations.md › Backup and restore for how often and how long to keep it.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database, MEDIA_ROOT and PRIVATE_MEDIA_ROOT, with a "
        "manifest of row counts and checksums, into a new folder."
    )

    def add_arguments(self, parser: CommandParser | ArgumentParser) -> None:
        parser.add_argument("folder", type=Path, help="A new (or empty) folder for the backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        try:
            manifest = create_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = manifest["row_counts"]
        uploads = manifest["uploads"]
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {folder.absolute()}")
            + f"\n  {manifest['database']['vendor']} database: {len(counts)} tables, "
            f"{sum(counts.values())} rows"
            + "".join(
                f"\n  {facts['setting']}: {facts['files']} files" for facts in uploads.values()
            )
            + "\nIt holds residents' personal data: keep it encrypted, readable by few, and no "
            "longer than your retention period. The search index is not in it (restore, then "
            "run search_rebuild)."
        )

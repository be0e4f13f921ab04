"""Restore a backup (``manage.py backup``) into an empty database and empty upload folders.

    DATABASE_URL=postgres://.../signpost_new manage.py restore /var/backups/signpost/2026-12-01

It refuses, and writes nothing, when the backup is damaged, is of the other kind of database,
or when the database or an upload folder already holds anything. See core/backup.py.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import UPLOAD_FOLDERS, BackupError, plural, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder into the empty database DATABASE_URL names and into empty "
        "MEDIA_ROOT and PRIVATE_MEDIA_ROOT folders, checking checksums first and row counts after."
    )

    def add_arguments(self, parser: CommandParser | ArgumentParser) -> None:
        parser.add_argument("folder", type=Path, help="A folder written by manage.py backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        try:
            report = restore_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = report.manifest
        made_by = manifest["signpost"]
        code = " ".join(
            part for part in (made_by.get("version"), (made_by.get("commit") or "")[:12]) if part
        )
        lines = [
            self.style.SUCCESS(f"Restored the backup made at {manifest['created_at']}")
            + (f" by Signpost {code}" if code else ""),
            f"  Row counts match the backup: {report.tables} tables, {report.rows} rows.",
            *(f"  {UPLOAD_FOLDERS[name]}: {files} files" for name, files in report.files.items()),
            "Next:",
        ]
        if report.unknown:
            lines.append(
                "  - The backup was made by newer code: it has "
                f"{plural(len(report.unknown), 'migration')} this code does not know (e.g. "
                f"{report.unknown[0]}). Deploy the version that made it before serving this "
                "database."
            )
        if report.unapplied:
            lines.append(
                f"  - This code has {plural(len(report.unapplied), 'migration')} the backup had not "
                "applied: run `manage.py migrate`."
            )
        else:
            lines.append("  - The database is at this code's migrations: no migrate needed.")
        lines.append(
            "  - The search index is not part of a backup (it is built from the database): "
            "run `manage.py search_rebuild`."
        )
        self.stdout.write("\n".join(lines))
        if options["verbosity"] > 1:
            for table, count in sorted(manifest["row_counts"].items()):
                self.stdout.write(f"    {table}: {count}")

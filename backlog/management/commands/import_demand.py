"""manage.py import_demand <csv>: load contact volumes by service, channel and month."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from backlog.demand import import_demand


class Command(BaseCommand):
    help = "Import contact volumes (service, channel, month, count) from a CSV file, reporting bad rows."

    def add_arguments(self, parser):
        parser.add_argument("csv_path")
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, csv_path, no_progress=False, **options):
        path = Path(csv_path)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        with path.open(newline="", encoding="utf-8-sig") as handle:
            total = max(sum(1 for _ in handle) - 1, 0)
            handle.seek(0)

            def progress(rows):
                return tqdm(rows, total=total, unit="row", disable=no_progress, file=sys.stderr)

            report = import_demand(handle, progress=progress)
        self.stdout.write(f"Imported {report.imported} rows from {path.name}.")
        if report.errors:
            self.stdout.write(self.style.WARNING(f"{len(report.errors)} rows were not imported:"))
            for line, message in report.errors:
                self.stdout.write(f"  line {line}: {message}")

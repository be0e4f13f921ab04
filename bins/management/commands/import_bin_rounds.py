"""manage.py import_bin_rounds rounds.csv: load or update collection rounds from a CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bins.importer import import_rounds


class Command(BaseCommand):
    help = (
        "Import bin collection rounds from a CSV file (UTF-8 or Excel's Windows-1252). Bad rows "
        "are listed with their row numbers and skipped; the command exits 1 if any were."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file of rounds")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        report = import_rounds(data)
        self.stdout.write(f"Rounds added: {report.created}. Updated: {report.updated}.")
        for number, reason in report.rejected:
            self.stderr.write(f"Row {number}: {reason}")
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} rows rejected", returncode=1)

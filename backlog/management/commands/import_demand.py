"""manage.py import_demand <csv>: load contact volumes by service, channel and month.

Prints what it did and every row it refused, by row number, with the reason. Exits with 1 when
any row was refused (or the file could not be read), so a script that imports each month's
figures notices; the rows that passed are imported all the same (``--dry-run`` writes nothing).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from backlog.demand import CREATE, UPDATE, UnreadableFile, apply_plan, decode, plan_import


class Command(BaseCommand):
    help = (
        "Import contact volumes (service, channel, month, count, optionally delivery_unit) from "
        "a CSV file. Reports refused rows and exits with 1 if there were any."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_path")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, csv_path, dry_run=False, no_progress=False, verbosity=1, **options):
        path = Path(csv_path)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        try:
            text, encoding = decode(path.read_bytes())
            total = max(text.count("\n") - 1, 0)

            def progress(rows):
                return tqdm(rows, total=total, unit="row", disable=no_progress, file=sys.stderr)

            with transaction.atomic():
                plan = plan_import(text, encoding=encoding, progress=progress)
                if not dry_run:
                    apply_plan(plan)
        except UnreadableFile as error:
            raise CommandError(f"{path.name}: {error} Nothing was imported.") from None

        self.stdout.write(f"Read {len(plan.rows)} rows from {path.name} ({encoding}).")
        self.stdout.write(plan.summary(done=not dry_run))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        if verbosity > 1:
            for row in plan.with_action(CREATE) + plan.with_action(UPDATE):
                change = "new" if row.action == CREATE else f"{row.before} \u2192 {row.count}"
                self.stdout.write(f"  row {row.number}: {row.label}: {row.count} ({change})")
        if plan.rejected:
            self.stdout.write(self.style.WARNING("Rejected rows (nothing was written for them):"))
            for row in plan.rejected:
                self.stdout.write(f"  row {row.number}: {row.reason}")
            rows = "1 row was" if len(plan.rejected) == 1 else f"{len(plan.rejected)} rows were"
            raise CommandError(
                f"{rows} rejected. Correct them and import the file again: rows already "
                "imported are updated, not added twice."
            )

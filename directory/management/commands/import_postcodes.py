"""Load postcode centres from the ONS Postcode Directory CSV or OS Code-Point Open.

Afterwards the middle of every district ("NB2") and sector ("NB2 4") is worked out again from
the whole table, so residents who type only the first part of a postcode are placed too.
"""

import itertools
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from directory.models import Postcode
from directory.postcode_import import read_codepoint, read_onspd
from directory.postcodes import rebuild_areas

BATCH = 5000


class Command(BaseCommand):
    help = (
        "Load postcodes and their centres into the directory's postcode table. "
        "Give one ONSPD CSV, or Code-Point Open CSV files or a folder of them (--format codepoint)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="CSV files, or folders of CSV files")
        parser.add_argument("--format", choices=["onspd", "codepoint"], default="onspd")
        parser.add_argument(
            "--source", default=None, help="Label stored with each row (default: the format)"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        paths = options["paths"]
        reader = read_onspd if options["format"] == "onspd" else read_codepoint
        source = options["source"] or options["format"]
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(sorted(path.glob("*.csv")))
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"{raw} does not exist.")
        total = 0
        for path in files:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                try:
                    rows = reader(handle)
                    progress = tqdm(
                        rows, desc=path.name, unit=" postcodes", disable=options["no_progress"]
                    )
                    total += self._load(progress, source)
                except ValueError as error:
                    raise CommandError(f"{path}: {error}") from None
        areas = rebuild_areas()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {total} postcodes; {areas} districts and sectors placed.")
        )

    def _load(self, rows, source):
        count = 0
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, BATCH)):
            with transaction.atomic():
                Postcode.objects.bulk_create(
                    [
                        Postcode(postcode=p, latitude=lat, longitude=lon, source=source)
                        for p, lat, lon in batch
                    ],
                    update_conflicts=True,
                    unique_fields=["postcode"],
                    update_fields=["latitude", "longitude", "source"],
                )
            count += len(batch)
        return count

"""Importing collection rounds from a spreadsheet (``manage.py import_bin_rounds rounds.csv``).

Councils keep rounds in Excel, so the file may be UTF-8 (with or without the byte-order mark
Excel adds) or Windows-1252. Each row is checked on its own: a bad row is reported with its row
number and a plain reason and never stops the others. Rows are matched on what they cover (bin
type, UPRN, street, postcode, number range, odd/even), so importing the file again updates
days instead of adding duplicates.

Columns (headings in any case and order): round, bin_type, frequency, first_collection, uprn,
street, postcode, from, to, odd_even.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction

from .models import BinType, CollectionRound, Parity

BIN_TYPES = {
    "general": BinType.GENERAL,
    "general waste": BinType.GENERAL,
    "rubbish": BinType.GENERAL,
    "refuse": BinType.GENERAL,
    "recycling": BinType.RECYCLING,
    "garden": BinType.GARDEN,
    "garden waste": BinType.GARDEN,
    "food": BinType.FOOD,
    "food waste": BinType.FOOD,
}
FREQUENCIES = {
    "weekly": 1,
    "every week": 1,
    "1": 1,
    "fortnightly": 2,
    "every other week": 2,
    "2": 2,
}
PARITIES = {"": Parity.ALL, "all": Parity.ALL, "odd": Parity.ODD, "even": Parity.EVEN}
REQUIRED = ("round", "bin_type", "frequency", "first_collection")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y")


class RowError(ValueError):
    pass


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a byte-order mark dropped), else Windows-1252 as Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _date(text: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(f"first collection “{text}” is not a date like 2026-12-03 or 03/12/2026")


def _number(text: str, name: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise RowError(f"“{name}” must be a house number, not “{text}”")
    return int(text)


def parse_row(row: dict[str, str]) -> dict[str, object]:
    """The round's fields from one row, or RowError saying what is wrong in plain words."""
    missing = [name for name in REQUIRED if not row.get(name)]
    if missing:
        raise RowError("missing " + ", ".join(name.replace("_", " ") for name in missing))
    bin_type = BIN_TYPES.get(row["bin_type"].lower())
    if bin_type is None:
        raise RowError(
            f"bin type “{row['bin_type']}” is not one of general, recycling, garden or food"
        )
    every = FREQUENCIES.get(row["frequency"].lower())
    if every is None:
        raise RowError(f"frequency “{row['frequency']}” must be weekly or fortnightly")
    parity = PARITIES.get(row.get("odd_even", "").lower())
    if parity is None:
        raise RowError(f"odd/even “{row['odd_even']}” must be odd, even or blank")
    uprn, street = row.get("uprn", ""), row.get("street", "").upper()
    if not uprn and not street:
        raise RowError("give a UPRN or a street")
    low, high = _number(row.get("from", ""), "from"), _number(row.get("to", ""), "to")
    if (low is None) != (high is None):
        raise RowError("give both “from” and “to” house numbers, or neither")
    if low is not None and high is not None and low > high:
        raise RowError(f"“from” ({low}) is above “to” ({high})")
    return {
        "name": row["round"][:100],
        "bin_type": bin_type,
        "every_weeks": every,
        "first_collection": _date(row["first_collection"]),
        "uprn": uprn[:20],
        "street": street[:200],
        "postcode": row.get("postcode", "").upper()[:10],
        "number_from": low,
        "number_to": high,
        "parity": parity,
    }


def import_rounds(data: bytes) -> ImportReport:
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(decode(data)))
    if reader.fieldnames is None:
        report.rejected.append((1, "the file is empty"))
        return report
    reader.fieldnames = [name.strip().lower().replace(" ", "_") for name in reader.fieldnames]
    absent = [name for name in REQUIRED if name not in reader.fieldnames]
    if absent:
        report.rejected.append((1, "the heading row has no column " + ", ".join(absent)))
        return report
    for number, raw in enumerate(reader, start=2):  # row 1 is the headings
        row = {key: (value or "").strip() for key, value in raw.items() if key}
        if not any(row.values()):
            continue
        try:
            values = parse_row(row)
        except RowError as error:
            report.rejected.append((number, str(error)))
            continue
        scope = {
            key: values.pop(key)
            for key in (
                "bin_type",
                "uprn",
                "street",
                "postcode",
                "number_from",
                "number_to",
                "parity",
            )
        }
        with transaction.atomic():
            _round, created = CollectionRound.objects.update_or_create(**scope, defaults=values)
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report

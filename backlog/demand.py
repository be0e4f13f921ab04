"""Contact volumes (demand) by service, channel and month, loaded from a CSV file.

Columns: ``service, channel, month, count`` and optionally ``delivery_unit`` (a slug or a name).
``month`` is ``2025-04`` (or a date in the month, as Excel rewrites it: ``01/04/2025``,
``Apr-25``). Files come from spreadsheets, so they are read as UTF-8 (with or without Excel's
byte order mark), UTF-16 with a byte order mark, or Windows-1252 (Excel's "CSV" on a UK PC).

An import is planned before anything is written (``plan_import``): each row is checked on its
own, so one bad row never stops the rest, and a row is refused with its reason, by its row
number as a spreadsheet shows it (the header is row 1), when

- a value is missing or wrong (a month of 13, a count of "lots"),
- the file holds the same service, channel and month more than once: none of those rows is
  imported, because which count is right is a guess,
- the figure on record belongs to another delivery unit than the row names (or the row names
  none): a unit's figures are never overwritten by another's file,
- the person uploading is not in the row's delivery unit (uploads in the admin).

``apply_plan`` then writes the rows that passed, in bulk, in one transaction.
"""

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from core.models import DeliveryUnit

from .models import DemandRecord

CHANNELS = {value for value, _label in DemandRecord.Channel.choices}
CHANNEL_ALIASES = {
    "face to face": "face-to-face",
    "f2f": "face-to-face",
    "telephone": "phone",
    "online": "web",
}
REQUIRED = ("service", "channel", "month", "count")
HEADER_ALIASES = {"unit": "delivery_unit"}
MONTH_FORMATS = ("%Y-%m", "%Y-%m-%d", "%d/%m/%Y", "%b-%y", "%b %Y", "%B %Y", "%m/%Y")
BATCH_SIZE = 500

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"


class UnreadableFile(ValueError):
    """The file as a whole cannot be imported (not text, or no usable header row)."""


class BadRow(ValueError):
    pass


@dataclass
class PlannedRow:
    """What importing one row of the file does, or why it is refused."""

    number: int  # the row as a spreadsheet numbers it: the header is row 1
    action: str = REJECT
    reason: str = ""
    service: str = ""
    channel: str = ""
    month: datetime.date | None = None
    count: int | None = None
    unit: DeliveryUnit | None = None
    before: int | None = None  # the count on record, for an update
    record: DemandRecord | None = None

    @property
    def key(self):
        return (self.service, self.channel, self.month)

    @property
    def label(self):
        """ "Missed bins, phone, 2025-01": how a row is named in messages."""
        return f"{self.service}, {self.channel}, {self.month:%Y-%m}"


@dataclass
class ImportPlan:
    encoding: str
    rows: list[PlannedRow] = field(default_factory=list)

    def with_action(self, action):
        return [row for row in self.rows if row.action == action]

    @property
    def rejected(self):
        return self.with_action(REJECT)

    def counts(self):
        return {
            action: len(self.with_action(action)) for action in (CREATE, UPDATE, UNCHANGED, REJECT)
        }

    def summary(self, done=True):
        """ "Created 3, updated 1, unchanged 0, rejected 2." (or "Would create ..." before)."""
        n = self.counts()
        if done:
            return (
                f"Created {n[CREATE]}, updated {n[UPDATE]}, unchanged {n[UNCHANGED]}, "
                f"rejected {n[REJECT]}."
            )
        return (
            f"Would create {n[CREATE]}, update {n[UPDATE]}, leave {n[UNCHANGED]} unchanged "
            f"and reject {n[REJECT]}."
        )


# --- Reading the file -----------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """(text, the encoding's name) of a CSV file from a spreadsheet, or UnreadableFile."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "This is an Excel workbook, not a CSV file: in Excel, use Save as › CSV UTF-8."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise UnreadableFile(
            "The file is not text a spreadsheet saves (UTF-8 or Windows-1252): "
            "in Excel, use Save as › CSV UTF-8."
        ) from None


def _delimiter(header_line):
    """Excel writes commas, or semicolons where the comma is the decimal mark; tabs for "text"."""
    return max([",", ";", "\t"], key=header_line.count)


def _header(name):
    name = "_".join((name or "").strip().lower().replace("-", " ").split())
    return HEADER_ALIASES.get(name, name)


def read_rows(text: str) -> Iterator[tuple[int, dict]]:
    """(row number, {column: value}) for each non-blank row, after checking the header row."""
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header = [_header(name) for name in next(reader, [])]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise UnreadableFile(f"The header row (row 1) is missing: {', '.join(missing)}.")
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # Excel leaves empty rows (",,,,") below the figures
        yield number, dict(zip(header, cells, strict=False))


# --- Checking one row -----------------------------------------------------------------


def parse_month(text):
    text = (text or "").strip()
    for pattern in MONTH_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date().replace(day=1)
        except ValueError:
            continue
    raise BadRow(f"month \u201c{text}\u201d must be a year and month, like 2025-04")


def _unit_index():
    units = {}
    for unit in DeliveryUnit.objects.all():
        units[unit.slug.lower()] = unit
        units[unit.name.lower()] = unit
    return units


def parse_row(number, cells, units, default_unit=None):
    """A PlannedRow with the row's values, or BadRow saying what is wrong with it."""
    service = " ".join((cells.get("service") or "").split())
    if not service:
        raise BadRow("service is missing")
    channel = (cells.get("channel") or "").strip().lower()
    channel = CHANNEL_ALIASES.get(channel, channel)
    if channel not in CHANNELS:
        raise BadRow(
            f"channel \u201c{cells.get('channel', '')}\u201d must be one of "
            f"{', '.join(sorted(CHANNELS))}"
        )
    month = parse_month(cells.get("month"))
    raw_count = (cells.get("count") or "").strip().replace(",", "")
    if not raw_count.isdigit():
        raise BadRow(
            f"count \u201c{cells.get('count', '')}\u201d must be a whole number, 0 or more"
        )
    unit_name = (cells.get("delivery_unit") or "").strip()
    if unit_name and unit_name.lower() not in units:
        raise BadRow(f"delivery unit \u201c{unit_name}\u201d does not exist")
    return PlannedRow(
        number=number,
        service=service[:120],
        channel=channel,
        month=month,
        count=int(raw_count),
        unit=units[unit_name.lower()] if unit_name else default_unit,
    )


def _against_record(row, record, allowed_unit_ids):
    """Set what happens to a valid row, given the figure on record (or None)."""
    if allowed_unit_ids is not None and (row.unit is None or row.unit.pk not in allowed_unit_ids):
        row.reason = (
            f"you cannot change figures of {row.unit.name} (you are not in that delivery unit)"
            if row.unit
            else "name the delivery unit (the figures must belong to one of yours)"
        )
        return
    if record is None:
        row.action = CREATE
        return
    owner = record.delivery_unit
    if owner is not None and (row.unit is None or row.unit.pk != owner.pk):
        row.reason = (
            f"{row.label} belongs to {owner.name}, not {row.unit.name}: not changed"
            if row.unit
            else f"{row.label} belongs to {owner.name} and this row names no delivery unit: "
            "not changed"
        )
        return
    row.record, row.before = record, record.count
    unchanged = record.count == row.count and record.delivery_unit_id == getattr(
        row.unit, "pk", None
    )
    row.action = UNCHANGED if unchanged else UPDATE


def _reject_duplicates(rows):
    """Every row whose service, channel and month another row of the file also has."""
    by_key = defaultdict(list)
    for row in rows:
        by_key[row.key].append(row)
    for group in by_key.values():
        if len(group) < 2:
            continue
        for row in group:
            others = [str(other.number) for other in group if other is not row]
            where = (
                f"row {others[0]}"
                if len(others) == 1
                else f"rows {', '.join(others[:-1])} and {others[-1]}"
            )
            none = "neither row was" if len(group) == 2 else "none of them was"
            row.action = REJECT
            row.reason = f"{row.label} is also in {where}: {none} imported (keep one)"


def plan_import(
    text: str,
    *,
    encoding: str = "UTF-8",
    allowed_unit_ids: set[int] | None = None,
    default_unit: DeliveryUnit | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> ImportPlan:
    """What importing ``text`` would do, row by row; writes nothing.

    ``allowed_unit_ids``: the delivery units whose figures the uploader may change (None: any,
    as for ``manage.py import_demand``). ``default_unit`` is used for rows that name none.
    """
    plan = ImportPlan(encoding=encoding)
    units = _unit_index()
    valid = []
    rows = read_rows(text)
    for number, cells in progress(rows) if progress else rows:
        try:
            row = parse_row(number, cells, units, default_unit)
        except BadRow as error:
            plan.rows.append(PlannedRow(number=number, reason=str(error)))
            continue
        plan.rows.append(row)
        valid.append(row)
    _reject_duplicates(valid)
    valid = [row for row in valid if not row.reason]
    on_record = {
        (r.service, r.channel, r.month): r
        for r in DemandRecord.objects.filter(
            service__in={row.service for row in valid}, month__in={row.month for row in valid}
        ).select_related("delivery_unit")
    }
    for row in valid:
        _against_record(row, on_record.get(row.key), allowed_unit_ids)
    return plan


# --- Writing --------------------------------------------------------------------------


@transaction.atomic
def apply_plan(plan: ImportPlan) -> ImportPlan:
    """Write the plan's new and changed figures, in bulk and in one transaction."""
    DemandRecord.objects.bulk_create(
        [
            DemandRecord(
                service=row.service,
                channel=row.channel,
                month=row.month,
                count=row.count,
                delivery_unit=row.unit,
            )
            for row in plan.with_action(CREATE)
        ],
        batch_size=BATCH_SIZE,
    )
    changed = []
    for row in plan.with_action(UPDATE):
        row.record.count, row.record.delivery_unit = row.count, row.unit
        changed.append(row.record)
    DemandRecord.objects.bulk_update(changed, ["count", "delivery_unit"], batch_size=BATCH_SIZE)
    return plan


def import_text(text: str, **options) -> ImportPlan:
    """Plan and apply in one transaction, so what was checked is what is written."""
    with transaction.atomic():
        return apply_plan(plan_import(text, **options))


def import_file(path) -> ImportPlan:
    """Import a CSV file from disk (the demo's figures, ``manage.py import_demand``)."""
    text, encoding = decode(path.read_bytes())
    return import_text(text, encoding=encoding)


# --- Reading the figures --------------------------------------------------------------


def demand_by_channel(service_words=None, unit=None):
    """{channel: contacts} over the last 12 months on record, optionally for services matching words."""
    records = DemandRecord.objects.all()
    if unit is not None:
        records = records.filter(delivery_unit=unit)
    latest = records.order_by("-month").values_list("month", flat=True).first()
    if latest is None:
        return {}
    start = latest.replace(year=latest.year - 1)
    records = records.filter(month__gt=start)
    totals = {}
    for service, channel, count in records.values_list("service", "channel", "count"):
        if service_words and not any(w in service.lower() for w in service_words):
            continue
        totals[channel] = totals.get(channel, 0) + count
    return totals

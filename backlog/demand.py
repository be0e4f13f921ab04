"""Contact volumes (demand) by service, channel and month, loaded from a CSV file.

Columns: ``service, channel, month, count`` and optionally ``delivery_unit`` (a slug).
``month`` is ``YYYY-MM``. Bad rows are reported with their line number and a plain reason;
the good rows are still imported (each row is saved on its own, so nothing is half-saved).
"""

import csv
import datetime
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


@dataclass
class ImportReport:
    imported: int = 0
    errors: list = field(default_factory=list)  # [(line number, message)]


class BadRow(ValueError):
    pass


def parse_month(text):
    try:
        return datetime.datetime.strptime((text or "").strip(), "%Y-%m").date()
    except ValueError:
        raise BadRow(f"month \u201c{text}\u201d must be a year and month, like 2025-04") from None


def parse_row(row, units):
    service = (row.get("service") or "").strip()
    if not service:
        raise BadRow("service is missing")
    channel = (row.get("channel") or "").strip().lower()
    channel = CHANNEL_ALIASES.get(channel, channel)
    if channel not in CHANNELS:
        raise BadRow(
            f"channel \u201c{row.get('channel')}\u201d must be one of {', '.join(sorted(CHANNELS))}"
        )
    month = parse_month(row.get("month"))
    raw_count = (row.get("count") or "").strip().replace(",", "")
    if not raw_count.isdigit():
        raise BadRow(f"count \u201c{row.get('count')}\u201d must be a whole number, 0 or more")
    unit_slug = (row.get("delivery_unit") or "").strip()
    if unit_slug and unit_slug not in units:
        raise BadRow(f"delivery unit \u201c{unit_slug}\u201d does not exist")
    return {
        "service": service,
        "channel": channel,
        "month": month,
        "count": int(raw_count),
        "delivery_unit": units.get(unit_slug),
    }


def import_demand(lines, progress=None):
    """Import rows from an iterable of CSV lines. ``progress`` wraps the row iterator (e.g. tqdm)."""
    report = ImportReport()
    reader = csv.DictReader(lines)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"the header row is missing: {', '.join(missing)}"))
        return report
    units = {u.slug: u for u in DeliveryUnit.objects.all()}
    rows = progress(reader) if progress else reader
    for row in rows:
        try:
            values = parse_row(row, units)
        except BadRow as error:
            report.errors.append((reader.line_num, str(error)))
            continue
        with transaction.atomic():
            DemandRecord.objects.update_or_create(
                service=values["service"],
                channel=values["channel"],
                month=values["month"],
                defaults={"count": values["count"], "delivery_unit": values["delivery_unit"]},
            )
        report.imported += 1
    return report


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

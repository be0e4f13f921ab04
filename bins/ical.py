"""A calendar feed (RFC 5545) of an address's collections, written by hand: the format is small
and no iCalendar library is a dependency. Lines end CRLF and fold at 75 octets; text escapes
backslash, semicolon, comma and newline."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from itertools import groupby

from django.utils.translation import gettext as _

from .schedule import Collection


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, never inside a UTF-8 character."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not pieces else 74):
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def feed(
    name: str, uid_base: str, collections: Iterable[Collection], now: datetime.datetime
) -> str:
    """One all-day event a collection day, naming every bin emptied that day."""
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Signpost//Bin collections//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
    ]
    for day, same_day in groupby(collections, key=lambda c: c.date):
        bins = list(same_day)
        summary = _("Bin collection: %(bins)s") % {"bins": ", ".join(c.bin_name for c in bins)}
        notes = [_("Put your bins out by 7am, with the lids shut.")]
        notes += [
            _("%(bin)s moved from %(day)s (%(reason)s)")
            % {"bin": c.bin_name, "day": c.usual_date.strftime("%d/%m/%Y"), "reason": c.reason}
            for c in bins
            if c.moved
        ]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid_base}-{day:%Y%m%d}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(chr(10).join(notes))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

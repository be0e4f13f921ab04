"""Opening hours as people write them ("Mon–Fri 9:00–17:00"), to and from HSDS weekly schedules.

One line per rule. A line is a set of days then a time range:

    Mon–Fri 9:00–17:00
    Sat 10:00-13:00
    Tue, Thu 9.30am–12pm

Days may be ranges or lists; times may use 24-hour or am/pm. ``parse`` returns rules or raises
``OpeningHoursError`` with a message that says which line is wrong and how to fix it;
``format_schedule`` writes a rule back in the same form, so the field round-trips.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.dates import WEEKDAYS_ABBR

from .models import DAY_CODES

DAY_WORDS = {
    "mo": "MO",
    "mon": "MO",
    "monday": "MO",
    "mondays": "MO",
    "tu": "TU",
    "tue": "TU",
    "tues": "TU",
    "tuesday": "TU",
    "tuesdays": "TU",
    "we": "WE",
    "wed": "WE",
    "weds": "WE",
    "wednesday": "WE",
    "wednesdays": "WE",
    "th": "TH",
    "thu": "TH",
    "thur": "TH",
    "thurs": "TH",
    "thursday": "TH",
    "thursdays": "TH",
    "fr": "FR",
    "fri": "FR",
    "friday": "FR",
    "fridays": "FR",
    "sa": "SA",
    "sat": "SA",
    "saturday": "SA",
    "saturdays": "SA",
    "su": "SU",
    "sun": "SU",
    "sunday": "SU",
    "sundays": "SU",
}
SHORT_NAMES = dict(zip(DAY_CODES, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], strict=True))
DASHES = re.compile(r"\s*[\u2013\u2014\-]\s*|\s+to\s+", re.IGNORECASE)
TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


class OpeningHoursError(ValueError):
    pass


@dataclass(frozen=True)
class WeeklyRule:
    days: tuple[str, ...]  # HSDS codes in week order
    opens_at: datetime.time
    closes_at: datetime.time

    @property
    def byday(self):
        return ",".join(self.days)


def parse(text):
    """Turn the field's text into a list of WeeklyRule, one per non-blank line."""
    rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        rules.append(_parse_line(line, number))
    return rules


def _parse_line(line, number):
    match = re.match(r"^(?P<days>[A-Za-z,\s\u2013\u2014\-]+?)\s+(?P<times>\d.*)$", line)
    if match is None:
        raise OpeningHoursError(
            f"Line {number}: write the days then the times, like \u201cMon\u2013Fri 9:00\u201317:00\u201d."
        )
    days = _parse_days(match.group("days"), number)
    parts = DASHES.split(match.group("times").strip())
    if len(parts) != 2:
        raise OpeningHoursError(
            f"Line {number}: give an opening and a closing time, like \u201c9:00\u201317:00\u201d."
        )
    opens_at, closes_at = (_parse_time(part, number) for part in parts)
    if closes_at <= opens_at:
        raise OpeningHoursError(f"Line {number}: the closing time must be after the opening time.")
    return WeeklyRule(days, opens_at, closes_at)


def _parse_days(text, number):
    codes = set()
    for chunk in re.split(r"\s*,\s*|\s+and\s+|\s+&\s+", text.strip(), flags=re.IGNORECASE):
        if not chunk:
            continue
        ends = DASHES.split(chunk)
        try:
            found = [DAY_WORDS[end.strip().lower()] for end in ends]
        except KeyError:
            raise OpeningHoursError(
                f"Line {number}: \u201c{chunk}\u201d is not a day. Use day names like Mon, Tue or Saturday."
            ) from None
        if len(found) == 1:
            codes.add(found[0])
        elif len(found) == 2:
            start, end = (DAY_CODES.index(code) for code in found)
            if end < start:
                raise OpeningHoursError(
                    f"Line {number}: put the days of a range in week order, like Mon\u2013Fri."
                )
            codes.update(DAY_CODES[start : end + 1])
        else:
            raise OpeningHoursError(f"Line {number}: a day range has two ends, like Mon\u2013Fri.")
    if not codes:
        raise OpeningHoursError(f"Line {number}: say which days, like \u201cMon\u2013Fri\u201d.")
    return tuple(code for code in DAY_CODES if code in codes)


def _parse_time(text, number):
    match = TIME.match(text.strip())
    if match is None:
        raise OpeningHoursError(
            f"Line {number}: \u201c{text}\u201d is not a time. Write times like 9:00 or 17:30."
        )
    hour, minute, suffix = (
        int(match.group(1)),
        int(match.group(2) or 0),
        (match.group(3) or "").lower(),
    )
    if suffix:
        if not 1 <= hour <= 12:
            raise OpeningHoursError(f"Line {number}: \u201c{text}\u201d is not a time.")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour == 24 and minute == 0:
        return datetime.time(23, 59)
    if hour > 23 or minute > 59:
        raise OpeningHoursError(f"Line {number}: \u201c{text}\u201d is not a time.")
    return datetime.time(hour, minute)


def format_days(codes, names=None):
    """["MO","TU","WE","TH","FR"] -> "Mon–Fri"; ["TU","TH"] -> "Tue, Thu".

    ``names`` maps day codes to the names to show (default: the English short names the
    opening-hours field reads back)."""
    names = names or SHORT_NAMES
    indexes = sorted(DAY_CODES.index(code) for code in codes if code in DAY_CODES)
    runs, start, previous = [], None, None
    for index in indexes:
        if start is None:
            start = previous = index
        elif index == previous + 1:
            previous = index
        else:
            runs.append((start, previous))
            start = previous = index
    if start is not None:
        runs.append((start, previous))
    parts = []
    for first, last in runs:
        if last - first >= 2:
            parts.append(f"{names[DAY_CODES[first]]}\u2013{names[DAY_CODES[last]]}")
        else:
            parts.extend(names[DAY_CODES[i]] for i in range(first, last + 1))
    return ", ".join(parts)


def format_rule(days, opens_at, closes_at):
    return f"{format_days(days)} {opens_at:%H:%M}\u2013{closes_at:%H:%M}"


def format_schedule(schedule):
    if not schedule.days or schedule.opens_at is None or schedule.closes_at is None:
        return ""
    return format_rule(schedule.days, schedule.opens_at, schedule.closes_at)


def describe_schedule(schedule):
    """Opening times for residents, with day names in their language: "wt., czw. 11:00–13:00".

    The day names are Django's own translated abbreviations; ``format_schedule`` stays English
    because the admin's opening-hours field reads its text back."""

    if not schedule.days or schedule.opens_at is None or schedule.closes_at is None:
        return ""
    names = {code: str(WEEKDAYS_ABBR[index]) for index, code in enumerate(DAY_CODES)}
    return f"{format_days(schedule.days, names)} {schedule.opens_at:%H:%M}\u2013{schedule.closes_at:%H:%M}"


def format_schedules(schedules):
    return "\n".join(format_schedule(s) for s in schedules if s.is_simple_weekly)

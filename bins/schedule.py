"""When each bin is next emptied at an address: the rounds that cover it, their pattern, and
the bank-holiday changes. Pure date arithmetic over rows read once per call."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.utils.formats import date_format

from eforms.models import AddressPoint

from .models import SHORT_NAMES, BankHoliday, BinType, CollectionChange, CollectionRound, Parity

# How far ahead a page or a calendar looks. A year covers any fortnightly pattern many times.
HORIZON_DAYS = 366


@dataclass(frozen=True)
class Collection:
    bin_type: str
    date: datetime.date
    usual_date: datetime.date  # the pattern's day, before any bank-holiday change
    reason: str = ""  # why it moved, when it did

    @property
    def moved(self) -> bool:
        return self.date != self.usual_date

    @property
    def bin_name(self) -> str:
        return str(SHORT_NAMES[BinType(self.bin_type)])

    def sentence(self) -> str:
        """ "Recycling: Thursday 3 December", as residents read it."""
        return f"{self.bin_name}: {date_format(self.date, 'l j F')}"


def house_number(line_1: str, street: str) -> int | None:
    """The building's number on its street: 12 for "Flat 1, 12 High Street", None for a name."""
    before = line_1.upper()
    if street and street.upper() in before:
        before = before[: before.rindex(street.upper())]
    numbers = re.findall(r"(\d+)[A-Z]?\b", before)
    return int(numbers[-1]) if numbers else None


def covers(round_: CollectionRound, address: AddressPoint) -> bool:
    if round_.uprn:
        return round_.uprn == address.uprn
    if round_.street != address.street.upper():
        return False
    if round_.postcode and round_.postcode != address.postcode.upper():
        return False
    number = house_number(address.line_1, address.street)
    if round_.number_from is not None and round_.number_to is not None:
        if number is None or not round_.number_from <= number <= round_.number_to:
            return False
    if round_.parity != Parity.ALL:
        if number is None or (number % 2 == 1) != (round_.parity == Parity.ODD):
            return False
    return True


def rounds_for(address: AddressPoint) -> dict[str, CollectionRound]:
    """Each bin type's round at this address: the narrowest rule that covers it."""
    candidates = CollectionRound.objects.filter(
        Q(uprn=address.uprn) | Q(uprn="", street=address.street.upper())
    )
    chosen: dict[str, CollectionRound] = {}
    for round_ in candidates:
        if not covers(round_, address):
            continue
        current = chosen.get(round_.bin_type)
        if current is None or round_.specificity() > current.specificity():
            chosen[round_.bin_type] = round_
    return chosen


def usual_dates(
    round_: CollectionRound, start: datetime.date, end: datetime.date
) -> Iterator[datetime.date]:
    """The pattern's days from start to end inclusive."""
    step = 7 * round_.every_weeks
    offset = (start - round_.first_collection).days % step
    day = start + datetime.timedelta(days=(step - offset) % step)
    while day <= end:
        yield day
        day += datetime.timedelta(days=step)


class Calendar:
    """The bank holidays and hand-made changes, read once, applied to any number of dates."""

    def __init__(
        self,
        holidays: Iterable[datetime.date] | None = None,
        changes: dict[datetime.date, tuple[datetime.date | None, str]] | None = None,
        holiday_names: dict[datetime.date, str] | None = None,
    ) -> None:
        if holidays is None:
            rows = list(BankHoliday.objects.values_list("date", "name"))
            holidays = [day for day, _name in rows]
            holiday_names = dict(rows)
        if changes is None:
            changes = {
                change.original_date: (change.new_date, change.reason)
                for change in CollectionChange.objects.all()
            }
        self.holidays = set(holidays)
        self.holiday_names = holiday_names or {}
        self.changes = changes

    def actual(self, usual: datetime.date) -> tuple[datetime.date | None, str]:
        """The day a collection due on ``usual`` really happens (None: not that week), and why.

        A hand-made change wins. Otherwise each weekday bank holiday in the same Monday-to-Friday
        week, on or before the usual day, moves it one day later.
        """
        if usual in self.changes:
            return self.changes[usual]
        monday = usual - datetime.timedelta(days=usual.weekday())
        earlier = sorted(
            day
            for day in self.holidays
            if monday <= day <= usual and day.weekday() < 5 and usual.weekday() < 5
        )
        if not earlier:
            return usual, ""
        reason = self.holiday_names.get(earlier[0], "")
        return usual + datetime.timedelta(days=len(earlier)), reason


def collections(
    address: AddressPoint,
    start: datetime.date,
    days: int = HORIZON_DAYS,
    calendar: Calendar | None = None,
) -> list[Collection]:
    """Every collection at the address from start, in date order (bin order within a day)."""
    calendar = calendar or Calendar()
    end = start + datetime.timedelta(days=days)
    found = []
    order = list(BinType.values)
    for bin_type, round_ in rounds_for(address).items():
        # Look a week back too: a collection due last Friday may move into this week.
        for usual in usual_dates(round_, start - datetime.timedelta(days=7), end):
            actual, reason = calendar.actual(usual)
            if actual is not None and start <= actual <= end:
                found.append(Collection(bin_type, actual, usual, reason))
    return sorted(found, key=lambda c: (c.date, order.index(c.bin_type)))


def next_collections(address: AddressPoint, today: datetime.date) -> list[Collection]:
    """The next collection of each bin at the address (today's included), soonest first."""
    nexts: dict[str, Collection] = {}
    for collection in collections(address, today):
        nexts.setdefault(collection.bin_type, collection)
    return sorted(nexts.values(), key=lambda c: (c.date, list(BinType.values).index(c.bin_type)))


def collected_on(
    address: AddressPoint, day: datetime.date, calendar: Calendar | None = None
) -> list[Collection]:
    """The collections at the address on one day (the missed-bin form asks about today)."""
    return [c for c in collections(address, day, days=0, calendar=calendar) if c.date == day]

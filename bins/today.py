"""Is today the collection day at an address, and has the crew finished? What a resident needs
before reporting a missed bin, said the same way on the bin-day page and in the missed-bin form.

Crews work until 5pm. A round the depot has marked finished today says so, with the time;
otherwise, before 5pm the resident is told to wait until then, and after it that crews have
finished for the day. On any other day they read their last collection day, and how long they
have to report it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from eforms.models import AddressPoint, FormDefinition

from .schedule import Calendar, Collection, collections, rounds_for

# The e-form residents report a missed bin with (eforms.demo's, and every council's copy of it).
MISSED_BIN_FORM = "missed-bin-report"
# The one finishing time in every text: "Crews work until 5pm".
CREWS_FINISH = datetime.time(17, 0)
# How far back "your last collection" looks: a fortnightly round, and a bank-holiday week.
LOOK_BACK_DAYS = 21


@dataclass(frozen=True)
class Today:
    """What today means for bins at one address."""

    bins: list[str]  # the bins due today, as residents name them; empty on other days
    finished_at: datetime.datetime | None  # the latest time the crews finished today, if all did
    last: list[Collection]  # the most recent earlier collection day's collections

    @property
    def is_collection_day(self) -> bool:
        return bool(self.bins)


def clock(moment: datetime.datetime) -> str:
    """ "2:15pm", as GOV.UK writes times (Django's "P" says "2:15 p.m.")."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def today_at(address: AddressPoint, now: datetime.datetime | None = None) -> Today:
    """Today's bins at the address, whether their crews have finished, and the last collection."""
    now = timezone.localtime(now)
    today = now.date()
    calendar = Calendar()
    start = today - datetime.timedelta(days=LOOK_BACK_DAYS)
    found = collections(address, start, days=LOOK_BACK_DAYS, calendar=calendar)
    todays = [c for c in found if c.date == today]
    earlier = [c for c in found if c.date < today]
    last = [c for c in earlier if c.date == earlier[-1].date] if earlier else []
    finished_at = None
    if todays:
        rounds = rounds_for(address)
        times = [rounds[c.bin_type].finished_at for c in todays]
        local = [timezone.localtime(t) for t in times if t is not None]
        if len(local) == len(times) and all(t.date() == today for t in local):
            finished_at = max(local)
    return Today([c.bin_name for c in todays], finished_at, last)


def collection_day_text(address: AddressPoint, now: datetime.datetime | None = None) -> str:
    """One plain-English paragraph: is today the collection day, and has the crew finished."""
    now = timezone.localtime(now)
    status = today_at(address, now)
    if status.is_collection_day:
        opening = _("Today is your collection day for %(bins)s.") % {
            "bins": get_text_list(status.bins, _("and"))
        }
        if status.finished_at is not None:
            rest = _(
                "The crew finished your round at %(time)s. If your bin was not emptied, report it."
            ) % {"time": clock(status.finished_at)}
        elif now.time() < CREWS_FINISH:
            rest = _(
                "The crew has not finished yet. Crews work until 5pm: if your bin has not been "
                "emptied by then, report it."
            )
        else:
            rest = _("Our crews have finished for today. If your bin was not emptied, report it.")
        return f"{opening} {rest}"
    opening = _("Today is not a collection day at this address.")
    if status.last:
        opening += " " + _("Your last collection was on %(date)s (%(bins)s).") % {
            "date": date_format(status.last[0].date, "l j F"),
            "bins": get_text_list([c.bin_name for c in status.last], _("and")),
        }
    return opening + " " + _("Report a missed bin within 2 working days of your collection day.")


def missed_bin_notice(form: FormDefinition, uprn: str) -> str | None:
    """The missed-bin form's page after the address: is today the collection day there, and has
    the crew finished (registered with eforms). Nothing for other forms or unknown addresses."""
    if form.slug != MISSED_BIN_FORM:
        return None
    address = AddressPoint.objects.filter(uprn=uprn).first()
    if address is None or not rounds_for(address):
        return None
    return collection_day_text(address)

"""When a service is open: its HSDS schedules read for a date and a moment.

Residents ask "is it open now?" and "when can I go?", so every listing says "Open now, closes at
5pm", "Open today 9am to 5pm" or "Closed today" with the next opening, and a service's page lists
the next seven days. All of it is worked out on the server, in the council's time zone
(``settings.TIME_ZONE``, Europe/London), so it is right without JavaScript and whatever clock
the resident's phone keeps. Nothing here is cached: a listing computes its status as it renders,
so "open now" cannot go stale in a cached fragment.

Opening times are wall-clock times ("9am" is 9am in winter and in summer), so the resident's
moment is turned into London's wall-clock time and compared with the schedules' times as they
are: no arithmetic crosses a clock change.

HSDS schedule semantics read here (the fields Open Referral UK publishes, see ``models.Schedule``):

- ``freq`` WEEKLY with ``byday`` ("MO,TU"): those weekdays; ``interval`` 2 or more needs
  ``dtstart`` (the weeks are counted from it) and is otherwise not guessed at.
- ``freq`` MONTHLY with ``bymonthday`` ("1,15", "-1" the last day) or ``byday`` with an
  ordinal ("1MO" the first Monday, "-1FR" the last Friday).
- ``valid_from`` / ``valid_to`` bound the dates (both inclusive); ``dtstart`` is the first date.
- ``opens_at`` / ``closes_at``: a closing time at or before the opening time runs past midnight
  (a night shelter 8pm to 8am); 23:59 means open until midnight.

A schedule without times (only a description) says nothing about a particular moment, so a
service whose schedules are all like that gets no status (``None``), never "Closed today".
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import pagecache

from .models import DAY_CODES

END_OF_DAY = datetime.time(23, 59)
# How far ahead "Opens Thursday at 10am" looks. A monthly drop-in may be three weeks away.
LOOK_AHEAD_DAYS = 35
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


class ScheduleLike(Protocol):
    """What is read from a schedule (``directory.models.Schedule`` has these fields)."""

    freq: str
    interval: int
    byday: str
    bymonthday: str
    opens_at: datetime.time | None
    closes_at: datetime.time | None
    dtstart: datetime.date | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass(frozen=True)
class Session:
    """One opening: from ``opens`` to ``closes``, London wall-clock times (naive)."""

    opens: datetime.datetime
    closes: datetime.datetime


@dataclass(frozen=True)
class OpeningStatus:
    """What a listing says about a service at one moment."""

    state: str  # "open", "later-today", "closed-for-today", "closed-today"
    headline: str  # "Open now, closes at 5pm"
    next_opening: str = ""  # "Opens tomorrow at 9am"

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def __str__(self) -> str:
        return f"{self.headline}. {self.next_opening}" if self.next_opening else self.headline


@dataclass(frozen=True)
class DayHours:
    """One row of a service page's week: the date, its label and its hours in words."""

    date: datetime.date
    label: str  # "Today", "Wednesday 2 December"
    hours: str  # "9am to 5pm" or "Closed"
    is_today: bool


def council_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def council_now(now: datetime.datetime | None = None) -> datetime.datetime:
    """``now`` (default: this moment) as the council's wall-clock time, naive."""
    moment = now if now is not None else timezone.now()
    if timezone.is_naive(moment):
        raise ValueError("council_now needs an aware datetime")
    return moment.astimezone(council_zone()).replace(tzinfo=None)


def _weekday_codes(byday: str) -> list[tuple[int | None, str]]:
    parsed = []
    for part in byday.upper().replace(" ", "").split(","):
        match = _BYDAY.match(part)
        if match:
            ordinal = int(match.group(1)) if match.group(1) else None
            parsed.append((ordinal, match.group(2)))
    return parsed


def _month_days(bymonthday: str) -> list[int]:
    days = []
    for part in bymonthday.replace(" ", "").split(","):
        try:
            days.append(int(part))
        except ValueError:
            continue
    return days


def _days_in_month(date: datetime.date) -> int:
    following = (date.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return (following - datetime.timedelta(days=1)).day


def applies_on(schedule: ScheduleLike, date: datetime.date) -> bool:
    """Whether the schedule has an opening on ``date`` (by its rule and its dates)."""
    if schedule.valid_from is not None and date < schedule.valid_from:
        return False
    if schedule.valid_to is not None and date > schedule.valid_to:
        return False
    if schedule.dtstart is not None and date < schedule.dtstart:
        return False
    interval = schedule.interval or 1
    code = DAY_CODES[date.weekday()]
    days = _weekday_codes(schedule.byday or "")
    if (schedule.freq or "WEEKLY").upper() == "MONTHLY":
        if interval > 1:
            if schedule.dtstart is None:
                return False
            months = (date.year - schedule.dtstart.year) * 12 + date.month - schedule.dtstart.month
            if months % interval:
                return False
        length = _days_in_month(date)
        month_days = _month_days(schedule.bymonthday or "")
        if month_days:
            return any(day == date.day or length + day + 1 == date.day for day in month_days)
        for ordinal, day in days:
            if day != code:
                continue
            if ordinal is None:
                return True
            from_start = (date.day - 1) // 7 + 1
            from_end = -((length - date.day) // 7 + 1)
            if ordinal in (from_start, from_end):
                return True
        return False
    # WEEKLY (HSDS's default frequency).
    if interval > 1:
        if schedule.dtstart is None:
            return False
        start_monday = schedule.dtstart - datetime.timedelta(days=schedule.dtstart.weekday())
        if ((date - start_monday).days // 7) % interval:
            return False
    if not days:
        return schedule.dtstart is not None and schedule.dtstart.weekday() == date.weekday()
    return any(day == code for _ordinal, day in days)


def sessions_on(schedules: Iterable[ScheduleLike], date: datetime.date) -> list[Session]:
    """The openings that start on ``date``, earliest first, overlapping ones joined."""
    found = []
    for schedule in schedules:
        if schedule.opens_at is None or schedule.closes_at is None:
            continue
        if not applies_on(schedule, date):
            continue
        opens = datetime.datetime.combine(date, schedule.opens_at)
        if schedule.closes_at == END_OF_DAY:
            closes = datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time())
        elif schedule.closes_at <= schedule.opens_at:
            closes = datetime.datetime.combine(
                date + datetime.timedelta(days=1), schedule.closes_at
            )
        else:
            closes = datetime.datetime.combine(date, schedule.closes_at)
        found.append(Session(opens, closes))
    return _joined(sorted(found, key=lambda session: session.opens))


def _joined(sessions: Sequence[Session]) -> list[Session]:
    joined: list[Session] = []
    for session in sessions:
        if joined and session.opens <= joined[-1].closes:
            last = joined[-1]
            joined[-1] = Session(last.opens, max(last.closes, session.closes))
        else:
            joined.append(session)
    return joined


def has_times(schedules: Iterable[ScheduleLike]) -> bool:
    return any(s.opens_at is not None and s.closes_at is not None for s in schedules)


def format_clock(moment: datetime.time) -> str:
    """A time as residents read it: "9am", "5:30pm", "midday", "midnight" (GOV.UK style).

    Other languages read the 24-hour clock ("17:30"), as their own government sites do."""
    language = (translation.get_language() or "en").lower()
    if not language.startswith("en"):
        return "24:00" if moment == END_OF_DAY else f"{moment:%H:%M}"
    if moment in (datetime.time(0), END_OF_DAY):
        return _("midnight")
    if moment == datetime.time(12):
        return _("midday")
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def format_session(session: Session) -> str:
    closes = END_OF_DAY if session.closes.time() == datetime.time(0) else session.closes.time()
    return _("%(opens)s to %(closes)s") % {
        "opens": format_clock(session.opens.time()),
        "closes": format_clock(closes),
    }


def format_sessions(sessions: Sequence[Session]) -> str:
    """ "9am to midday and 2pm to 5pm"."""
    parts = [format_session(session) for session in sessions]
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(earlier)s and %(last)s") % {"earlier": ", ".join(parts[:-1]), "last": parts[-1]}


def _open_block(sessions: Sequence[Session], at: datetime.datetime) -> Session | None:
    """The opening ``at`` falls in, joined with any that follow on without a break."""
    for index, session in enumerate(sessions):
        if session.opens <= at < session.closes:
            closes = session.closes
            for later in sessions[index + 1 :]:
                if later.opens > closes:
                    break
                closes = max(closes, later.closes)
            return Session(session.opens, closes)
    return None


def _next_opening_words(start: datetime.datetime, today: datetime.date) -> str:
    time = format_clock(start.time())
    if start.date() == today + datetime.timedelta(days=1):
        return _("Opens tomorrow at %(time)s") % {"time": time}
    if start.date() - today < datetime.timedelta(days=7):
        return _("Opens %(day)s at %(time)s") % {"day": WEEKDAYS[start.weekday()], "time": time}
    return _("Opens %(date)s at %(time)s") % {
        "date": date_format(start.date(), "l j F"),
        "time": time,
    }


def status(
    schedules: Iterable[ScheduleLike], now: datetime.datetime | None = None
) -> OpeningStatus | None:
    """What a listing says at ``now`` (default: this moment), or None when the hours are unknown."""
    schedules = list(schedules)
    if not has_times(schedules):
        return None
    at = council_now(now)
    today = at.date()
    # Yesterday's openings can run past midnight into today.
    sessions = _joined(
        [
            session
            for offset in range(-1, LOOK_AHEAD_DAYS + 1)
            for session in sessions_on(schedules, today + datetime.timedelta(days=offset))
        ]
    )
    current = _open_block(sessions, at)
    # A cached page showing this is good only until the words change by themselves.
    pagecache.expires_within(_seconds_until_change(sessions, at, current))
    if current is not None:
        if current.closes - at >= datetime.timedelta(hours=24):
            return OpeningStatus("open", _("Open 24 hours"))
        closes = current.closes.time()
        words = format_clock(END_OF_DAY if closes == datetime.time(0) else closes)
        if current.closes.date() > today and closes != datetime.time(0):
            headline = _("Open now, closes at %(time)s tomorrow") % {"time": words}
        else:
            headline = _("Open now, closes at %(time)s") % {"time": words}
        return OpeningStatus("open", headline)
    upcoming = [session for session in sessions if session.opens > at]
    later_today = [session for session in upcoming if session.opens.date() == today]
    started_today = [s for s in sessions if s.opens.date() == today and s.opens <= at]
    if later_today:
        if not started_today:
            hours = format_sessions(later_today)
            return OpeningStatus("later-today", _("Open today %(hours)s") % {"hours": hours})
        return OpeningStatus(
            "later-today",
            _("Closed now, opens again at %(time)s")
            % {"time": format_clock(later_today[0].opens.time())},
        )
    next_session = upcoming[0] if upcoming else None
    after = _next_opening_words(next_session.opens, today) if next_session else ""
    if started_today:
        return OpeningStatus("closed-for-today", _("Closed now"), after)
    return OpeningStatus("closed-today", _("Closed today"), after)


def _seconds_until_change(sessions: Sequence[Any], at: datetime.datetime, current: Any) -> float:
    """Seconds until what ``status`` says changes by itself: a closing, an opening or midnight."""
    midnight = datetime.datetime.combine(
        at.date() + datetime.timedelta(days=1), datetime.time(0), tzinfo=at.tzinfo
    )
    moments: list[datetime.datetime] = [
        midnight,
        *(session.opens for session in sessions if session.opens > at),
    ]
    if current is not None:
        moments.append(current.closes)
    return (min(moments) - at).total_seconds()


def week(
    schedules: Iterable[ScheduleLike], now: datetime.datetime | None = None, days: int = 7
) -> list[DayHours]:
    """The next ``days`` days from today, each with its hours in words ("Closed" when none)."""
    schedules = list(schedules)
    if not has_times(schedules):
        return []
    today = council_now(now).date()
    rows = []
    for offset in range(days):
        date = today + datetime.timedelta(days=offset)
        sessions = sessions_on(schedules, date)
        rows.append(
            DayHours(
                date=date,
                label=_("Today") if offset == 0 else date_format(date, "l j F"),
                hours=format_sessions(sessions) if sessions else _("Closed"),
                is_today=offset == 0,
            )
        )
    return rows


def for_place(
    schedules: Iterable[ScheduleLike], service_at_location_id: object
) -> list[ScheduleLike]:
    """The schedules that hold at one place: the service's own and that place's."""
    return [
        schedule
        for schedule in schedules
        if getattr(schedule, "service_at_location_id", None) in (None, service_at_location_id)
    ]

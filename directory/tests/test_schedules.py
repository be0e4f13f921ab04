"""Opening status from HSDS schedules: the council's clock, day boundaries, BST and GMT."""

import datetime

import pytest
from django.utils import translation

from directory import schedules
from directory.models import Schedule

UTC = datetime.UTC


def weekly(byday, opens, closes, **extra):
    return Schedule(
        freq="WEEKLY",
        interval=extra.pop("interval", 1),
        byday=byday,
        opens_at=datetime.time(*opens),
        closes_at=datetime.time(*closes),
        **extra,
    )


OFFICE = [weekly("MO,TU,WE,TH,FR", (9,), (17,))]


def said(rules, *moment):
    with translation.override("en-gb"):
        found = schedules.status(rules, datetime.datetime(*moment, tzinfo=UTC))
        return str(found) if found else None


def test_open_now_in_summer_reads_british_summer_time():
    # 08:30 UTC on a July Monday is 09:30 in London (BST): open.
    assert said(OFFICE, 2026, 7, 6, 8, 30) == "Open now, closes at 5pm"
    # 16:30 UTC is 17:30 BST: closed for the day, back tomorrow.
    assert said(OFFICE, 2026, 7, 6, 16, 30) == "Closed now. Opens tomorrow at 9am"


def test_open_later_in_winter_reads_greenwich_mean_time():
    # 08:30 UTC on a January Monday is 08:30 in London (GMT): not open yet.
    assert said(OFFICE, 2026, 1, 5, 8, 30) == "Open today 9am to 5pm"
    assert said(OFFICE, 2026, 1, 5, 16, 59) == "Open now, closes at 5pm"
    assert said(OFFICE, 2026, 1, 5, 17, 0) == "Closed now. Opens tomorrow at 9am"


def test_the_day_turns_at_london_midnight_not_utc_midnight():
    # 23:30 UTC on Sunday 5 July is 00:30 on Monday in London.
    assert said(OFFICE, 2026, 7, 5, 23, 30) == "Open today 9am to 5pm"
    # In January 23:30 UTC is still Sunday in London.
    assert said(OFFICE, 2026, 1, 4, 23, 30) == "Closed today. Opens tomorrow at 9am"
    # Friday evening looks ahead over the weekend.
    assert said(OFFICE, 2026, 7, 3, 18, 0) == "Closed now. Opens Monday at 9am"


def test_clock_change_days():
    sunday = [weekly("SU", (10,), (16,))]
    # 29 March 2026: clocks go forward at 01:00 UTC. 09:30 UTC is 10:30 BST.
    assert said(sunday, 2026, 3, 29, 9, 30) == "Open now, closes at 4pm"
    # 25 October 2026: clocks go back at 01:00 UTC. 09:30 UTC is 09:30 GMT.
    assert said(sunday, 2026, 10, 25, 9, 30) == "Open today 10am to 4pm"
    assert said(sunday, 2026, 10, 25, 15, 30) == "Open now, closes at 4pm"


def test_overnight_opening_runs_past_midnight():
    shelter = [weekly("FR,SA", (20,), (8,))]
    assert said(shelter, 2026, 1, 2, 21, 0) == "Open now, closes at 8am tomorrow"
    # 02:00 on Saturday: still Friday night's opening.
    assert said(shelter, 2026, 1, 3, 2, 0) == "Open now, closes at 8am"
    assert said(shelter, 2026, 1, 3, 9, 0) == "Open today 8pm to 8am"
    # Sunday 8am: Saturday night's opening has just ended; nothing starts on Sunday.
    assert said(shelter, 2026, 1, 4, 8, 0) == "Closed today. Opens Friday at 8pm"


def test_open_until_midnight_and_round_the_clock():
    late = [weekly("MO,TU,WE,TH,FR,SA,SU", (17,), (23, 59))]
    assert said(late, 2026, 1, 5, 20, 0) == "Open now, closes at midnight"
    always = [weekly("MO,TU,WE,TH,FR,SA,SU", (0,), (23, 59))]
    assert said(always, 2026, 1, 5, 3, 0) == "Open 24 hours"


def test_two_openings_in_a_day():
    split = [weekly("WE", (9,), (12,)), weekly("WE", (14,), (17, 30))]
    assert said(split, 2026, 1, 7, 8, 0) == "Open today 9am to midday and 2pm to 5:30pm"
    assert said(split, 2026, 1, 7, 12, 30) == "Closed now, opens again at 2pm"
    assert said(split, 2026, 1, 7, 15, 0) == "Open now, closes at 5:30pm"


def test_seasonal_dates_and_monthly_rules():
    summer_only = [weekly("MO", (9,), (17,), valid_from=datetime.date(2026, 6, 1))]
    assert said(summer_only, 2026, 1, 5, 10, 0) == "Closed today"
    assert said(summer_only, 2026, 5, 29, 10, 0) == "Closed today. Opens Monday at 9am"
    first_tuesday = [
        Schedule(
            freq="MONTHLY",
            byday="1TU",
            opens_at=datetime.time(10),
            closes_at=datetime.time(12),
        )
    ]
    # Tuesday 6 January 2026 is the first Tuesday; the 13th is not.
    assert said(first_tuesday, 2026, 1, 6, 10, 0) == "Open now, closes at midday"
    assert (
        said(first_tuesday, 2026, 1, 13, 10, 0) == "Closed today. Opens Tuesday 3 February at 10am"
    )
    last_friday = Schedule(
        freq="MONTHLY", byday="-1FR", opens_at=datetime.time(9), closes_at=datetime.time(10)
    )
    assert schedules.applies_on(last_friday, datetime.date(2026, 1, 30))
    assert not schedules.applies_on(last_friday, datetime.date(2026, 1, 23))
    payday = Schedule(
        freq="MONTHLY", bymonthday="-1", opens_at=datetime.time(9), closes_at=datetime.time(10)
    )
    assert schedules.applies_on(payday, datetime.date(2026, 2, 28))
    fortnightly = weekly("TH", (9,), (10,), interval=2, dtstart=datetime.date(2026, 1, 1))
    assert schedules.applies_on(fortnightly, datetime.date(2026, 1, 15))
    assert not schedules.applies_on(fortnightly, datetime.date(2026, 1, 8))
    # Every other week with no start date: which weeks is unknown, so it is never claimed.
    assert not schedules.applies_on(
        weekly("TH", (9,), (10,), interval=2), datetime.date(2026, 1, 8)
    )


def test_unknown_hours_say_nothing():
    assert said([Schedule(description="By appointment")], 2026, 1, 5, 10, 0) is None
    assert said([], 2026, 1, 5, 10, 0) is None


def test_the_week_on_a_service_page():
    with translation.override("en-gb"):
        rows = schedules.week(OFFICE, datetime.datetime(2026, 12, 5, 23, 30, tzinfo=UTC))
    assert [(row.label, row.hours) for row in rows] == [
        ("Today", "Closed"),
        ("Sunday 6 December", "Closed"),
        ("Monday 7 December", "9am to 5pm"),
        ("Tuesday 8 December", "9am to 5pm"),
        ("Wednesday 9 December", "9am to 5pm"),
        ("Thursday 10 December", "9am to 5pm"),
        ("Friday 11 December", "9am to 5pm"),
    ]


def test_other_languages_read_the_24_hour_clock():
    with translation.override("pl"):
        found = schedules.status(OFFICE, datetime.datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    assert "17:00" in found.headline
    assert "pm" not in found.headline


def test_a_place_reads_the_service_schedules_and_its_own():
    everywhere = weekly("MO", (9,), (17,))
    here = weekly("TU", (9,), (17,), service_at_location_id="a")
    there = weekly("WE", (9,), (17,), service_at_location_id="b")
    assert schedules.for_place([everywhere, here, there], "a") == [everywhere, here]


@pytest.mark.parametrize(
    "moment, expected",
    [
        (datetime.time(9), "9am"),
        (datetime.time(9, 30), "9:30am"),
        (datetime.time(12), "midday"),
        (datetime.time(12, 15), "12:15pm"),
        (datetime.time(0), "midnight"),
        (datetime.time(23, 59), "midnight"),
        (datetime.time(17), "5pm"),
    ],
)
def test_clock_words(moment, expected):
    with translation.override("en-gb"):
        assert schedules.format_clock(moment) == expected

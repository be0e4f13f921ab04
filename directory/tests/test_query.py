"""DirectoryQuery filters: age, day and time, taxonomy with child terms, proximity, free text, cost."""

import datetime
import math

import pytest

from directory.query import DirectoryQuery, QueryError, matching


def names(query, **kwargs):
    return [match.service.name for match in matching(query, **kwargs)]


def haversine(a, b):
    """Written out independently of directory.postcodes, as the check."""
    r = 6371.0088
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    return (
        2
        * r
        * math.asin(
            math.sqrt(math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2)
        )
    )


@pytest.mark.django_db
def test_age_keeps_services_open_to_that_age(small_directory):
    assert names(DirectoryQuery(age=15)) == ["Friday youth club", "Northbrook Foodbank"]
    assert names(DirectoryQuery(age=70)) == [
        "Adult drop-in",
        "Far away lunch club",
        "Northbrook Foodbank",
        "Strength and balance class",
    ]


@pytest.mark.django_db
def test_day_and_time(small_directory):
    assert names(DirectoryQuery(day="tuesday")) == ["Adult drop-in", "Strength and balance class"]
    assert names(DirectoryQuery(day="tuesday", time=datetime.time(10, 30))) == [
        "Adult drop-in",
        "Strength and balance class",
    ]
    assert names(DirectoryQuery(day="tuesday", time=datetime.time(11, 0))) == ["Adult drop-in"], (
        "closing time is exclusive"
    )
    assert names(DirectoryQuery(day="friday", time=datetime.time(19, 0))) == ["Friday youth club"]
    assert names(DirectoryQuery(time=datetime.time(13, 0))) == [
        "Adult drop-in",
        "Far away lunch club",
        "Northbrook Foodbank",
    ]


@pytest.mark.django_db
def test_taxonomy_includes_child_terms(small_directory):
    assert names(DirectoryQuery(taxonomy_terms=("falls-and-mobility",))) == [
        "Strength and balance class"
    ]
    assert names(DirectoryQuery(taxonomy_terms=("falls-prevention-classes",))) == [
        "Strength and balance class"
    ]
    assert names(DirectoryQuery(taxonomy_terms=("food-and-meals", "youth"))) == [
        "Friday youth club",
        "Northbrook Foodbank",
    ]
    assert names(DirectoryQuery(taxonomy_terms=("dementia",))) == []


@pytest.mark.django_db
def test_proximity_orders_by_hand_computed_haversine(small_directory):
    origin = (51.5600, -0.1050)  # NB1 1AA in the test postcode table
    matches = matching(DirectoryQuery(postcode="nb11aa"))
    located = [m for m in matches if m.distance_km is not None]
    expected = sorted(located, key=lambda m: haversine(origin, m.location.point))
    assert [m.service.name for m in located] == [m.service.name for m in expected]
    for match in located:
        assert match.distance_km == pytest.approx(haversine(origin, match.location.point), rel=1e-9)

    within = matching(DirectoryQuery(postcode="NB1 1AA", proximity_km=2.5))
    assert [m.service.name for m in within] == [
        "Adult drop-in",
        "Northbrook Foodbank",
        "Strength and balance class",
    ]
    assert all(m.distance_km <= 2.5 for m in within)
    assert names(DirectoryQuery(postcode="NB1 1AA", proximity_km=0.05)) == []


@pytest.mark.django_db
def test_unknown_and_malformed_postcodes_are_explained(small_directory):
    with pytest.raises(QueryError, match="real postcode"):
        matching(DirectoryQuery(postcode="not one"))
    with pytest.raises(QueryError, match="can\u2019t find the postcode NB7 7ZZ"):
        matching(DirectoryQuery(postcode="nb7 7zz"))


@pytest.mark.django_db
def test_free_text_ranks_name_matches_first(small_directory):
    assert names(DirectoryQuery(text="lunch")) == ["Far away lunch club"]
    assert names(DirectoryQuery(text="food")) == ["Northbrook Foodbank"]
    assert names(DirectoryQuery(text="falls")) == ["Strength and balance class"], (
        "matches the description and category"
    )
    # "club" is in both names, and also in the youth club's category, so it ranks first.
    assert names(DirectoryQuery(text="club")) == ["Friday youth club", "Far away lunch club"]
    assert names(DirectoryQuery(text="nothing like this")) == []


@pytest.mark.django_db
def test_free_only_and_open_now(small_directory):
    assert names(DirectoryQuery(free_only=True)) == [
        "Adult drop-in",
        "Friday youth club",
        "Northbrook Foodbank",
    ]
    from directory.models import Schedule

    Schedule.objects.filter(service=small_directory["youth"]).update(
        byday="MO,TU,WE,TH,FR,SA,SU",
        opens_at=datetime.time(0, 0),
        closes_at=datetime.time(23, 59, 59),
    )
    assert "Friday youth club" in names(DirectoryQuery(open_now=True))


@pytest.mark.django_db
def test_limit_and_persona(small_directory):
    from personas.models import Persona

    persona = Persona.objects.create(name="Parents", slug="parents", intent="Looking after a child")
    service = small_directory["youth"]
    service.personas.set([persona])
    service.save()
    assert names(DirectoryQuery(personas=("parents",))) == ["Friday youth club"]
    assert len(matching(DirectoryQuery(), limit=2)) == 2


@pytest.mark.django_db
def test_open_now_agrees_with_what_each_listing_says(monkeypatch):
    """The filter and the listing's "Open now, closes at…" come from the same rules: a night
    shelter open past midnight counts, a first-Monday drop-in does not on other Mondays, nor does
    a schedule that has ended, and a service open at one of its places counts."""
    from django.utils import timezone

    from directory import schedules
    from directory.tests.factories import (
        ScheduleFactory,
        ServiceAtLocationFactory,
        ServiceFactory,
    )

    def at(hour, day):
        return datetime.datetime(2026, 12, day, hour, tzinfo=datetime.UTC)  # GMT in December

    shelter = ServiceFactory(name="Night shelter")
    ScheduleFactory(
        service=shelter, byday="MO", opens_at=datetime.time(20), closes_at=datetime.time(8)
    )
    drop_in = ServiceFactory(name="First Monday drop-in")
    ScheduleFactory(service=drop_in, freq="MONTHLY", byday="1MO")
    ended = ServiceFactory(name="Summer scheme")
    ScheduleFactory(service=ended, byday="MO,TU", valid_to=datetime.date(2026, 9, 1))
    branch = ServiceAtLocationFactory(service=ServiceFactory(name="Advice at two places"))
    ScheduleFactory(
        service=branch.service,
        service_at_location=branch,
        byday="TU",
        opens_at=datetime.time(1),
        closes_at=datetime.time(3),
    )
    office = ServiceFactory(name="Council office")
    ScheduleFactory(service=office, byday="MO,TU,WE,TH,FR")

    def open_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        found = set(names(DirectoryQuery(open_now=True)))
        for match in matching(DirectoryQuery()):
            held = match.service.schedules.all()
            opening = schedules.status(held, moment)
            by_place = [
                schedules.status(schedules.for_place(held, place.pk), moment)
                for place in match.service.service_at_locations.all()
            ]
            said_open = any(o is not None and o.is_open for o in [opening, *by_place])
            assert (match.service.name in found) == said_open, match.service.name
        return found

    # Tuesday 1 December, 2am: the shelter is still open from Monday night; one place is open.
    assert open_now(at(2, 1)) == {"Night shelter", "Advice at two places"}
    # Monday 14 December, 10am: not the first Monday; the summer scheme has ended.
    assert open_now(at(10, 14)) == {"Council office"}
    # Monday 7 December, 10am: the first Monday of the month.
    assert open_now(at(10, 7)) == {"Council office", "First Monday drop-in"}

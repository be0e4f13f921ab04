"""When each bin is collected: patterns, which rule covers a home, bank-holiday changes."""

import datetime

import pytest

from bins.models import BankHoliday, CollectionChange, CollectionRound
from bins.schedule import Calendar, collected_on, collections, house_number, next_collections

from .conftest import address

D = datetime.date


def test_house_numbers_are_read_from_the_building_not_the_flat():
    assert house_number("Flat 1, 12 High Street", "HIGH STREET") == 12
    assert house_number("14a High Street", "HIGH STREET") == 14
    assert house_number("The Old Bakery, Station Road", "STATION ROAD") is None


def test_next_collection_of_each_bin_in_plain_words(demo_rounds):
    # Tuesday 1 December 2026 at 3 Mill Lane: Thursday rounds, garden waste on Mondays.
    nexts = next_collections(address("3 Mill Lane"), D(2026, 12, 1))
    assert [c.sentence() for c in nexts] == [
        "General rubbish: Thursday 3 December",
        "Food waste: Thursday 3 December",
        "Garden waste: Monday 7 December",
        "Recycling: Thursday 10 December",
    ]


def test_fortnightly_rounds_alternate_and_weekly_rounds_do_not(demo_rounds):
    days = collections(address("1 Mill Lane"), D(2026, 11, 1), days=27)
    general = [c.date for c in days if c.bin_type == "general"]
    food = [c.date for c in days if c.bin_type == "food"]
    recycling = [c.date for c in days if c.bin_type == "recycling"]
    assert general == [D(2026, 11, 5), D(2026, 11, 19)]
    assert recycling == [D(2026, 11, 12), D(2026, 11, 26)]
    assert food == [D(2026, 11, 5), D(2026, 11, 12), D(2026, 11, 19), D(2026, 11, 26)]


def test_the_narrowest_rule_wins_odd_even_ranges_and_single_addresses(demo_rounds):
    tuesday = D(2026, 12, 1)
    flat = next_collections(address("Flat 1, 12 High Street"), tuesday)
    fourteen = next_collections(address("14 High Street"), tuesday)
    bakery = next_collections(address("The Old Bakery, Station Road"), tuesday)
    twenty_one = next_collections(address("21 Station Road"), tuesday)
    general = {c.bin_type: c.date for c in flat}["general"]
    assert general == D(2026, 12, 1)  # number 12: the street's Tuesday round
    assert {c.bin_type: c.date for c in fourteen}["general"] == D(2026, 12, 2)  # even, 14+
    assert {c.bin_type: c.date for c in bakery}["general"] == D(2026, 12, 2)  # its own UPRN
    assert {c.bin_type: c.date for c in twenty_one}["general"] == D(2026, 12, 7)  # Mondays
    # The Old Bakery still has the street's recycling: a rule replaces only its own bin type.
    assert {c.bin_type for c in bakery} == {"general", "recycling", "food"}


def test_a_bank_holiday_moves_the_rest_of_that_week_a_day_later(demo_rounds):
    # Easter Monday 2027 (29 March): Thursday's food waste goes on Friday 2 April.
    days = collections(address("1 Mill Lane"), D(2027, 3, 28), days=6)
    food = [c for c in days if c.bin_type == "food"]
    assert [(c.date, c.usual_date, c.reason) for c in food] == [
        (D(2027, 4, 2), D(2027, 4, 1), "Easter Monday")
    ]
    # Good Friday 2027 (26 March) is after Thursday: that week's Thursday is not moved.
    days = collections(address("1 Mill Lane"), D(2027, 3, 22), days=4)
    assert [c.date for c in days if c.bin_type == "food"] == [D(2027, 3, 25)]


def test_a_week_without_a_bank_holiday_is_unchanged(demo_rounds):
    BankHoliday.objects.all().delete()
    days = collections(address("1 Mill Lane"), D(2027, 3, 28), days=6)
    assert [c.date for c in days if c.bin_type == "food"] == [D(2027, 4, 1)]


def test_the_councils_changed_days_win_over_the_rule(demo_rounds):
    # New Year's Day 2027 is a Friday; the rule would say Sunday 3rd, the council says Saturday.
    days = collections(address("2 Orchard Close"), D(2026, 12, 21), days=14)
    food = [(c.usual_date, c.date) for c in days if c.bin_type == "food"]
    assert food == [
        (D(2026, 12, 25), D(2026, 12, 26)),
        (D(2027, 1, 1), D(2027, 1, 2)),
    ]
    CollectionChange.objects.filter(original_date=D(2027, 1, 1)).update(new_date=None)
    days = collections(address("2 Orchard Close"), D(2026, 12, 28), days=7)
    assert [c for c in days if c.bin_type == "food"] == []  # cancelled that week


def test_a_collection_moved_from_last_week_is_still_found(db):
    calendar = Calendar(holidays=[], changes={D(2026, 12, 4): (D(2026, 12, 7), "Storm")})
    point = _point("9 Any Street", "ANY STREET")
    CollectionRound.objects.create(
        name="Friday", bin_type="general", first_collection=D(2026, 12, 4), street="ANY STREET"
    )
    days = collections(point, D(2026, 12, 7), days=0, calendar=calendar)
    assert [(c.date, c.reason) for c in days] == [(D(2026, 12, 7), "Storm")]


def test_collected_on_says_which_bins_are_due_that_day(demo_rounds):
    assert [c.bin_type for c in collected_on(address("3 Mill Lane"), D(2026, 12, 3))] == [
        "general",
        "food",
    ]
    assert collected_on(address("3 Mill Lane"), D(2026, 12, 2)) == []


def test_an_address_no_round_covers_has_no_collections(db):
    assert next_collections(_point("1 Nowhere", "NOWHERE"), D(2026, 12, 1)) == []


@pytest.mark.parametrize(
    "fields",
    [{}, {"street": "A", "number_from": 3}, {"street": "A", "number_from": 9, "number_to": 3}],
)
def test_a_round_must_cover_some_homes_with_a_real_range(db, fields):
    from django.core.exceptions import ValidationError

    round_ = CollectionRound(
        name="x", bin_type="general", first_collection=D(2026, 12, 1), **fields
    )
    with pytest.raises(ValidationError):
        round_.clean()


def _point(line_1, street):
    from eforms.models import AddressPoint

    return AddressPoint.objects.create(
        uprn=line_1.replace(" ", ""), line_1=line_1, street=street, postcode="NB9 9ZZ"
    )

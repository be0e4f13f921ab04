"""Whether today is the collection day at an address and whether the crew has finished: on the
bin-day page and in the missed-bin form, right after the resident chooses their address."""

import datetime
import io

import pytest
from django.utils import timezone, translation
from wagtail.models import Page, Site

import eforms.demo
import personas.demo
from bins.models import BinType, CollectionRound
from bins.today import clock, collection_day_text, missed_bin_notice
from eforms.models import FormDefinition

from .conftest import address

D = datetime.date


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


THURSDAY = D(2026, 12, 3)  # Mill Lane: general rubbish (fortnightly) and food waste (weekly)


def test_on_collection_day_before_5pm_the_resident_waits_until_then(demo_rounds):
    text = collection_day_text(address("3 Mill Lane"), at(THURSDAY, 10))
    assert text == (
        "Today is your collection day for General rubbish and Food waste. The crew has not "
        "finished yet. Crews work until 5pm: if your bin has not been emptied by then, report it."
    )


def test_after_5pm_the_crews_have_finished_for_the_day(demo_rounds):
    text = collection_day_text(address("3 Mill Lane"), at(THURSDAY, 17, 30))
    assert text.endswith(
        "Our crews have finished for today. If your bin was not emptied, report it."
    )


def test_a_round_the_depot_marked_finished_today_says_when(demo_rounds):
    rounds = CollectionRound.objects.filter(street="MILL LANE")
    rounds.filter(bin_type=BinType.GENERAL).update(finished_at=at(THURSDAY, 13, 40))
    home = address("3 Mill Lane")
    # Only one of today's two rounds has finished: the resident still waits.
    assert "has not finished yet" in collection_day_text(home, at(THURSDAY, 15))
    rounds.filter(bin_type=BinType.FOOD).update(finished_at=at(THURSDAY, 14, 15))
    assert collection_day_text(home, at(THURSDAY, 15)) == (
        "Today is your collection day for General rubbish and Food waste. The crew finished "
        "your round at 2:15pm. If your bin was not emptied, report it."
    )
    # Finished last week is not finished today.
    a_week_later = THURSDAY + datetime.timedelta(days=7)
    assert "has not finished yet" in collection_day_text(home, at(a_week_later, 15))


def test_on_another_day_the_resident_reads_their_last_collection(demo_rounds):
    text = collection_day_text(address("3 Mill Lane"), at(D(2026, 12, 4), 9))
    assert text == (
        "Today is not a collection day at this address. Your last collection was on Thursday "
        "3 December (General rubbish and Food waste). Report a missed bin within 2 working days "
        "of your collection day."
    )


def test_times_are_written_the_gov_uk_way():
    assert clock(at(THURSDAY, 14, 15)) == "2:15pm"
    assert clock(at(THURSDAY, 9)) == "9am"
    assert clock(at(THURSDAY, 12)) == "12pm"
    assert clock(at(THURSDAY, 0, 5)) == "12:05am"


def _every_bin_today_at(uprn, finished_at=None, first=None):
    for bin_type in BinType.values:
        CollectionRound.objects.create(
            name="Test",
            bin_type=bin_type,
            every_weeks=1,
            first_collection=first or timezone.localdate(),
            uprn=uprn,
            finished_at=finished_at,
        )


def _report_a_missed_bin_from(client, uprn):
    """Start the missed-bin form and choose the address, as a resident without JavaScript."""
    start = client.post("/forms/missed-bin-report/start/")
    assert start.status_code == 302, start
    page = client.get(start["Location"], follow=True)
    assert "What is the address?" in page.text
    chosen = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else start["Location"],
        {"address-postcode": "NB1 1AA", "address-uprn": uprn, "_action": "continue"},
        follow=True,
    )
    assert "Which bin was missed?" in chosen.text
    return chosen


@pytest.fixture
def missed_bin_form(demo_rounds):
    root = Page.get_first_root_node()
    Site.objects.get_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": root}
    )
    personas.demo.load(stdout=io.StringIO())  # the delivery units the forms belong to
    eforms.demo.load(stdout=io.StringIO())
    return FormDefinition.objects.get(slug="missed-bin-report", locale__language_code="en-gb")


def test_the_missed_bin_form_says_today_is_collection_day_and_the_crew_finished(
    client, missed_bin_form
):
    _every_bin_today_at("100090000002", finished_at=timezone.localtime().replace(hour=11, minute=5))
    page = _report_a_missed_bin_from(client, "100090000002")
    assert "Today is your collection day for General rubbish, Recycling, Garden waste and " in (
        page.text
    )
    assert "The crew finished your round at 11:05am." in page.text
    # Said once, on the page after the address, not again on the next one.
    after = client.post(page.redirect_chain[-1][0], {"bin_type": "general"}, follow=True)
    assert "Was the bin out by 7am" in after.text
    assert "collection day for" not in after.text


def test_the_missed_bin_form_says_when_today_is_not_collection_day(client, missed_bin_form):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _every_bin_today_at("100090000002", first=yesterday)
    page = _report_a_missed_bin_from(client, "100090000002")
    assert "Today is not a collection day at this address." in page.text
    assert f"Your last collection was on {yesterday:%A} {yesterday.day} " in page.text


def test_no_notice_for_an_address_without_rounds_or_another_form(missed_bin_form):
    assert missed_bin_notice(missed_bin_form, "100090000099") is None  # unknown address
    other = FormDefinition.objects.exclude(slug="missed-bin-report").first()
    assert missed_bin_notice(other, "100090000002") is None
    assert missed_bin_notice(missed_bin_form, "100090000002")  # Mill Lane has rounds


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("pl", "Dzisiaj jest Twój dzień odbioru: Odpady zmieszane i Odpady spożywcze."),
        ("ar", "اليوم هو يوم جمع النفايات العامة و بقايا الطعام لديك."),
    ],
)
def test_the_collection_day_text_in_polish_and_arabic(demo_rounds, language, words):
    with translation.override(language):
        text = collection_day_text(address("3 Mill Lane"), at(THURSDAY, 10))
    assert text.startswith(words)
    assert "17:00" in text or "5 مساءً" in text

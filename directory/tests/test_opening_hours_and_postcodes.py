"""Opening hours text ⇄ HSDS weekly schedules, postcode tidying, and the postcode importers."""

import datetime
import io

import pytest
from django.core.management import call_command

from directory import opening_hours
from directory.models import Postcode
from directory.postcode_import import osgb36_grid_to_wgs84
from directory.postcodes import locate_postcode, normalise_postcode


def test_opening_hours_round_trip():
    text = "Mon\u2013Fri 9:00\u201317:00\nSat 10:00-13:00\nTue, Thu 9.30am to 12pm"
    rules = opening_hours.parse(text)
    assert [(r.byday, r.opens_at, r.closes_at) for r in rules] == [
        ("MO,TU,WE,TH,FR", datetime.time(9), datetime.time(17)),
        ("SA", datetime.time(10), datetime.time(13)),
        ("TU,TH", datetime.time(9, 30), datetime.time(12)),
    ]
    formatted = "\n".join(opening_hours.format_rule(r.days, r.opens_at, r.closes_at) for r in rules)
    assert (
        formatted
        == "Mon\u2013Fri 09:00\u201317:00\nSat 10:00\u201313:00\nTue, Thu 09:30\u201312:00"
    )
    assert opening_hours.parse(formatted) == rules


@pytest.mark.parametrize(
    "text, message",
    [
        ("Funday 9:00-17:00", "\u201cFunday\u201d is not a day"),
        ("Mon 9:00", "give an opening and a closing time"),
        ("Mon 17:00-9:00", "closing time must be after"),
        ("Mon 25:00-26:00", "is not a time"),
        ("9 to 5", "write the days then the times"),
    ],
)
def test_opening_hours_errors_say_what_to_fix(text, message):
    with pytest.raises(opening_hours.OpeningHoursError, match=message):
        opening_hours.parse(text)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("nb11aa", "NB1 1AA"),
        (" NB1  1AA ", "NB1 1AA"),
        ("sw1a2aa", "SW1A 2AA"),
        ("NB1", None),
        ("hello", None),
        ("", None),
    ],
)
def test_normalise_postcode(raw, expected):
    assert normalise_postcode(raw) == expected


def test_grid_reference_conversion_matches_ordnance_survey_worked_example():
    lat, lon = osgb36_grid_to_wgs84(651409.903, 313177.270)
    assert lat == pytest.approx(52.65798, abs=2e-4)
    assert lon == pytest.approx(1.71605, abs=2e-4)


@pytest.mark.django_db
def test_import_postcodes_from_onspd_and_codepoint(tmp_path):
    onspd = tmp_path / "ONSPD.csv"
    onspd.write_text(
        "pcd,pcds,doterm,lat,long\n"
        "NB1 1AA,NB1 1AA,,51.56,-0.105\n"
        "NB1 9ZZ,NB1 9ZZ,202001,51.57,-0.106\n"  # terminated: skipped
        "NB2 2BB,NB2 2BB,,99.999999,0.000000\n"  # no grid reference: skipped
    )
    codepoint = tmp_path / "cp"
    codepoint.mkdir()
    (codepoint / "nb.csv").write_text(
        '"NB3 3CC",10,530034,180381,"E92000001","","E19000003","E18000007","","E09000033","E05000644"\n'
    )
    out = io.StringIO()
    call_command("import_postcodes", str(onspd), "--no-progress", stdout=out)
    call_command(
        "import_postcodes", str(codepoint), "--format", "codepoint", "--no-progress", stdout=out
    )
    assert set(Postcode.objects.values_list("postcode", flat=True)) == {"NB1 1AA", "NB3 3CC"}
    assert locate_postcode("nb11aa") == (51.56, -0.105)
    lat, lon = locate_postcode("NB3 3CC")
    assert lat == pytest.approx(51.5074, abs=1e-3) and lon == pytest.approx(-0.1277, abs=1e-3)
    assert locate_postcode("NB1 9ZZ") is None

"""Importing rounds from a spreadsheet: every good row in, every bad row named with its reason."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from bins.importer import import_rounds
from bins.models import CollectionRound

HEADINGS = "Round,Bin type,Frequency,First collection,UPRN,Street,Postcode,From,To,Odd even\r\n"


def test_good_rows_are_imported_and_bad_rows_reported_with_row_numbers(db):
    data = (
        HEADINGS
        + "Thursday A,Recycling,Fortnightly,03/12/2026,,Mill Lane,,,,\r\n"
        + "Thursday A,blue,weekly,2026-12-03,,Mill Lane,,,,\r\n"
        + "Friday,general,monthly,2026-12-04,,Orchard Close,,,,\r\n"
        + "Friday,general,weekly,4th Dec,,Orchard Close,,,,\r\n"
        + "Friday,general,weekly,2026-12-04,,,,,,\r\n"
        + ",,,,,,,,,\r\n"
        + "Wed,general,weekly,2026-12-02,,High Street,,20,14,even\r\n"
        + "Wed,general,weekly,2026-12-02,,High Street,,14,98,even\r\n"
    ).encode()
    report = import_rounds(data)
    assert (report.created, report.updated) == (2, 0)
    assert report.rejected == [
        (3, "bin type “blue” is not one of general, recycling, garden or food"),
        (4, "frequency “monthly” must be weekly or fortnightly"),
        (5, "first collection “4th Dec” is not a date like 2026-12-03 or 03/12/2026"),
        (6, "give a UPRN or a street"),
        (8, "“from” (20) is above “to” (14)"),
    ]
    recycling = CollectionRound.objects.get(bin_type="recycling")
    assert (recycling.street, recycling.every_weeks, recycling.first_collection) == (
        "MILL LANE",
        2,
        datetime.date(2026, 12, 3),
    )
    wednesday = CollectionRound.objects.get(name="Wed")
    assert (wednesday.number_from, wednesday.number_to, wednesday.parity) == (14, 98, "even")


def test_importing_again_updates_instead_of_duplicating(db):
    import_rounds((HEADINGS + "Thu,recycling,weekly,2026-12-03,,Mill Lane,,,,\r\n").encode())
    report = import_rounds(
        (HEADINGS + "Fri,recycling,weekly,2026-12-04,,Mill Lane,,,,\r\n").encode()
    )
    assert (report.created, report.updated) == (0, 1)
    (only,) = CollectionRound.objects.all()
    assert (only.name, only.first_collection) == ("Fri", datetime.date(2026, 12, 4))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_excel_files_with_a_byte_order_mark_or_windows_1252_are_read(db, encoding):
    data = (HEADINGS + "Rhôndda’s round,food,weekly,2026-12-03,,Mill Lane,,,,\r\n").encode(encoding)
    report = import_rounds(data)
    assert report.rejected == []
    assert CollectionRound.objects.get().name == "Rhôndda’s round"


def test_a_file_without_the_needed_columns_is_refused_at_the_heading_row(db):
    report = import_rounds(b"Street,Day\r\nMill Lane,Thursday\r\n")
    assert report.rejected == [
        (1, "the heading row has no column round, bin_type, frequency, first_collection")
    ]
    assert not CollectionRound.objects.exists()


def test_the_command_reports_bad_rows_and_exits_1(db, tmp_path, capsys):
    path = tmp_path / "rounds.csv"
    path.write_bytes(
        (
            HEADINGS
            + "Thu,recycling,weekly,2026-12-03,,Mill Lane,,,,\r\n"
            + "Thu,glass,weekly,2026-12-03,,Mill Lane,,,,\r\n"
        ).encode()
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_bin_rounds", str(path))
    assert raised.value.returncode == 1
    out, err = capsys.readouterr()
    assert "Rounds added: 1. Updated: 0." in out
    assert "Row 3: bin type “glass” is not one of general, recycling, garden or food" in err
    assert CollectionRound.objects.count() == 1


def test_the_command_with_a_clean_file_succeeds(db, tmp_path, capsys):
    path = tmp_path / "rounds.csv"
    path.write_bytes((HEADINGS + "Thu,food,weekly,2026-12-03,,Mill Lane,,,,\r\n").encode())
    call_command("import_bin_rounds", str(path))
    assert "Rounds added: 1." in capsys.readouterr().out


def test_a_missing_file_is_a_plain_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_bin_rounds", str(tmp_path / "nope.csv"))

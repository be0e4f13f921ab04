"""``manage.py import_demand`` on files as spreadsheets write them: Excel's "CSV" on a UK PC
(Windows-1252, CRLF line ends, Excel's month formats), "CSV UTF-8" (with a byte order mark),
duplicate rows, rows of another unit's figures and bad values. The report is exact, the exit
code is 1 when a row is refused, and nothing refused is written."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from backlog.management.commands.import_demand import Command as ImportDemand
from backlog.models import DemandRecord
from core.tests.factories import DeliveryUnitFactory

pytestmark = pytest.mark.django_db


def excel_csv(path, rows, encoding):
    """Write rows as Excel does: CRLF after every row, in the given encoding (BOM for utf-8-sig)."""
    path.write_bytes("".join(f"{row}\r\n" for row in rows).encode(encoding))
    return path


def run(path, *options, progress=False):
    """(stdout, stderr, exit code) of the command, as the shell would see them."""
    out, err = io.StringIO(), io.StringIO()
    options = options if progress else (*options, "--no-progress")
    try:
        call_command("import_demand", str(path), *options, stdout=out, stderr=err)
    except CommandError as error:
        # What BaseCommand.run_from_argv does with a CommandError: the message on stderr, and
        # the error's return code as the exit status.
        err.write(f"CommandError: {error}\n")
        return out.getvalue(), err.getvalue(), error.returncode
    return out.getvalue(), err.getvalue(), 0


def figures():
    return {
        (r.service, r.channel, r.month.strftime("%Y-%m")): (
            r.count,
            r.delivery_unit.slug if r.delivery_unit else None,
        )
        for r in DemandRecord.objects.select_related("delivery_unit")
    }


@pytest.fixture
def on_record(units):
    """Figures already imported: one of street scene's, one of parking's."""
    DemandRecord.objects.create(
        service="Missed bins",
        channel="phone",
        month=datetime.date(2025, 1, 1),
        count=1000,
        delivery_unit=units["street-scene"],
    )
    DemandRecord.objects.create(
        service="Parking permits",
        channel="phone",
        month=datetime.date(2025, 1, 1),
        count=999,
        delivery_unit=units["parking"],
    )
    return figures()


def test_windows_1252_file_with_duplicates_and_bad_rows(tmp_path, on_record):
    path = excel_csv(
        tmp_path / "contacts.csv",
        [
            "Service,Delivery unit,Channel,Month,Count",
            'Council tax \u2013 \u00a3 arrears,Parking,Phone,Jan-25,"1,200"',
            "\u201cBlue badge\u201d renewals,parking,Online,01/02/2025,310",
            "Missed bins,street-scene,phone,2025-01,1200",
            "Missed bins,street-scene,phone,2025-01,1300",
            "Parking permits,Street Scene,phone,2025-01,5",
            "Missed bins,street-scene,pigeon,2025-02,5",
            ",,,,",
            "Bulky waste,street-scene,web,2025-13,40",
        ],
        "cp1252",
    )
    out, err, code = run(path)

    assert out == (
        "Read 7 rows from contacts.csv (Windows-1252).\n"
        "Created 2, updated 0, unchanged 0, rejected 5.\n"
        "Rejected rows (nothing was written for them):\n"
        "  row 4: Missed bins, phone, 2025-01 is also in row 5: neither row was imported (keep one)\n"
        "  row 5: Missed bins, phone, 2025-01 is also in row 4: neither row was imported (keep one)\n"
        "  row 6: Parking permits, phone, 2025-01 belongs to Parking, not Street Scene: not changed\n"
        "  row 7: channel \u201cpigeon\u201d must be one of email, face-to-face, phone, post, web\n"
        "  row 9: month \u201c2025-13\u201d must be a year and month, like 2025-04\n"
    )
    assert err == (
        "CommandError: 5 rows were rejected. Correct them and import the file again: rows "
        "already imported are updated, not added twice.\n"
    )
    assert code == 1
    assert figures() == {
        **on_record,  # neither the duplicated figure nor parking's was overwritten
        ("Council tax \u2013 \u00a3 arrears", "phone", "2025-01"): (1200, "parking"),
        ("\u201cBlue badge\u201d renewals", "web", "2025-02"): (310, "parking"),
    }


def test_utf8_file_with_a_byte_order_mark(tmp_path, on_record):
    path = excel_csv(
        tmp_path / "contacts-utf8.csv",
        [
            "service,delivery_unit,channel,month,count",
            "Missed bins,street-scene,phone,2025-01,1100",
            "Caf\u00e9 licences \u00a3,parking,email,2025-01,12",
        ],
        "utf-8-sig",
    )
    out, _err, code = run(path)
    assert out == (
        "Read 2 rows from contacts-utf8.csv (UTF-8 with BOM).\n"
        "Created 1, updated 1, unchanged 0, rejected 0.\n"
    )
    assert code == 0
    assert figures()[("Missed bins", "phone", "2025-01")] == (1100, "street-scene")
    # The byte order mark is not part of the first column's name, nor of any value.
    assert figures()[("Caf\u00e9 licences \u00a3", "email", "2025-01")] == (12, "parking")


def test_a_row_without_a_unit_never_changes_a_units_figure(tmp_path, on_record):
    path = excel_csv(
        tmp_path / "no-units.csv",
        [
            "service,channel,month,count",
            "Missed bins,phone,2025-01,1",
            "Street lights,web,2025-01,7",
        ],
        "utf-8",
    )
    out, _err, code = run(path)
    assert (
        "  row 2: Missed bins, phone, 2025-01 belongs to Street Scene and this row names no "
        "delivery unit: not changed\n"
    ) in out
    assert code == 1
    assert figures()[("Missed bins", "phone", "2025-01")] == (1000, "street-scene")
    assert figures()[("Street lights", "web", "2025-01")] == (7, None)


def test_dry_run_writes_nothing(tmp_path, on_record):
    path = excel_csv(
        tmp_path / "contacts.csv",
        ["service,delivery_unit,channel,month,count", "Missed bins,street-scene,phone,2025-01,5"],
        "utf-8",
    )
    out, _err, code = run(path, "--dry-run")
    assert out == (
        "Read 1 rows from contacts.csv (UTF-8).\n"
        "Would create 0, update 1, leave 0 unchanged and reject 0.\n"
        "Dry run: nothing was written.\n"
    )
    assert code == 0 and figures() == on_record


def test_bad_month_row_is_reported_and_the_rest_imported(tmp_path, units):
    csv_file = tmp_path / "demand.csv"
    csv_file.write_text(
        "service,delivery_unit,channel,month,count\n"
        "Missed bins,street-scene,phone,2025-01,1200\n"
        "Missed bins,street-scene,web,2025-13,800\n"
        'Missed bins,street-scene,web,2025-01,"2,400"\n'
        "Parking permits,parking,pigeon,2025-01,5\n"
        "Parking permits,parking,Face to face,2025-02,40\n"
    )
    output, _err, code = run(csv_file, progress=True)
    assert "Created 3, updated 0, unchanged 0, rejected 2." in output
    assert "row 3: month \u201c2025-13\u201d must be a year and month, like 2025-04" in output
    assert "row 5: channel \u201cpigeon\u201d" in output
    assert code == 1
    assert DemandRecord.objects.count() == 3
    assert DemandRecord.objects.get(channel="web").count == 2400
    assert DemandRecord.objects.get(channel="face-to-face").month == datetime.date(2025, 2, 1)


def test_importing_twice_updates_rather_than_duplicates(tmp_path, units):
    csv_file = tmp_path / "demand.csv"
    csv_file.write_text("service,channel,month,count\nMissed bins,phone,2025-01,10\n")
    run(csv_file)
    csv_file.write_text("service,channel,month,count\nMissed bins,phone,2025-01,12\n")
    out, _err, code = run(csv_file)
    assert DemandRecord.objects.get().count == 12
    assert "Created 0, updated 1, unchanged 0, rejected 0." in out and code == 0


def test_missing_columns_are_reported(tmp_path):
    csv_file = tmp_path / "demand.csv"
    csv_file.write_text("service,when,count\nMissed bins,2025-01,10\n")
    out, err, code = run(csv_file)
    assert err == (
        "CommandError: demand.csv: The header row (row 1) is missing: channel, month. "
        "Nothing was imported.\n"
    )
    assert code == 1 and out == ""


def test_an_excel_workbook_is_refused_with_how_to_save_a_csv(tmp_path):
    workbook = tmp_path / "contacts.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + bytes(200))
    _out, err, code = run(workbook)
    assert (
        "This is an Excel workbook, not a CSV file: in Excel, use Save as \u203a CSV UTF-8." in err
    )
    assert code == 1


@pytest.mark.django_db(transaction=True)
def test_exit_status_from_the_shell_is_1_when_a_row_is_rejected(tmp_path, units):
    """The whole path a shell script sees: argv in, status out (BaseCommand.run_from_argv)."""
    path = excel_csv(
        tmp_path / "contacts.csv",
        ["service,channel,month,count", "Missed bins,phone,2025-01,10", "Missed bins,phone,May,1"],
        "cp1252",
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        ImportDemand(stdout=out, stderr=err).run_from_argv(
            ["manage.py", "import_demand", str(path), "--no-progress"]
        )
    assert exit_.value.code == 1
    assert "row 3: month \u201cMay\u201d must be a year and month, like 2025-04" in out.getvalue()
    assert err.getvalue().startswith("CommandError: 1 row was rejected.")
    assert DemandRecord.objects.get().count == 10


def test_demo_file_shows_a_shift_to_online(units):
    path = settings.BASE_DIR / "fixtures" / "demand" / "northbrook-contacts-24-months.csv"
    for slug in {line.split(",")[1] for line in path.read_text().splitlines()[1:]} - set(units):
        DeliveryUnitFactory(slug=slug, name=slug.replace("-", " ").title())
    out, _err, code = run(path)
    assert out.startswith("Read 1680 rows") and "rejected 0." in out and code == 0
    months = sorted(set(DemandRecord.objects.values_list("month", flat=True)))
    assert len(months) == 24

    def web_share(month):
        rows = DemandRecord.objects.filter(month=month)
        return sum(r.count for r in rows if r.channel == "web") / sum(r.count for r in rows)

    assert web_share(months[0]) < 0.45 < 0.65 < web_share(months[-1])

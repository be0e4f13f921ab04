import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from backlog.models import DemandRecord

pytestmark = pytest.mark.django_db


def run(path, progress=False):
    out = io.StringIO()
    options = [] if progress else ["--no-progress"]
    call_command("import_demand", str(path), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


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
    output = run(csv_file, progress=True)
    assert "Imported 3 rows" in output
    assert "line 3: month \u201c2025-13\u201d must be a year and month, like 2025-04" in output
    assert "line 5: channel \u201cpigeon\u201d" in output
    assert DemandRecord.objects.count() == 3
    assert DemandRecord.objects.get(channel="web").count == 2400
    assert DemandRecord.objects.get(channel="face-to-face").month == datetime.date(2025, 2, 1)


def test_importing_twice_updates_rather_than_duplicates(tmp_path, units):
    csv_file = tmp_path / "demand.csv"
    csv_file.write_text("service,channel,month,count\nMissed bins,phone,2025-01,10\n")
    run(csv_file)
    csv_file.write_text("service,channel,month,count\nMissed bins,phone,2025-01,12\n")
    run(csv_file)
    assert DemandRecord.objects.get().count == 12


def test_missing_columns_are_reported(tmp_path):
    csv_file = tmp_path / "demand.csv"
    csv_file.write_text("service,when,count\nMissed bins,2025-01,10\n")
    assert "the header row is missing: channel, month" in run(csv_file)


def test_demo_file_shows_a_shift_to_online(units):
    run(settings.BASE_DIR / "fixtures" / "demand" / "northbrook-contacts-24-months.csv")
    months = sorted(set(DemandRecord.objects.values_list("month", flat=True)))
    assert len(months) == 24

    def web_share(month):
        rows = DemandRecord.objects.filter(month=month)
        return sum(r.count for r in rows if r.channel == "web") / sum(r.count for r in rows)

    assert web_share(months[0]) < 0.45 < 0.65 < web_share(months[-1])

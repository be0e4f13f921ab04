"""A partner's whole feed: 10,000 services with 50 bad records planted among them. Every good
record is imported, every bad one is reported with its id and reason, and the exit status says
some were not imported."""

import io
import json
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.models import Service

FAULTS = [
    ({"schedules": [{"id": "{id}", "interval": "two"}]}, "is not a whole number"),
    ({"assured_date": "2025-02-30"}, "is not a real date"),
    ({"name": "N" * 300}, "Signpost keeps at most 200"),
    ({"status": "open-ish"}, "is not one of"),
    ({"phones": [{"id": "not-a-uuid", "number": "01632 960 000"}]}, "is not a UUID"),
]


def feed(size, bad_every):
    organization = {
        "id": str(uuid.uuid4()),
        "name": "Borough Partner Network",
        "description": "Many small groups.",
    }
    records, planted = [], {}
    for n in range(size):
        record = {
            "id": str(uuid.uuid4()),
            "name": f"Group {n}",
            "description": f"Group {n} meets weekly.",
            "status": "active",
            "organization": organization,
            "phones": [{"id": str(uuid.uuid4()), "number": f"01632 {n:06d}"}],
            "schedules": [
                {"id": str(uuid.uuid4()), "byday": "MO", "opens_at": "10:00", "closes_at": "12:00"}
            ],
        }
        if n % bad_every == bad_every // 2:
            fault, reason = FAULTS[len(planted) % len(FAULTS)]
            fault = json.loads(json.dumps(fault).replace('"{id}"', json.dumps(str(uuid.uuid4()))))
            record.update(fault)
            planted[record["id"]] = reason
        records.append(record)
    return records, planted


@pytest.mark.django_db
def test_ten_thousand_services_with_fifty_bad_ones(tmp_path):
    records, planted = feed(10_000, 200)
    assert len(planted) == 50
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(records))

    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_oruk", str(path), "--no-progress", stdout=out)
    assert error.value.returncode == 1
    assert "50 records were not imported" in str(error.value)
    report = out.getvalue()
    assert "Created 9950, updated 0, unchanged 0, rejected 50." in report
    for record_id, reason in planted.items():
        line = next(
            line for line in report.splitlines() if line.startswith(f"  Rejected {record_id}:")
        )
        assert reason in line
    assert Service.objects.count() == 9950
    assert not Service.objects.filter(pk__in=list(planted)).exists()

"""ORUK import speed: new records, then the same feed again (unchanged), on PostgreSQL.

    .venv/bin/python bench/import_oruk.py [--records 2000]

Without a PostgreSQL DATABASE_URL it re-runs itself inside a throwaway cluster
(tests.harness.postgres). Each record is a service with a phone, a schedule and a place, from one
partner organisation, like a small groups' feed. Reported: records per second and CPU-ms per
record for the first import (every record new) and for the second (every record unchanged),
and as the peer, a bare ``bulk_create`` of the same service and phone rows in the same run
(no comparison, no per-record transaction, no search or translation bookkeeping), so the ratio
says what the importer's safety costs on this machine.
"""

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_postgres():
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    python = sys.executable
    os.execv(python, [python, "-m", "tests.harness.postgres", "--", python, *sys.argv])


def feed(size):
    organization = {"id": str(uuid.uuid4()), "name": "Borough Partner Network"}
    records = []
    for n in range(size):
        records.append(
            {
                "id": str(uuid.uuid4()),
                "name": f"Group {n}",
                "description": f"Group {n} meets every week.",
                "status": "active",
                "organization": organization,
                "phones": [{"id": str(uuid.uuid4()), "number": f"01632 {n:06d}"}],
                "schedules": [
                    {
                        "id": str(uuid.uuid4()),
                        "byday": "MO",
                        "opens_at": "10:00",
                        "closes_at": "12:00",
                    }
                ],
                "service_at_locations": [
                    {
                        "id": str(uuid.uuid4()),
                        "location": {
                            "id": str(uuid.uuid4()),
                            "name": f"Hall {n % 50}",
                            "addresses": [
                                {"address_1": f"{n} High Street", "postal_code": "NB1 1AA"}
                            ],
                        },
                    }
                ],
            }
        )
    return records


def measure(func):
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    ensure_postgres()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from directory.importer import Importer
    from directory.models import Organization, Phone, Service

    records = feed(args.records)

    def run_import():
        return Importer(feed="bench").import_all(records)

    results = {}
    for label in ("new", "unchanged"):
        reports = []
        wall, cpu = measure(lambda reports=reports: reports.append(run_import()))
        report = reports[0]
        expected = report.created if label == "new" else report.unchanged
        assert expected == args.records and not report.rejected, report.summary
        results[label] = (wall, cpu)

    organization = Organization.objects.create(name="Peer", description="Peer")

    def bare_insert():
        services = [
            Service(name=r["name"], description=r["description"], organization=organization)
            for r in records
        ]
        Service.objects.bulk_create(services, batch_size=500)
        Phone.objects.bulk_create(
            [Phone(service=s, number="01632 000000") for s in services], batch_size=500
        )

    results["peer"] = measure(bare_insert)

    print(f"{args.records} records on {django.db.connection.vendor}")
    peer_cpu_ms = results["peer"][1] * 1000 / args.records
    for label in ("new", "unchanged", "peer"):
        wall, cpu = results[label]
        cpu_ms = cpu * 1000 / args.records
        print(
            f"  {label:<10} {args.records / wall:8.0f} records/s  {cpu_ms:6.2f} CPU-ms/record"
            f"  ({cpu_ms / peer_cpu_ms:5.1f}x the bare bulk insert)"
        )
    print("  goal: at least 200 records/s new and 1,000 records/s unchanged")


if __name__ == "__main__":
    main()

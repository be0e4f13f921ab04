"""Bench: the ORUK proximity query over 10,000 services, beside the same query without proximity.

Runs in a throwaway SQLite database (never your own):

    .venv/bin/python bench/directory_api.py [--services 10000] [--runs 40]

Prints p50/p95 in milliseconds for
  /api/directory/service_at_locations?search=…&postcode=…&proximity=…
  /api/directory/service_at_locations?search=…
and the ratio of the first to the second.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="signpost-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    generate(args.services)
    print(f"generated {args.services} services in {time.perf_counter() - started:.1f} s")

    client = Client()
    search = "club"
    proximity = (
        f"/api/directory/service_at_locations?search={search}&postcode=NB1+1AA&proximity=2000"
    )
    plain = f"/api/directory/service_at_locations?search={search}"
    for url in (proximity, plain):  # warm up, and check the answers are real
        response = client.get(url)
        assert response.status_code == 200, response.content
        print(f"{url}: {response.json()['total_items']} matches")
    results = {}
    for label, url in (("with proximity", proximity), ("without proximity", plain)):
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
        results[label] = (p50, p95)
        print(f"{label:>18}: p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({args.runs} runs)")
    ratio50 = results["with proximity"][0] / results["without proximity"][0]
    ratio95 = results["with proximity"][1] / results["without proximity"][1]
    print(f"ratio (proximity / plain): p50 {ratio50:.2f}x   p95 {ratio95:.2f}x")
    shutil.rmtree(workdir, ignore_errors=True)


def generate(count):
    """Services spread over the demo borough, a fifth of them 'clubs', each at its own place."""
    from django.db import transaction

    from directory.demo import load_demo_postcodes
    from directory.models import (
        Location,
        Organization,
        Schedule,
        Service,
        ServiceAtLocation,
        TaxonomyTerm,
    )

    rng = random.Random(5)
    words = ["club", "advice", "support", "group", "class", "caf\u00e9", "drop-in", "helpline"]
    terms = list(TaxonomyTerm.objects.values_list("pk", flat=True))
    with transaction.atomic():
        load_demo_postcodes()
        orgs = [
            Organization(
                name=f"Bench organisation {i}", description="Bench", provider_type="community-group"
            )
            for i in range(200)
        ]
        Organization.objects.bulk_create(orgs)
        locations, services, links, schedules, term_links = [], [], [], [], []
        for i in range(count):
            location = Location(
                id=uuid.uuid4(),
                name=f"Place {i}",
                address_1=f"{i} Bench Road",
                postal_code="NB1 1AA",
                latitude=51.56 + rng.uniform(-0.06, 0.06),
                longitude=-0.105 + rng.uniform(-0.09, 0.09),
            )
            service = Service(
                id=uuid.uuid4(),
                organization=orgs[i % len(orgs)],
                name=f"Bench {rng.choice(words)} {i}",
                description=f"A {rng.choice(words)} for residents.",
            )
            locations.append(location)
            services.append(service)
            links.append(ServiceAtLocation(id=uuid.uuid4(), service=service, location=location))
            schedules.append(
                Schedule(
                    id=uuid.uuid4(),
                    service=service,
                    byday="MO,WE",
                    opens_at="09:00",
                    closes_at="17:00",
                )
            )
            term_links.append(
                Service.taxonomy_terms.through(
                    service_id=service.id, taxonomyterm_id=rng.choice(terms)
                )
            )
        Location.objects.bulk_create(locations, batch_size=2000)
        Service.objects.bulk_create(services, batch_size=2000)
        ServiceAtLocation.objects.bulk_create(links, batch_size=2000)
        Schedule.objects.bulk_create(schedules, batch_size=2000)
        Service.taxonomy_terms.through.objects.bulk_create(term_links, batch_size=2000)


if __name__ == "__main__":
    main()

"""import_oruk and export_oruk: bad records are rejected with reasons, re-imports change nothing,
and export → import into an empty directory → export gives identical JSON."""

import copy
import http.server
import io
import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from directory.management.commands.export_oruk import export_services
from directory.models import Location, Organization, Service


def run_import(source, *, rejected=False):
    """The command's report; with ``rejected``, also that it exits with status 1."""
    out = io.StringIO()
    if rejected:
        with pytest.raises(CommandError, match="not imported") as error:
            call_command("import_oruk", str(source), "--no-progress", stdout=out)
        assert error.value.returncode == 1
    else:
        call_command("import_oruk", str(source), "--no-progress", stdout=out)
    return out.getvalue()


def empty_directory():
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()


@pytest.mark.django_db
def test_export_import_export_round_trip_is_identical(demo_directory, tmp_path):
    first = export_services()
    assert len(first) >= 120
    path = tmp_path / "services.json"
    path.write_text(json.dumps(first))
    empty_directory()
    assert Service.objects.count() == 0

    summary = run_import(path)
    assert f"Created {len(first)}, updated 0, unchanged 0, rejected 0." in summary
    assert export_services() == first

    summary = run_import(path)
    assert f"Created 0, updated 0, unchanged {len(first)}, rejected 0." in summary
    assert export_services() == first


@pytest.mark.django_db
def test_a_malformed_record_is_rejected_with_its_reason_and_the_rest_import(few_services, tmp_path):
    services = export_services()[:5]
    empty_directory()
    bad = copy.deepcopy(services[2])
    bad["schedules"] = [
        {
            "id": bad["schedules"][0]["id"]
            if bad["schedules"]
            else "4b0b8d4e-0000-4000-8000-000000000001",
            "opens_at": "half past nine",
        }
    ]
    services[2] = bad
    services.append({"id": "not-a-uuid", "name": "Broken"})
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(services))

    summary = run_import(path, rejected=True)
    assert "Created 4, updated 0, unchanged 0, rejected 2." in summary
    assert (
        f"Rejected {bad['id']}: schedules[0].opens_at \u201chalf past nine\u201d is not a time"
        in summary
    )
    assert "Rejected not-a-uuid: id \u201cnot-a-uuid\u201d is not a UUID" in summary
    assert not Service.objects.filter(pk=bad["id"]).exists(), "nothing half-imported"
    assert Service.objects.count() == 4


@pytest.mark.django_db
def test_an_update_is_counted_and_applied(few_services, tmp_path):
    for model in (Service, Location, Organization):
        model.objects.update(feed="file")  # the feed's own records (see test_import_ownership)
    services = export_services()[:3]
    services[0]["name"] = "Renamed by the other publisher"
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(services))
    assert "Created 0, updated 1, unchanged 2, rejected 0." in run_import(path)
    assert Service.objects.get(pk=services[0]["id"]).name == "Renamed by the other publisher"


@pytest.mark.django_db
def test_import_from_a_paginated_feed_over_http(few_services):
    """Serve a copy of our own API's responses from a real HTTP server, then read it as a feed."""
    Service.objects.exclude(
        pk__in=list(Service.objects.order_by("name").values_list("pk", flat=True)[:15])
    ).delete()
    client = Client()
    pages = {}
    page = 1
    while True:
        body = client.get(f"/api/directory/services?page={page}&per_page=100").content
        pages[f"/feed/services?page={page}&per_page=100"] = body
        data = json.loads(body)
        for item in data["contents"]:
            pages[f"/feed/services/{item['id']}"] = client.get(
                f"/api/directory/services/{item['id']}"
            ).content
        if data["last_page"]:
            break
        page += 1

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body or b"{}")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        before = export_services()
        empty_directory()
        summary = run_import(f"http://127.0.0.1:{server.server_port}/feed/")
    finally:
        server.shutdown()
    assert f"Created {len(before)}, updated 0, unchanged 0, rejected 0." in summary
    assert export_services() == before


@pytest.mark.django_db
def test_duplicate_charity_numbers_are_refused(small_directory, tmp_path):
    from directory.oruk import service_json

    Organization.objects.create(
        name="First charity",
        description="x",
        provider_type="registered-charity",
        charity_number="1234567",
    )
    data = service_json(small_directory["foodbank"], full=True)
    data["id"] = "5d7c7f4e-1111-4222-8333-444455556666"
    data["organization"] = {
        "id": "5d7c7f4e-1111-4222-8333-000000000000",
        "name": "Copycat",
        "description": "x",
        "organization_identifiers": [
            {
                "id": "5d7c7f4e-1111-4222-8333-000000000001",
                "identifier_scheme": "GB-CHC",
                "identifier_type": "Charity number",
                "identifier": "1234567",
            }
        ],
    }
    data["organization_id"] = data["organization"]["id"]
    path = tmp_path / "one.json"
    path.write_text(json.dumps([data]))
    summary = run_import(path, rejected=True)
    assert "charity number 1234567 already belongs to First charity" in summary
    assert not Organization.objects.filter(name="Copycat").exists()

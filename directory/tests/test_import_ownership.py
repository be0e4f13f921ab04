"""Imports never overwrite what the council owns (issue 19, part 7): each imported record
belongs to its feed, a feed changes only its own records, and a clash is reported, not applied."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.models import Location, Organization, Service
from directory.oruk import full_service_queryset, service_json


def run(path, *args, rejected=False):
    out = io.StringIO()
    if rejected:
        with pytest.raises(CommandError):
            call_command("import_oruk", str(path), "--no-progress", *args, stdout=out)
    else:
        call_command("import_oruk", str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_feed_cannot_change_the_councils_service(small_directory, tmp_path, client):
    council = small_directory["foodbank"]
    record = service_json(full_service_queryset().get(pk=council.pk), full=True)
    places = council.service_at_locations.count()
    assert places
    record["name"] = "Hijacked foodbank"
    record["service_at_locations"] = []
    path = tmp_path / "partner.json"
    path.write_text(json.dumps([record]))

    summary = run(path, "--feed", "partner.example", rejected=True)
    assert (
        f"Rejected {council.pk}: service {council.pk} belongs to the council (it was made in "
        "Signpost), so this feed can't change it"
    ) in summary
    council.refresh_from_db()
    assert council.name == "Northbrook Foodbank"
    assert council.service_at_locations.count() == places
    page = client.get(council.get_url()).content.decode()
    assert "Northbrook Foodbank" in page and "Hijacked" not in page


@pytest.mark.django_db
def test_a_feeds_service_cannot_change_the_councils_organisation_or_location(
    small_directory, tmp_path
):
    council = small_directory["foodbank"]
    record = service_json(full_service_queryset().get(pk=council.pk), full=True)
    record["id"] = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f1"
    for index, link in enumerate(record["service_at_locations"]):
        link["id"] = f"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0{index:02d}"
        link["location"]["name"] = "Renamed by a partner"
    for key in ("schedules", "phones", "cost_options", "contacts", "languages", "service_areas"):
        record[key] = []
    record["organization"]["name"] = "Renamed organisation"
    path = tmp_path / "partner.json"
    path.write_text(json.dumps([record]))

    summary = run(path, "--feed", "partner.example")
    assert "Created 1, updated 0, unchanged 0, rejected 0." in summary
    assert "belongs to the council (it was made in Signpost), so its details were left" in summary
    imported = Service.objects.get(pk=record["id"])
    assert imported.feed == "partner.example"
    assert imported.organization == council.organization, "a feed may name the council's org"
    assert Organization.objects.get(pk=council.organization_id).name == "Northbrook Test Trust"
    assert not Location.objects.filter(name="Renamed by a partner").exists()


@pytest.mark.django_db
def test_one_feed_cannot_change_another_feeds_records(tmp_path):
    record = {
        "id": "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
        "name": "Allotment society",
        "status": "active",
        "organization": {"id": "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c00", "name": "Garden groups"},
    }
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([record]))
    assert "Created 1," in run(path, "--feed", "gardens.example")
    assert Service.objects.get(pk=record["id"]).feed == "gardens.example"

    record["name"] = "Allotment society (taken over)"
    path.write_text(json.dumps([record]))
    summary = run(path, "--feed", "other.example", rejected=True)
    assert (
        "belongs to the feed \u201cgardens.example\u201d, so this feed can't change it" in summary
    )
    assert "Created 1," not in summary

    summary = run(path, "--feed", "gardens.example")
    assert "Created 0, updated 1, unchanged 0, rejected 0." in summary
    assert Service.objects.get(pk=record["id"]).name == "Allotment society (taken over)"

    organization_record = {**record["organization"], "website": "https://other.example"}
    path.write_text(json.dumps(organization_record))
    summary = run(path, "--feed", "other.example", rejected=True)
    assert "organization 5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c00 belongs to the feed" in summary

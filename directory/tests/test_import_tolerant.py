"""import_oruk with records shaped like the standard's own examples and like real partners' feeds:
nothing Signpost can hold is lost, a list the record leaves out keeps what exists, an unchanged
record writes nothing, and one bad value never stops the rest (fixtures/oruk/README.md)."""

import copy
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.management.commands.export_oruk import export_services
from directory.models import (
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from directory.oruk import full_service_queryset, service_json

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "oruk"


def load(name):
    return json.loads((FIXTURES / name).read_text())


def run_import(path, *, rejected=False):
    out = io.StringIO()
    if rejected:
        with pytest.raises(CommandError) as error:
            call_command("import_oruk", str(path), "--no-progress", stdout=out)
        assert error.value.returncode == 1
        assert "not imported; the reasons are listed above" in str(error.value)
    else:
        call_command("import_oruk", str(path), "--no-progress", stdout=out)
    return out.getvalue()


def as_if_imported(feed="file"):
    """Make the factories' records a feed's own, as if that feed had imported them: a feed may
    change only its own records (the council's are tested in test_import_ownership.py)."""
    for model in (Service, Organization, Location):
        model.objects.update(feed=feed)


def write(tmp_path, records, name="feed.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records))
    return path


@pytest.mark.django_db
def test_the_hsds_3_full_example_imports_with_every_field_signpost_holds(tmp_path, oruk_validator):
    summary = run_import(FIXTURES / "hsds3_service_full.json")
    assert "Created 1, updated 0, unchanged 0, rejected 0." in summary

    record = load("hsds3_service_full.json")
    service = Service.objects.get(pk=record["id"])
    assert service.name == "Talking Therapies Drop-in"
    assert service.fees_description == record["fees_description"], "HSDS 3.0's name wins"
    assert service.eligibility_description == record["eligibility_description"]
    assert service.last_verified == datetime.date(2026, 3, 1)
    assert service.assurer_email == "directory@example.org"
    assert service.last_modified == datetime.datetime(2026, 3, 2, 9, 15, 30, 250000, datetime.UTC)

    organization = service.organization
    assert (organization.charity_number, organization.company_number) == ("1098765", "07654321")
    assert organization.website == "https://example.org"

    phone = Phone.objects.get(service=service)
    assert (str(phone.pk), phone.number) == (record["phones"][0]["id"], '"+44 20 7946 0001"')

    link = ServiceAtLocation.objects.get(service=service)
    assert str(link.pk) == record["service_at_locations"][0]["id"]
    location = link.location
    assert (location.name, location.external_identifier) == (
        "Northbrook Civic Centre",
        "100023336956",
    )
    assert (location.latitude, location.longitude) == (None, None), "100/101 is not on Earth"
    assert (location.address_1, location.city, location.postal_code, location.country) == (
        "1 Commerce Plaza",
        "Springfield",
        "62701",
        "US",
    )
    assert location.address_type == "postal"
    assert location.accessibility == "Step-free entrance and a hearing loop at reception"

    schedules = {str(s.pk): s for s in Schedule.objects.filter(service=service)}
    assert len(schedules) == 2, "the schedule repeated at three levels is kept once"
    repeated = schedules["7b0c3f5e-2a61-4c8e-9d54-1f6a2b3c4d05"]
    assert repeated.service_at_location_id is None
    assert repeated.attending_type.startswith("You can come in person")
    saturday = schedules["7b0c3f5e-2a61-4c8e-9d54-1f6a2b3c4d10"]
    assert (saturday.service_at_location_id, saturday.interval, saturday.byday) == (
        link.pk,
        2,
        "SA",
    ), "a location's own schedule stays with its location"
    assert service.taxonomy_terms.get().term_uri == "https://example.org/vocab/talking-therapies"

    assert "latitude 100, longitude 101 is not a place on Earth" in summary
    assert "repeats schedule 7b0c3f5e-2a61-4c8e-9d54-1f6a2b3c4d05" in summary
    # What Signpost has no place for is named, never dropped without a word.
    for name in (
        "service.licenses",
        "service.interpretation_services",
        "phones.languages",
        "location.alternate_name",
        "organization.legal_status",
    ):
        assert f"  {name} (" in summary
    for name in (
        "service.application_process",
        "service.wait_time",
        "service.funding",
        "service.required_documents",
        "phones.extension",
        "location.transportation",
    ):
        assert f"  {name} (" not in summary, f"{name} has a place now"
    assert service.application_process.startswith("Ask your GP to refer you")
    assert service.wait_time == "About three weeks"
    assert [(str(d.pk), d.document, d.uri) for d in service.required_documents.all()] == [
        ("7b0c3f5e-2a61-4c8e-9d54-1f6a2b3c4d26", "A letter from your GP", "https://example.org/gp")
    ]
    assert [f.source for f in service.funding.all()] == ["NHS talking therapies contract"]
    assert phone.extension == 201
    assert location.transportation == "Buses 12 and 44 stop outside"

    exported = service_json(full_service_queryset().get(pk=service.pk), full=True)
    oruk_validator(exported, "service.json", formats=True)
    assert exported["service_at_locations"][0]["location"]["addresses"][0]["address_type"] == (
        "postal"
    )
    identifiers = exported["organization"]["organization_identifiers"]
    assert {item["identifier"] for item in identifiers} == {"1098765", "07654321"}

    again = run_import(FIXTURES / "hsds3_service_full.json")
    assert "Created 0, updated 0, unchanged 1, rejected 0." in again


@pytest.mark.django_db
def test_the_uk_profile_examples_import_services_organisations_and_service_at_locations(
    tmp_path, oruk_validator
):
    summary = run_import(FIXTURES / "uk_organization_full.json")
    assert "Created 2, updated 0, unchanged 0, rejected 0." in summary
    organization = Organization.objects.get(pk="3c9d2e71-58aa-4f0b-b6de-0a1b2c3d4e06")
    assert organization.company_number == "02345678"
    nested = Service.objects.get(pk="3c9d2e71-58aa-4f0b-b6de-0a1b2c3d4e20")
    assert nested.organization == organization, "an organisation's services are its own"

    summary = run_import(FIXTURES / "uk_service_full.json")
    assert "Created 1, updated 0, unchanged 0, rejected 0." in summary
    service = Service.objects.get(pk="3c9d2e71-58aa-4f0b-b6de-0a1b2c3d4e01")
    assert service.fees_description == "Free", "the profile's `fees`"
    area = service.service_areas.get()
    assert area.name.startswith("Anyone living in the borough")
    assert service.cost_options.get().amount == Decimal("0.00")
    assert "gives no location Signpost knows, so it was left out" in summary
    assert "languages[0] has no name or code, so it was left out" in summary
    assert "attributes[0] names no taxonomy term, so it was left out" in summary
    assert (
        "parent_organization_id 3c9d2e71-58aa-4f0b-b6de-0a1b2c3d4e07 is not in this feed" in summary
    )

    summary = run_import(FIXTURES / "uk_service_at_location_full.json")
    assert "Created 0, updated 0, unchanged 1, rejected 0." in summary, (
        "the /service_at_locations record is recognised, and its service is the same"
    )
    oruk_validator(
        service_json(full_service_queryset().get(pk=service.pk), full=True),
        "service.json",
        formats=True,
    )


@pytest.mark.django_db
def test_a_service_at_location_record_adds_its_place_without_touching_the_others(tmp_path):
    run_import(FIXTURES / "hsds3_service_full.json")
    record = load("hsds3_service_full.json")
    service = Service.objects.get(pk=record["id"])
    other = Location.objects.create(name="Library", address_1="3 Book Row", postal_code="NB1 2AA")
    sal = {
        "id": "7b0c3f5e-2a61-4c8e-9d54-1f6a2b3c4d90",
        "service_id": record["id"],
        "location_id": str(other.pk),
        "description": "Also at the library on Fridays",
        "schedules": [
            {"id": "7b0c3f5e-2a61-4c8e-9d54-1f6a2b3c4d91", "byday": "FR", "opens_at": "10:00"}
        ],
        "service": service_json(full_service_queryset().get(pk=service.pk)),
    }
    summary = run_import(write(tmp_path, sal))
    assert "Created 0, updated 1, unchanged 0, rejected 0." in summary
    links = ServiceAtLocation.objects.filter(service=service)
    assert links.count() == 2, "the Civic Centre is still there"
    friday = Schedule.objects.get(pk="7b0c3f5e-2a61-4c8e-9d54-1f6a2b3c4d91")
    assert str(friday.service_at_location_id) == sal["id"]
    assert Schedule.objects.filter(service=service).count() == 3


@pytest.mark.django_db
def test_a_list_page_keeps_a_services_parts_and_an_empty_list_clears_them(few_services, tmp_path):
    as_if_imported()
    service = few_services[0]
    full = service_json(full_service_queryset().get(pk=service.pk), full=True)
    parts = {
        key: len(full[key])
        for key in ("service_at_locations", "schedules", "phones", "cost_options", "attributes")
    }
    assert all(parts.values()), parts

    list_page = service_json(service)  # the /services list shape: no arrays at all
    list_page["name"] = "Renamed in the list"
    summary = run_import(write(tmp_path, {"contents": [list_page], "total_items": 1}))
    assert "Created 0, updated 1, unchanged 0, rejected 0." in summary
    after = service_json(full_service_queryset().get(pk=service.pk), full=True)
    assert {key: len(after[key]) for key in parts} == parts, "children unchanged"
    assert after["name"] == "Renamed in the list"

    cleared = {**full, "phones": [], "cost_options": []}
    run_import(write(tmp_path, [cleared]))
    service.refresh_from_db()
    assert not service.phones.exists() and not service.cost_options.exists()
    assert service.schedules.exists() and service.service_at_locations.exists()


@pytest.mark.django_db
def test_an_unchanged_record_writes_nothing_and_keeps_its_last_modified(few_services, tmp_path):
    as_if_imported()
    record = service_json(full_service_queryset().get(pk=few_services[1].pk), full=True)
    del record["last_modified"]
    path = write(tmp_path, [record])
    run_import(path)  # takes the feed's order, the first time
    stamped = Service.objects.get(pk=record["id"]).last_modified

    with CaptureQueriesContext(connection) as queries:
        summary = run_import(path)
    assert "Created 0, updated 0, unchanged 1, rejected 0." in summary
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert len(queries) <= 20, [q["sql"] for q in queries]
    assert Service.objects.get(pk=record["id"]).last_modified == stamped, (
        "a modified_after consumer does not see an unchanged service change"
    )

    record["description"] = "A real change"
    run_import(write(tmp_path, [record]))
    assert Service.objects.get(pk=record["id"]).last_modified > stamped


@pytest.mark.django_db
def test_a_messy_partner_feed_fixes_what_it_can_and_reports_the_rest(tmp_path):
    summary = run_import(FIXTURES / "messy_partner_feed.json", rejected=True)
    assert "Created 3, updated 0, unchanged 0, rejected 8." in summary
    reasons = {
        "9e8d7c6b-0000-4000-8000-000000000102": "schedules[0].interval \u201ctwo\u201d is not a whole number",
        "9e8d7c6b-0000-4000-8000-000000000104": "assured_date \u201c2025-02-30\u201d is not a real date",
        "9e8d7c6b-0000-4000-8000-000000000105": "name is 300 characters long; Signpost keeps at most 200",
        "9e8d7c6b-0000-4000-8000-000000000106": "last_modified \u201c2025-13-01T00:00:00Z\u201d is not a real date and time",
        "record 7": "the record is not a JSON object",
        "9e8d7c6b-0000-4000-8000-000000000108": "schedules[0].byday \u201cSomeday\u201d is not a list of days",
        "9e8d7c6b-0000-4000-8000-000000000109": "minimum_age is more than maximum_age",
        "9e8d7c6b-0000-4000-8000-000000000110": "cost_options[0].amount \u201cfree\u201d is not a number",
    }
    for label, reason in reasons.items():
        assert f"Rejected {label}: {reason}" in summary
    assert not Service.objects.filter(pk__in=[k for k in reasons if "-" in k]).exists()

    fixed = Service.objects.get(pk="9e8d7c6b-0000-4000-8000-000000000101")
    assert fixed.name == "Rent arrears help", "the NUL character is gone"
    assert fixed.description == ("Help with rent and service charges.\n- Arrears\n- Deposits"), (
        "markup became text; the script went"
    )
    assert (fixed.email, fixed.url) == ("", ""), "not an email address; not a safe link"
    assert fixed.organization.description == "Run by tenants, for tenants."
    assert fixed.cost_options.get().amount is None
    schedule = fixed.schedules.get()
    assert (schedule.freq, schedule.byday) == ("WEEKLY", "MO,WE")
    location = fixed.service_at_locations.get().location
    assert location.postal_code == "NB1 1AA"
    for warning in (
        "name had a NUL character, which was removed",
        "email \u201cemail-example_com\u201d is not an email address, so it was left out",
        "url \u201cjavascript:alert(1)\u201d is not a web address starting http:// or https://",
        "cost_options[0].amount -5 is less than nothing, so it was left out",
        "schedules[0].byday \u201cMonday,Wednesday\u201d was written as MO,WE",
        "postal_code \u201cnb1 1aa\u201d was written as NB1 1AA",
        "latitude north, longitude west is not a place on Earth",
    ):
        assert "Warning 9e8d7c6b-0000-4000-8000-000000000101: " in summary
        assert warning in summary, warning
    assert Service.objects.filter(name="Right to buy advice").exists(), "the run went on"
    assert Service.objects.filter(name="Tenancy sustainment").exists()


@pytest.mark.django_db
def test_a_row_id_that_belongs_to_another_service_rejects_only_that_record(few_services, tmp_path):
    as_if_imported()
    first, second = (
        service_json(full_service_queryset().get(pk=s.pk), full=True) for s in few_services[:2]
    )
    thief = copy.deepcopy(second)
    thief["phones"] = first["phones"]
    summary = run_import(write(tmp_path, [thief, first]), rejected=True)
    assert "already belongs to another service" in summary
    assert "unchanged 1, rejected 1." in summary
    assert Phone.objects.get(pk=first["phones"][0]["id"]).service_id == few_services[0].pk


@pytest.mark.django_db
def test_a_file_that_is_not_a_feed_says_so(tmp_path):
    for content, message in (
        (b"\xff\xfe not utf-8", "is not UTF-8 text"),
        (b"{not json", "is not valid JSON"),
        (b"42", "must hold a record, a list of records or a page"),
    ):
        path = tmp_path / "feed.json"
        path.write_bytes(content)
        with pytest.raises(CommandError, match=message):
            call_command("import_oruk", str(path), "--no-progress", stdout=io.StringIO())
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_oruk", str(tmp_path / "missing.json"), stdout=io.StringIO())


@pytest.mark.django_db
def test_the_round_trip_keeps_charity_numbers(few_services, tmp_path):
    organization = few_services[0].organization
    organization.charity_number = "1177001"
    organization.save()
    before = export_services()
    path = write(tmp_path, before)
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()
    run_import(path)
    assert Organization.objects.get(pk=organization.pk).charity_number == "1177001"
    assert export_services() == before

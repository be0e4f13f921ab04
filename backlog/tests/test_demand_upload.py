"""Uploading contact figures in the admin: a product owner sees what the file would do, row by
row, before anything is saved; "Import" applies what passed; their own units only; large files
go to the background worker."""

import datetime
import time

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backlog import uploads
from backlog.models import DemandRecord, DemandUpload
from tests.tasks import queued, run_queued_tasks

pytestmark = pytest.mark.django_db

UPLOAD = reverse("backlog_admin:demand_upload")


def csv_file(rows, encoding="cp1252", name="contacts.csv"):
    return SimpleUploadedFile(name, "".join(f"{r}\r\n" for r in rows).encode(encoding))


def text_of(soup, selector):
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in soup.select(f"{selector} tbody tr")
    ]


@pytest.fixture
def parking_figure(units):
    return DemandRecord.objects.create(
        service="Parking permits",
        channel="phone",
        month=datetime.date(2025, 1, 1),
        count=999,
        delivery_unit=units["parking"],
    )


def test_preview_then_import(client, people, units, parking_figure):
    client.force_login(people["owner"])
    form = client.get(UPLOAD).content.decode()
    assert 'name="file"' in form and "Street Scene" in form

    response = client.post(
        UPLOAD,
        {
            "delivery_unit": units["street-scene"].pk,
            "file": csv_file(
                [
                    "Service,Channel,Month,Count,Delivery unit",
                    'Missed bins \u2013 \u00a3 fines,Phone,Jan-25,"1,200",',
                    "Parking permits,phone,2025-01,5,parking",
                    "Missed bins \u2013 \u00a3 fines,web,2025-13,10,",
                    "Bulky waste,web,2025-01,40,",
                ]
            ),
        },
    )
    upload = DemandUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backlog_admin:demand_preview", args=[upload.pk])
    assert not DemandRecord.objects.exclude(pk=parking_figure.pk).exists()  # nothing yet

    soup = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    assert "read as Windows-1252" in soup.get_text()
    assert soup.select_one(".demand-summary").get_text(strip=True) == (
        "Would create 2, update 0, leave 0 unchanged and reject 2."
    )
    assert text_of(soup, "table.demand-rejected") == [
        ["3", "you cannot change figures of Parking (you are not in that delivery unit)"],
        ["4", "month \u201c2025-13\u201d must be a year and month, like 2025-04"],
    ]
    assert text_of(soup, "table.demand-changes") == [
        ["2", "Missed bins \u2013 \u00a3 fines", "phone", "2025-01", "Street Scene", "1200 (new)"],
        ["5", "Bulky waste", "web", "2025-01", "Street Scene", "40 (new)"],
    ]

    imported = client.post(response["Location"], follow=True)
    page = BeautifulSoup(imported.content, "html.parser")
    assert page.select_one(".demand-summary").get_text(strip=True) == (
        "Created 2, updated 0, unchanged 0, rejected 2."
    )
    assert [row[0] for row in text_of(page, "table.demand-rejected")] == ["3", "4"]
    assert DemandRecord.objects.get(service="Bulky waste").delivery_unit == units["street-scene"]
    parking_figure.refresh_from_db()
    assert parking_figure.count == 999

    client.post(response["Location"])  # pressing Import again imports nothing twice
    assert DemandRecord.objects.count() == 3


def test_a_file_that_cannot_be_read_is_refused_with_the_reason(client, people, units):
    client.force_login(people["owner"])
    response = client.post(
        UPLOAD,
        {
            "delivery_unit": units["street-scene"].pk,
            "file": csv_file(["service,when,count", "Missed bins,2025-01,4"], "utf-8"),
        },
    )
    assert response.status_code == 200
    assert "The header row (row 1) is missing: channel, month." in response.content.decode()
    assert not DemandUpload.objects.exists()


def test_only_product_owners_upload_and_only_their_own(client, people, units):
    for who in ("editor", "web_team"):
        client.force_login(people[who])
        assert client.get(UPLOAD).status_code in (302, 403)
    client.force_login(people["owner"])
    client.post(
        UPLOAD,
        {
            "delivery_unit": units["street-scene"].pk,
            "file": csv_file(["service,channel,month,count", "Missed bins,web,2025-01,4"]),
        },
    )
    upload = DemandUpload.objects.get()
    client.force_login(people["other_owner"])
    assert client.get(reverse("backlog_admin:demand_preview", args=[upload.pk])).status_code == 404
    # The unit chooser offers only the uploader's units.
    html = client.get(UPLOAD).content.decode()
    assert "Parking" in html and "Street Scene" not in html


def test_a_large_file_is_imported_by_the_worker(
    client, people, units, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(uploads, "IN_REQUEST_ROWS", 2)
    client.force_login(people["owner"])
    client.post(
        UPLOAD,
        {
            "delivery_unit": units["street-scene"].pk,
            "file": csv_file(
                ["service,channel,month,count"]
                + [f"Missed bins,{c},2025-01,{n}" for n, c in enumerate(["web", "phone", "email"])]
            ),
        },
    )
    upload = DemandUpload.objects.get()
    preview = reverse("backlog_admin:demand_preview", args=[upload.pk])
    assert "imported in the background" in client.get(preview).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview, follow=True)
    assert "is being imported in the background" in response.content.decode()
    assert not DemandRecord.objects.exists()
    assert queued(uploads.TASK) == 1

    run_queued_tasks()
    html = client.get(preview).content.decode()
    assert "Created 3, updated 0, unchanged 0, rejected 0." in html
    assert DemandRecord.objects.count() == 3


def test_five_thousand_rows_import_in_the_request_quickly(people, units):
    """Why files up to IN_REQUEST_ROWS are imported in the request: checking and writing them
    takes about a second of processor time (the bound leaves room for a slower machine)."""
    months = [datetime.date(2020 + m // 12, m % 12 + 1, 1) for m in range(50)]
    rows = ["service,channel,month,count"] + [
        f"Service {s},{channel},{month:%Y-%m},{s + 1}"
        for s in range(20)
        for month in months
        for channel in ("web", "phone", "email", "post", "face-to-face")
    ]
    assert len(rows) - 1 == uploads.IN_REQUEST_ROWS
    upload, plan = uploads.store_upload(people["owner"], csv_file(rows), units["street-scene"])
    assert plan.summary(done=False).startswith("Would create 5000")
    started, cpu = time.perf_counter(), time.process_time()
    assert uploads.request_import(upload) is False  # in the request, not queued
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert DemandRecord.objects.count() == 5000
    print(f"checked and wrote 5000 rows in {elapsed:.2f}s ({cpu:.2f}s of processor time)")
    assert cpu < 3


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, people, units):
    client.force_login(people["owner"])
    big = SimpleUploadedFile("all-years.csv", b"service,channel,month,count\r\n" * 40_000)
    response = client.post(UPLOAD, {"delivery_unit": units["street-scene"].pk, "file": big})
    assert "The file is larger than 1 MB: split it by year" in response.content.decode()
    assert not DemandUpload.objects.exists()

"""The audit trail: staff opening a request, downloading a file, exporting the inbox, changing a
request, and the web team's subject access work are each recorded with who, when and from
where; entries cannot be changed or deleted, only aged out; the web team reads them as a report
with filters and a CSV export."""

import base64
import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from core import audit
from core.models import AuditEntry
from core.tests.factories import DeliveryUnitFactory, UserFactory
from eforms import builders as b
from eforms.models import Submission, UploadedFile
from eforms.tests.conftest import make_form
from eforms.tests.factories import SubmissionFactory
from eforms.tests.files import png

pytestmark = pytest.mark.django_db

PNG = png()  # Pillow's own PNG: uploads are redrawn, and this one comes out byte for byte the same


@pytest.fixture
def unit():
    return DeliveryUnitFactory(slug="street-scene", contact_email="streets@northbrook.example")


@pytest.fixture
def photo_request(client, unit):
    form = make_form(
        unit,
        slug="photo-report",
        pages=[
            b.page("photo", b.q("file_upload", "photo", "Photo", allowed_types=["png"])),
            b.page("contact", b.q("email", "email", "Email"), b.consent()),
        ],
    )
    response = client.post(
        f"/api/v1/forms/{form.slug}/submissions/",
        data=json.dumps(
            {
                "answers": {
                    "photo": [
                        {"name": "bin.png", "content_base64": base64.b64encode(PNG).decode()}
                    ],
                    "email": "pat@resident.example",
                    "consent": True,
                }
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    # What staff do is recorded once they may open the file: after its virus check, tested
    # against a real clamd in eforms/tests/test_virus_scan.py.
    UploadedFile.objects.update(scan_status=UploadedFile.CLEAN)
    return Submission.objects.get()


def entries():
    return list(
        AuditEntry.objects.order_by("pk").values_list(
            "username", "action", "subject", "detail", "row_count", "client_address"
        )
    )


def test_staff_work_on_a_request_is_recorded_with_who_and_where(client, photo_request, unit):
    officer = UserFactory(username="casey", unit_editor=True, units=[unit])
    client.force_login(officer)
    ref = photo_request.reference
    where = {"REMOTE_ADDR": "198.51.100.7"}
    assert client.get(f"/admin/submissions/{photo_request.pk}/", **where).status_code == 200
    upload = UploadedFile.objects.get()
    download = client.get(f"/admin/submissions/{photo_request.pk}/files/{upload.token}/", **where)
    assert download.status_code == 200
    client.post(
        f"/admin/submissions/{photo_request.pk}/",
        {"action": "status", "status": "in_progress"},
        **where,
    )
    client.post(
        f"/admin/submissions/{photo_request.pk}/",
        {"action": "note", "note": "Rang them back"},
        **where,
    )
    SubmissionFactory.create_batch(2, form=photo_request.form)
    export = client.get("/admin/submissions/export.csv", **where)
    assert export.status_code == 200
    b"".join(export.streaming_content)
    assert entries() == [
        ("casey", "viewed", f"request {ref}", "", None, "198.51.100.7"),
        ("casey", "downloaded", f"request {ref}", "file uploaded for photo", None, "198.51.100.7"),
        ("casey", "changed", f"request {ref}", "changed the status", None, "198.51.100.7"),
        ("casey", "changed", f"request {ref}", "added an internal note", None, "198.51.100.7"),
        ("casey", "exported", "requests inbox (CSV)", "no filters", 3, "198.51.100.7"),
    ]


def test_entries_cannot_be_changed_or_deleted_only_aged_out(settings):
    user = UserFactory(web_team=True)
    entry = AuditEntry.objects.create(
        user=user, username=user.username, action=AuditEntry.VIEWED, subject="request X"
    )
    entry.subject = "request Y"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(subject="request Y")
    assert AuditEntry.objects.get().subject == "request X"

    settings.SIGNPOST_AUDIT_KEEP_DAYS = 30
    old = AuditEntry.objects.create(username="a", action=AuditEntry.VIEWED, subject="old")
    AuditEntry.objects.filter(pk=old.pk).delete()  # a queryset delete is the purge's way
    AuditEntry.objects.create(
        username="a",
        action=AuditEntry.VIEWED,
        subject="old",
        at=timezone.now() - datetime.timedelta(days=31),
    )
    assert audit.prune() == 1
    assert list(AuditEntry.objects.values_list("subject", flat=True)) == ["request X"]


def test_the_admin_offers_no_way_to_change_the_trail(client):
    client.force_login(UserFactory(web_team=True))
    page = client.get("/admin/reports/audit-trail/").content.decode()
    assert "Audit trail" in page
    # No snippet or model admin for entries: nothing to edit or delete.
    assert client.get("/admin/snippets/core/auditentry/").status_code == 404


def test_the_web_team_filters_the_report_and_exports_it(client):
    casey = UserFactory(username="casey", unit_editor=True)
    for subject in ("request AAA-1111-2222", "request BBB-3333-4444"):
        AuditEntry.objects.create(
            user=casey, username="casey", action=AuditEntry.VIEWED, subject=subject
        )
    AuditEntry.objects.create(username="robin", action=AuditEntry.ERASED, subject="resident r***")
    client.force_login(UserFactory(username="webby", web_team=True))

    page = client.get("/admin/reports/audit-trail/", {"about": "AAA"}).content.decode()
    assert "AAA-1111-2222" in page and "BBB-3333-4444" not in page
    page = client.get("/admin/reports/audit-trail/", {"action": "erased"}).content.decode()
    assert "resident r***" in page and "AAA-1111" not in page
    page = client.get(
        "/admin/reports/audit-trail/", {"since": "2026-02-31"}, follow=True
    ).content.decode()
    assert "Enter a real date, like 2026-03-01." in page

    response = client.get("/admin/reports/audit-trail/", {"user": "casey", "format": "csv"})
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["When", "Who", "Action", "About", "Detail", "Rows", "From address"]
    assert sorted(row[3] for row in rows[1:]) == ["request AAA-1111-2222", "request BBB-3333-4444"]
    exported = AuditEntry.objects.get(action=AuditEntry.EXPORTED)
    assert (exported.username, exported.subject, exported.row_count) == (
        "webby",
        "audit trail (CSV)",
        2,
    )


def test_subject_access_search_and_export_are_recorded_and_the_zip_holds_the_file(
    client, photo_request
):
    import zipfile  # noqa: PLC0415 (test only)

    client.force_login(UserFactory(username="webby", web_team=True))
    found = client.post("/admin/reports/residents-data/", {"email": "PAT@resident.example"})
    page = found.content.decode()
    assert photo_request.reference in page and "Uploaded file" in page
    response = client.post(
        "/admin/reports/residents-data/export/", {"email": "pat@resident.example"}
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    (request,) = [r for r in data["sources"]["eforms"]["records"] if r["type"] == "request"]
    assert request["reference"] == photo_request.reference
    # The answers under the words of the form the resident saw, not only the machine names.
    questions = photo_request.form.schema.questions
    assert request["questions_and_answers"] == [
        {"question": questions[n].label if n in questions else n, "answer": a["answer"]}
        for n, a in zip(photo_request.answers, request["questions_and_answers"], strict=True)
    ]
    assert {qa["question"] for qa in request["questions_and_answers"]} & {
        spec.label for spec in questions.values()
    }
    (name,) = [n for n in archive.namelist() if n.startswith("files/eforms/")]
    assert name.endswith("bin.png") and archive.read(name) == PNG
    assert [(e[1], e[2]) for e in entries()] == [
        ("searched", "resident p***@resident.example"),
        ("exported", "resident p***@resident.example"),
    ]
    assert "pat@resident.example" not in str(entries())
    nothing = client.post("/admin/reports/residents-data/", {"email": "nobody@example.org"})
    assert "Signpost holds nothing about this email address." in nothing.content.decode()
    empty = client.post("/admin/reports/residents-data/", {"email": ""})
    assert "Enter the resident&#x27;s email address" in empty.content.decode()

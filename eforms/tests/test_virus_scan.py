"""Every uploaded file is scanned by a real ClamAV daemon in the background before staff can
open it: clean files are offered, infected ones quarantined and never offered, and while the
scanner is down files stay "being checked" and are tried again."""

import base64
import datetime
import json
import os
import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from core import clamav as clamd_client
from core.permissions import DELIVERY_UNIT_EDITOR
from eforms import builders as b
from eforms import retention, scanning
from eforms.models import Submission, UploadedFile, quarantine_storage
from eforms.tasks import scan_uploads
from tests.harness.clamav_server import EICAR, SIGNATURE_NAME
from tests.tasks import queued, run_queued_tasks

from . import files
from .conftest import make_form
from .test_staff import staff

pytestmark = pytest.mark.django_db

REMOVED = "This file was removed because it contained a virus"
BEING_CHECKED = "being checked for viruses"


@pytest.fixture
def report_form(unit):
    return make_form(
        unit,
        slug="report-with-files",
        pages=[
            b.page(
                "attach",
                b.q(
                    "file_upload",
                    "attachment",
                    "Photo or document",
                    allowed_types=["png", "pdf"],
                    max_files=2,
                ),
            ),
            b.page("contact", b.q("email", "email", "Email")),
        ],
    )


def send(client, form, *named_files, capture):
    """Submit through the API, running the on-commit callbacks as a real commit would."""
    answers = {
        "attachment": [
            {"name": name, "content_base64": base64.b64encode(content).decode()}
            for name, content in named_files
        ],
        "email": "sam@resident.example",
    }
    with capture(execute=True):
        response = client.post(
            f"/api/v1/forms/{form.slug}/submissions/",
            data=json.dumps({"answers": answers}),
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    return Submission.objects.get(reference=response.json()["reference"])


def staff_page(client, submission):
    """The request's page as staff read it: its text, with the links' addresses kept."""
    html = client.get(f"/admin/submissions/{submission.pk}/").content.decode()
    links = " ".join(re.findall(r'href="([^"]+)"', html))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)) + links


def download(client, submission, upload):
    return client.get(f"/admin/submissions/{submission.pk}/files/{upload.token}/")


@pytest.mark.clamav
def test_clamd_protocol_on_socket_and_port(clamav):
    for url in (clamav.url, clamav.tcp_url):
        assert clamd_client.ping(url)
        assert clamd_client.scan_bytes(b"just a photo", url=url) == clamd_client.ScanResult(False)
        found = clamd_client.scan_bytes(b"prefix " + EICAR + b" suffix", url=url)
        assert found.infected and found.signature.startswith(SIGNATURE_NAME)
    with pytest.raises(clamd_client.ScannerUnavailable):
        clamd_client.scan_bytes(b"x", url="tcp://127.0.0.1:1")


@pytest.mark.clamav
def test_eicar_upload_is_quarantined_and_never_offered_to_staff(
    client, report_form, unit, clamav, django_capture_on_commit_callbacks, settings
):
    submission = send(
        client,
        report_form,
        ("scan.pdf", files.eicar_pdf()),
        ("hole.png", files.png()),
        capture=django_capture_on_commit_callbacks,
    )
    assert queued("eforms.tasks.scan_uploads") == 1
    infected = submission.files.get(original_name="scan.pdf")
    original_path = infected.file.path
    client.force_login(staff(DELIVERY_UNIT_EDITOR, unit))
    # Before the worker has run: neither is offered.
    page = staff_page(client, submission)
    assert page.count(BEING_CHECKED) == 2 and f"/files/{infected.token}/" not in page
    assert download(client, submission, infected).status_code == 404

    run_queued_tasks()

    infected.refresh_from_db()
    assert infected.scan_status == UploadedFile.INFECTED
    assert infected.threat.startswith(SIGNATURE_NAME)
    # Moved out of the uploads folder into quarantine.
    assert not (settings.PRIVATE_MEDIA_ROOT / infected.file.name).exists()
    assert not os.path.exists(original_path)
    assert quarantine_storage().exists(infected.file.name)
    page = staff_page(client, submission)
    assert f"scan.pdf: {REMOVED}" in page
    assert f"/files/{infected.token}/" not in page
    assert "the virus check removed the file “scan.pdf”" in page  # the request's history
    assert download(client, submission, infected).status_code == 404
    clean = submission.files.get(original_name="hole.png")
    assert clean.scan_status == UploadedFile.CLEAN and f"/files/{clean.token}/" in page
    response = download(client, submission, clean)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.png()


@pytest.mark.clamav
def test_scanner_down_keeps_files_waiting_and_they_are_retried(
    client, report_form, unit, clamav, django_capture_on_commit_callbacks
):
    clamav.stop()
    try:
        submission = send(
            client,
            report_form,
            ("hole.png", files.png()),
            capture=django_capture_on_commit_callbacks,
        )
        run_queued_tasks()
        upload = submission.files.get()
        assert upload.scan_status == UploadedFile.WAITING and upload.scan_attempts == 1
        client.force_login(staff(DELIVERY_UNIT_EDITOR, unit))
        page = staff_page(client, submission)
        assert BEING_CHECKED in page and f"/files/{upload.token}/" not in page
        assert download(client, submission, upload).status_code == 404
        # The scheduler's sweep finds it again, and again, while clamd stays away.
        scan_uploads.enqueue()
        run_queued_tasks()
        upload.refresh_from_db()
        assert upload.scan_status == UploadedFile.WAITING and upload.scan_attempts == 2
    finally:
        clamav.start()
    scan_uploads.enqueue()
    run_queued_tasks()
    upload.refresh_from_db()
    assert upload.scan_status == UploadedFile.CLEAN
    assert f"/files/{upload.token}/" in staff_page(client, submission)
    assert download(client, submission, upload).status_code == 200


def test_without_a_scanner_production_never_offers_files(
    client, report_form, unit, django_capture_on_commit_callbacks, settings
):
    settings.CLAMAV_URL = ""
    settings.DEBUG = False
    submission = send(
        client, report_form, ("hole.png", files.png()), capture=django_capture_on_commit_callbacks
    )
    run_queued_tasks()
    upload = submission.files.get()
    assert upload.scan_status == UploadedFile.WAITING
    client.force_login(staff(DELIVERY_UNIT_EDITOR, unit))
    assert BEING_CHECKED in staff_page(client, submission)
    assert download(client, submission, upload).status_code == 404


def test_without_a_scanner_a_debug_site_offers_files_marked_not_checked(
    client, report_form, unit, django_capture_on_commit_callbacks, settings
):
    settings.CLAMAV_URL = ""
    settings.DEBUG = True
    submission = send(
        client, report_form, ("hole.png", files.png()), capture=django_capture_on_commit_callbacks
    )
    run_queued_tasks()
    upload = submission.files.get()
    assert upload.scan_status == UploadedFile.NOT_CHECKED
    client.force_login(staff(DELIVERY_UNIT_EDITOR, unit))
    page = staff_page(client, submission)
    assert "Not checked for viruses:" in page and f"/files/{upload.token}/" in page
    assert download(client, submission, upload).status_code == 200
    # Switched off DEBUG, the same file is no longer offered.
    settings.DEBUG = False
    assert download(client, submission, upload).status_code == 404


def test_deploy_check_fails_without_a_scanner(settings):
    settings.CLAMAV_URL = ""
    with pytest.raises(SystemCheckError, match="eforms.E001"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
    settings.CLAMAV_URL = "unix:///run/clamav/clamd.ctl"
    call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


@pytest.mark.clamav
def test_retention_purge_deletes_quarantined_files(
    client, report_form, clamav, django_capture_on_commit_callbacks
):
    submission = send(
        client,
        report_form,
        ("scan.pdf", files.eicar_pdf()),
        capture=django_capture_on_commit_callbacks,
    )
    run_queued_tasks()
    upload = submission.files.get()
    assert upload.scan_status == UploadedFile.INFECTED
    assert quarantine_storage().exists(upload.file.name)
    Submission.objects.filter(pk=submission.pk).update(
        status=Submission.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=report_form.retention_days + 1),
    )
    assert retention.purge().submissions == 1
    assert not quarantine_storage().exists(upload.file.name)
    assert not UploadedFile.objects.exists()


@pytest.mark.clamav
def test_draft_files_are_scanned_as_they_are_stored(client, report_form, clamav):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(f"/forms/{report_form.slug}/start/")
    client.post(
        f"/forms/{report_form.slug}/page/attach/",
        {"attachment": SimpleUploadedFile("scan.pdf", files.eicar_pdf())},
    )
    run = scanning.scan_waiting()
    assert run.infected == 1 and run.waiting == 0
    assert UploadedFile.objects.get().scan_status == UploadedFile.INFECTED

"""A member of staff opens a request with two attachments in a real browser: while the worker
has not checked them they are "being checked" with no link; once it has, against a real
clamd, the photo downloads and the PDF carrying the EICAR test virus is shown as removed,
never offered."""

import base64
import re

import pytest
from django.contrib.auth.models import Group, User

from core.models import DeliveryUnit
from core.permissions import DELIVERY_UNIT_EDITOR
from eforms import builders as b
from eforms.fields import CleanContext
from eforms.models import UploadedFile
from eforms.services import submit
from eforms.tests import files
from eforms.tests.conftest import make_form
from eforms.validation import validate_answers
from tests.browser import DESKTOP, save_screenshot
from tests.site import fresh_home_page
from tests.tasks import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.clamav, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def request_with_files(live_server, clamav):
    fresh_home_page()
    unit = DeliveryUnit.objects.create(slug="highways", name="Highways")
    form = make_form(
        unit,
        slug="pothole-photos",
        title="Report a pothole",
        pages=[
            b.page(
                "attach",
                b.q(
                    "file_upload", "attachment", "Photo", allowed_types=["png", "pdf"], max_files=2
                ),
            ),
            b.page("contact", b.q("email", "email", "Email")),
        ],
    )
    ctx = CleanContext()
    answers = {
        "attachment": [
            {"name": "hole.html", "content_base64": _b64(files.png())},
            {"name": "scan.pdf", "content_base64": _b64(files.eicar_pdf())},
        ],
        "email": "sam@resident.example",
    }
    cleaned, errors, _path = validate_answers(form.schema, answers, ctx)
    assert not errors, errors
    submission = submit(form, cleaned, pending_files=ctx.pending)
    officer = User.objects.create_user("casey", "casey@northbrook.example", "a-long-password-1")
    officer.groups.add(Group.objects.get(name=DELIVERY_UNIT_EDITOR))
    officer.delivery_units.add(unit)
    return live_server.url, submission


def _b64(content):
    return base64.b64encode(content).decode()


def test_staff_never_get_a_file_before_its_check_nor_one_with_a_virus(
    browser, request_with_files, tmp_path
):
    url, submission = request_with_files
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(url + "/admin/login/")
        page.get_by_label("Username").fill("casey")
        page.get_by_label("Password").fill("a-long-password-1")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(url + "/admin/")
        page.get_by_role("link", name="Requests inbox").click()
        page.get_by_role("link", name=submission.reference).click()
        page.wait_for_url(re.compile(rf".*/admin/submissions/{submission.pk}/$"))
        files_list = page.locator("[data-files]")
        assert files_list.inner_text().count("being checked for viruses") == 2
        assert files_list.get_by_role("link").count() == 0

        run_queued_tasks()  # the worker: the virus check, on the harness's clamd
        assert set(UploadedFile.objects.values_list("scan_status", flat=True)) == {
            UploadedFile.CLEAN,
            UploadedFile.INFECTED,
        }
        page.reload()
        removed = page.locator('[data-file="infected"]')
        assert removed.inner_text() == (
            "scan.pdf: This file was removed because it contained a virus. It cannot be opened."
        )
        assert removed.get_by_role("link").count() == 0
        assert "the virus check removed the file “scan.pdf”" in (
            page.locator("[data-history]").inner_text()
        )
        save_screenshot(page, "staff-request-file-removed-for-a-virus")
        # The PNG the resident called hole.html is offered as the picture it is.
        with page.expect_download() as waiting:
            page.get_by_role("link", name="hole.png").click()
        download = waiting.value
        assert download.suggested_filename == "hole.png"
        path = tmp_path / "hole.png"
        download.save_as(path)
        assert path.read_bytes() == files.png()
    finally:
        context.close()

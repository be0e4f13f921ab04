"""The staff side: inbox per delivery unit, status changes, private files, export, statistics."""

import base64
import csv
import io
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from core.models import DeliveryUnit
from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER
from core.roles import ensure_roles
from eforms import scanning
from eforms.api import form_analytics, render_start, start_url
from eforms.models import Draft, Submission
from tests.tasks import run_queued_tasks

from .conftest import make_form
from .test_submissions import ANSWERS, PNG, post_api

pytestmark = pytest.mark.django_db


def staff(role, unit=None, name="staff"):
    ensure_roles()
    user = User.objects.create_user(name, f"{name}@northbrook.example", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if unit:
        user.delivery_units.add(unit)
    return user


@pytest.fixture
def two_units(form, unit):
    housing = DeliveryUnit.objects.create(slug="housing", name="Housing")
    other = make_form(housing, slug="repair-test", title="Repair test")
    return other, housing


def test_unit_editor_sees_only_their_units_requests(client, form, unit, two_units):
    other_form, housing = two_units
    mine = post_api(client, form.slug, ANSWERS).json()["reference"]
    theirs = post_api(client, other_form.slug, ANSWERS).json()["reference"]
    client.force_login(staff(DELIVERY_UNIT_EDITOR, unit))
    inbox = client.get("/admin/submissions/").content.decode()
    assert mine in inbox and theirs not in inbox
    other = Submission.objects.get(reference=theirs)
    assert client.get(f"/admin/submissions/{other.pk}/").status_code == 404


def test_status_change_with_message_notifies_resident(
    client, form, unit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reference = post_api(client, form.slug, ANSWERS).json()["reference"]
    run_queued_tasks()  # the acknowledgement goes first
    submission = Submission.objects.get(reference=reference)
    client.force_login(staff(DELIVERY_UNIT_EDITOR, unit))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/submissions/{submission.pk}/",
            {"status": "resolved", "message": "Fixed today."},
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "resolved" and submission.closed_at is not None
    assert mail.outbox == []  # the status change only queued it: the worker sends it
    run_queued_tasks()
    assert mail.outbox[-1].to == ["sam@resident.example"] and "Fixed today." in mail.outbox[-1].body
    assert list(submission.history.values_list("to_status", flat=True)) == [
        "received",
        "acknowledged",
        "resolved",
    ]


def test_product_owner_sees_statistics_but_no_personal_data(client, form):
    post_api(client, form.slug, ANSWERS)
    client.force_login(staff(PRODUCT_OWNER))
    refused = client.get(
        "/admin/submissions/"
    )  # Wagtail turns "permission denied" into a redirect home
    assert (
        refused.status_code in (302, 403) and "sam@resident.example" not in refused.content.decode()
    )
    stats = client.get("/admin/submissions/statistics/")
    assert stats.status_code == 200 and "sam@resident.example" not in stats.content.decode()


@pytest.mark.clamav
def test_files_only_through_staff_view(client, unit, clamav):
    from eforms import builders as b

    form = make_form(
        unit,
        slug="photo",
        pages=[
            b.page("p", b.q("file_upload", "photo", "Photo", allowed_types=["png"])),
            b.page("c", b.q("email", "email", "Email")),
        ],
    )
    reference = post_api(
        client,
        form.slug,
        {
            "photo": [{"name": "a.png", "content_base64": base64.b64encode(PNG).decode()}],
            "email": "a@resident.example",
        },
    ).json()["reference"]
    submission = Submission.objects.get(reference=reference)
    upload = submission.files.get()
    url = f"/admin/submissions/{submission.pk}/files/{upload.token}/"
    assert scanning.scan_waiting().clean == 1  # the worker's virus check, on a real clamd
    assert client.get(url).status_code == 302  # not logged in: to the admin login
    client.force_login(staff(DELIVERY_UNIT_EDITOR, unit))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment")


def test_csv_export_and_bulk_close(client, form, unit):
    references = [
        post_api(client, form.slug, {**ANSWERS, "description": '=HYPERLINK("x")'}).json()[
            "reference"
        ]
        for _ in range(2)
    ]
    client.force_login(staff(CENTRAL_WEB_TEAM))
    response = client.get("/admin/submissions/export.csv")
    csv_text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert all(ref in csv_text for ref in references)
    # The answer has a column of its own now, so the cell starts with "=": it is guarded.
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert {row["Describe the problem"] for row in rows} == {'\'=HYPERLINK("x")'}
    ids = list(Submission.objects.values_list("pk", flat=True))
    client.post("/admin/submissions/close/", {"selected": ids, "message": "Duplicate"})
    assert set(Submission.objects.values_list("status", flat=True)) == {"closed"}


def test_inbox_lists_overdue_first(client, form, unit):
    import datetime

    for _ in range(3):
        post_api(client, form.slug, ANSWERS)
    late = Submission.objects.order_by("pk").last()
    Submission.objects.filter(pk=late.pk).update(due_date=datetime.date(2020, 1, 1))
    assert list(Submission.objects.overdue_first())[0] == late
    client.force_login(staff(CENTRAL_WEB_TEAM))
    page = client.get("/admin/submissions/?status=overdue").content.decode()
    assert late.reference in page and "Overdue" in page


def test_form_analytics(client, form):
    client.post(f"/forms/{form.slug}/start/")
    client.post(f"/forms/{form.slug}/page/what/", {"problem": "litter"})
    Draft.objects.update(updated_at="2020-01-01T00:00:00Z")
    from .test_flow import fill_to_check

    other = type(client)()
    fill_to_check(other, form)
    other.post(f"/forms/{form.slug}/check-your-answers/")
    stats = form_analytics(form)
    assert stats["starts"] == 2 and stats["completions"] == 1 and stats["completion_rate"] == 0.5
    assert stats["drop_off_page"] == "what"
    assert stats["median_seconds"] is not None


def test_public_api_for_journeys(rf, form):
    assert start_url(form) == "/forms/test-report/"
    request = rf.get("/")
    html = render_start(form, request)
    assert "Report a test problem" in html and 'action="/forms/test-report/start/"' in html
    assert "within 5 working days" in html


def test_form_is_registered_for_search(form):
    from search.registry import registration_for

    registration = registration_for(type(form))
    document = registration.to_document(form)
    assert document.kind == "form" and document.url == "/forms/test-report/"
    assert "Describe the problem" in document.body and document.delivery_unit == "street-scene"
    assert registration.document_id(form).startswith("form:")


def test_api_json_is_returned_for_form(client, form):
    data = json.loads(client.get("/api/v1/forms/test-report/").content)
    details = next(page for page in data["pages"] if page["name"] == "details")
    other = next(item for item in details["items"] if item.get("name") == "other_detail")
    assert other["show_if"] == {"field": "problem", "operator": "equals", "value": "other"}
    assert details["items"][0]["validation"]["max_length"] == 500

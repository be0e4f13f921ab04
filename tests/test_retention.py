"""Retention and erasure across every app, checked the only way that proves it: by reading every
table of the real database for what the resident told us.

A request that is purged, and a resident who is erased, must leave nothing behind: not the
saved draft that repeats every answer, not the "Continue your form" email holding its link,
not a file on disk, not a follower, a note or a problem report.
"""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from backlog import retention as backlog_retention
from backlog.models import PageFeedback
from core import privacy, scheduler
from core.models import AuditEntry
from core.tests.factories import DeliveryUnitFactory, UserFactory
from directory import retention as directory_retention
from directory.models import ListingProblem
from directory.tests.factories import ServiceFactory
from eforms import builders as b
from eforms import retention
from eforms.models import CaseNote, Draft, OutboxMessage, Submission, Subscription, UploadedFile
from eforms.services import add_note, change_status
from eforms.tests.conftest import make_form
from eforms.tests.factories import SubmissionFactory
from eforms.tests.files import png
from search import retention as search_retention
from search.models import QueryLog, SearchFeedback
from tests.tasks import run_queued_tasks

EMAIL = "ruth.resident@example.org"
SECRET = "Bins left open behind number forty-two"
PNG = png()  # a real picture: uploads are redrawn, and a broken one is refused


def tables_holding(*needles):
    """Every table (and the first matching value) that holds any of the needles, case-blind."""
    found = {}
    lowered = [needle.lower() for needle in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from introspection)
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row).lower()
                if any(needle in text for needle in lowered):
                    found[table] = text[:200]
                    break
    return found


@pytest.fixture
def unit(db):
    return DeliveryUnitFactory(
        slug="street-scene", name="Street scene", contact_email="streets@northbrook.example"
    )


@pytest.fixture
def photo_form(unit):
    return make_form(
        unit,
        slug="bin-report",
        pages=[
            b.page(
                "photo",
                b.q("file_upload", "photo", "Photo", allowed_types=["png"], max_size_mb=1),
                b.q("long_text", "description", "Describe the problem", max_length=500),
            ),
            b.page("contact", b.q("email", "email", "Email"), b.consent()),
        ],
    )


def send_with_a_saved_draft(client, form):
    """A resident answers, saves the form for later (the resume email), comes back and sends it."""
    client.post(f"/forms/{form.slug}/start/")
    client.post(
        f"/forms/{form.slug}/page/photo/",
        {
            "photo": SimpleUploadedFile("bins.png", PNG, content_type="image/png"),
            "description": SECRET,
        },
    )
    saved = client.post(f"/forms/{form.slug}/save/", {"email": EMAIL})
    assert "Your answers have been saved" in saved.content.decode()
    client.post(f"/forms/{form.slug}/page/contact/", {"email": EMAIL, "consent": "yes"})
    client.post(f"/forms/{form.slug}/check-your-answers/")
    submission = Submission.objects.get()
    run_queued_tasks()  # the acknowledgement and the resume email are sent
    return submission


def test_after_purge_nothing_about_the_request_remains_in_any_table_or_on_disk(
    client, photo_form, admin_user
):
    submission = send_with_a_saved_draft(client, photo_form)
    upload = UploadedFile.objects.get()
    path = upload.file.path
    assert Draft.objects.get().resume_email == EMAIL
    assert OutboxMessage.objects.filter(subject__startswith="Continue your form").exists()
    Subscription.objects.create(submission=submission, email="neighbour@example.org")
    add_note(submission, f"Rang {EMAIL} about it", author=admin_user)
    change_status(submission, Submission.CLOSED, message="Emptied", user=admin_user)
    run_queued_tasks()
    before = tables_holding(EMAIL, SECRET, submission.reference)
    assert {"eforms_submission", "eforms_draft", "eforms_outboxmessage"} <= set(before)

    Submission.objects.update(
        closed_at=timezone.now() - datetime.timedelta(days=photo_form.retention_days + 1)
    )
    out = io.StringIO()
    call_command("purge_submissions", stdout=out)
    assert "Deleted 1 submission(s) past retention" in out.getvalue()

    assert tables_holding(EMAIL, SECRET, submission.reference, "neighbour@example.org") == {}
    assert not Draft.objects.exists() and not OutboxMessage.objects.exists()
    assert not CaseNote.objects.exists() and not Subscription.objects.exists()
    assert not os.path.exists(path)


def test_a_resume_email_written_before_messages_named_their_draft_goes_with_the_draft(
    client, photo_form, monkeypatch
):
    monkeypatch.setattr(retention, "LEGACY_BATCH", 1)  # the batches, with two drafts
    for resident in (client, type(client)()):
        resident.post(f"/forms/{photo_form.slug}/start/")
        resident.post(f"/forms/{photo_form.slug}/save/", {"email": EMAIL})
    OutboxMessage.objects.create(to="staff@northbrook.example", body="About nothing")
    OutboxMessage.objects.update(draft=None)  # as such rows were before this change
    Draft.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    purged = retention.purge()
    assert (purged.drafts, purged.messages) == (2, 2)
    assert tables_holding(EMAIL) == {}
    assert OutboxMessage.objects.get().body == "About nothing"


def test_requests_left_open_are_warned_about_then_deleted(client, photo_form, settings, admin_user):
    settings.EFORMS_OPEN_REQUEST_MAX_DAYS = 100
    settings.EFORMS_DELETION_WARNING_DAYS = 10
    now = timezone.now()
    old = SubmissionFactory(form=photo_form, submitted_at=now - datetime.timedelta(days=95))
    young = SubmissionFactory(form=photo_form, submitted_at=now - datetime.timedelta(days=50))

    first = retention.purge(now=now)
    assert (first.submissions, first.warned) == (0, 1)
    (warning,) = OutboxMessage.objects.filter(to="streets@northbrook.example")
    assert old.reference in warning.body and young.reference not in warning.body
    deletion_day = timezone.localdate(now + datetime.timedelta(days=10))
    assert f"will be deleted on {deletion_day:%-d %B %Y}" in warning.body

    client.force_login(admin_user)
    inbox = client.get("/admin/submissions/").content.decode()
    assert f"Will be deleted on {deletion_day:%-d %b %Y}" in inbox
    assert inbox.count("data-deletion") == 1
    operations = client.get("/admin/reports/operations/").content.decode()
    assert "Open requests to be deleted for their age" in operations
    assert old.reference in operations and young.reference not in operations
    assert operations.count("<tr data-deletion>") == 1

    # The next night: still within the warning period, nothing goes and nobody is told twice.
    again = retention.purge(now=now + datetime.timedelta(days=1))
    assert (again.submissions, again.warned) == (0, 0)
    later = retention.purge(now=now + datetime.timedelta(days=11))
    assert later.submissions == 1
    assert set(Submission.objects.values_list("pk", flat=True)) == {young.pk}


def test_old_messages_problem_reports_feedback_and_search_logs_are_purged(
    photo_form, settings, home_page
):

    long_ago = timezone.now() - datetime.timedelta(days=800)
    OutboxMessage.objects.create(to=EMAIL, body="old", status=OutboxMessage.SENT)
    OutboxMessage.objects.create(to=EMAIL, body="new", status=OutboxMessage.SENT)
    OutboxMessage.objects.filter(body="old").update(created_at=long_ago)
    service = ServiceFactory()
    ListingProblem.objects.create(service=service, kind="times", reporter_email=EMAIL)
    ListingProblem.objects.create(service=service, kind="times", details="recent")
    ListingProblem.objects.exclude(details="recent").update(created_at=long_ago)
    PageFeedback.objects.create(page=home_page, useful=False, comment="old")
    PageFeedback.objects.create(page=home_page, useful=True, comment="new")
    PageFeedback.objects.filter(comment="old").update(created_at=long_ago)
    QueryLog.objects.create(query="old", locale="en", result_count=0, engine="embedded")
    QueryLog.objects.filter(query="old").update(searched_on=long_ago.date())
    SearchFeedback.objects.create(text="old", locale="en")
    SearchFeedback.objects.filter(text="old").update(created_at=long_ago)

    assert retention.purge().messages == 1
    assert directory_retention.purge() == 1
    assert backlog_retention.purge() == 1
    assert search_retention.purge() == (1, 1)
    assert list(OutboxMessage.objects.values_list("body", flat=True)) == ["new"]
    assert list(ListingProblem.objects.values_list("details", flat=True)) == ["recent"]
    assert list(PageFeedback.objects.values_list("comment", flat=True)) == ["new"]
    assert not QueryLog.objects.exists() and not SearchFeedback.objects.exists()


def test_the_worker_runs_every_purge_daily():
    jobs = {job.name: job for job in scheduler.registered()}
    for name in (
        "retention-purge",
        "problem-reports-purge",
        "page-feedback-purge",
        "search-log-purge",
        "audit-prune",
    ):
        assert jobs[name].every == datetime.timedelta(days=1), name


def test_erasure_by_email_removes_everything_and_leaves_an_audit_entry(
    client, photo_form, home_page, django_capture_on_commit_callbacks
):
    submission = send_with_a_saved_draft(client, photo_form)
    path = UploadedFile.objects.get().file.path
    other = SubmissionFactory(form=photo_form, email="someone.else@example.org")
    Subscription.objects.create(submission=other, email=EMAIL.upper())
    ListingProblem.objects.create(
        service=ServiceFactory(), kind="times", details=SECRET, reporter_email=EMAIL
    )
    PageFeedback.objects.create(page=home_page, useful=False, comment=f"write to {EMAIL}")
    found = dict((source.name, held) for source, held in privacy.find(EMAIL))
    assert {h.kind for h in found["eforms"]} >= {
        "Request",
        "Saved form",
        "Message",
        "Uploaded file",
        "Following a report",
    }
    assert len(found["directory"]) == 1 and len(found["backlog"]) == 1

    staff = UserFactory(web_team=True)
    client.force_login(staff)
    confirm = client.post("/admin/reports/residents-data/erase/", {"email": EMAIL})
    assert "Are you sure you want to erase everything" in confirm.content.decode()
    assert Submission.objects.filter(pk=submission.pk).exists()  # nothing yet
    with django_capture_on_commit_callbacks(execute=True):  # the files go once it commits
        done = client.post(
            "/admin/reports/residents-data/erase/",
            {"email": f"  {EMAIL.upper()} ", "confirm": "yes"},
            REMOTE_ADDR="203.0.113.9",
        )
    assert done.status_code == 302
    run_queued_tasks()

    assert tables_holding(EMAIL, SECRET, submission.reference) == {}
    assert not os.path.exists(path)
    assert Submission.objects.get() == other  # someone else's request stays
    entry = AuditEntry.objects.get(action=AuditEntry.ERASED)
    assert entry.username == staff.username and entry.client_address == "203.0.113.9"
    assert entry.subject == "resident r***@example.org" and entry.row_count >= 7


def test_erasure_refuses_a_bad_address_and_staff_who_are_not_the_web_team(client, photo_form, unit):
    client.force_login(UserFactory(unit_editor=True, units=[unit]))
    # Wagtail turns a refusal into a trip back to the dashboard with "Sorry, you do not have
    # permission to access this area."
    for response in (
        client.get("/admin/reports/residents-data/"),
        client.post("/admin/reports/residents-data/erase/", {"email": EMAIL, "confirm": "yes"}),
        client.post("/admin/reports/residents-data/export/", {"email": EMAIL}),
        client.get("/admin/reports/audit-trail/"),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    client.force_login(UserFactory(web_team=True))
    bad = client.post(
        "/admin/reports/residents-data/erase/", {"email": "not an address", "confirm": "yes"}
    )
    assert bad.status_code == 400
    assert "Enter an email address in the correct format" in bad.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.ERASED).exists()

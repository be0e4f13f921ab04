"""API and HTML agree; bad input is refused clearly or stored safely; nothing is half-saved."""

import base64
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from cms.models import SiteSettings
from eforms import builders as b
from eforms.models import Draft, OutboxMessage, StatusChange, Submission, UploadedFile
from eforms.services import change_status
from eforms.tests.factories import SubmissionFactory
from eforms.tests.files import png
from tests.tasks import run_queued_tasks

from .conftest import make_form
from .test_flow import fill_to_check

pytestmark = pytest.mark.django_db

ANSWERS = {
    "problem": "other",
    "description": "Big hole",
    "other_detail": "Sinkhole",
    "noticed": "2024-02-01",
    "address": {"postcode": "nb1 1aa", "line_1": "14 Mill Lane", "town": "Northbrook"},
    "full_name": "Sam Resident",
    "email": "sam@resident.example",
    "consent": True,
}
PNG = png()  # a real picture: uploads are redrawn, so a bare signature is refused
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def post_api(client, slug, answers, **headers):
    return client.post(
        f"/api/v1/forms/{slug}/submissions/",
        data=json.dumps({"answers": answers}),
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def photo_form(unit):
    return make_form(
        unit,
        slug="photo-report",
        pages=[
            b.page(
                "photo",
                b.q(
                    "file_upload",
                    "photo",
                    "Photo",
                    error="Upload a photo",
                    allowed_types=["jpg", "png"],
                    max_size_mb=1,
                    max_files=2,
                ),
            ),
            b.page(
                "contact",
                b.q("email", "email", "Email", error="Enter your email address"),
                b.consent(),
            ),
        ],
    )


def test_api_and_html_store_equivalent_submissions(client, form):
    response = post_api(client, form.slug, ANSWERS)
    assert response.status_code == 201, response.json()
    api = Submission.objects.get(reference=response.json()["reference"])
    fill_to_check(client, form)
    client.post(f"/forms/{form.slug}/check-your-answers/")
    html = Submission.objects.exclude(pk=api.pk).get()
    assert api.answers == html.answers
    assert (api.email, api.due_date, api.street_key, api.status) == (
        html.email,
        html.due_date,
        html.street_key,
        html.status,
    )
    assert api.channel == "api" and html.channel == "web"


def test_api_invalid_payload_gives_per_field_errors(client, form):
    bad = {**ANSWERS, "email": "not-an-email", "problem": "volcano"}
    del bad["description"]
    response = post_api(client, form.slug, bad)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["email"] == "Enter an email address in the correct format, like name@example.com"
    assert errors["problem"] == "Select the problem"
    # "problem" is invalid, so the show-if question that depends on it is not asked.
    assert "other_detail" not in errors
    assert Submission.objects.count() == 0


def test_api_accepts_postcodes_typed_with_hyphens_and_stores_the_standard_form(client, form):
    answers = {**ANSWERS, "address": {**ANSWERS["address"], "postcode": "nb1-1aa"}}
    response = post_api(client, form.slug, answers)
    assert response.status_code == 201, response.json()
    submission = Submission.objects.get(reference=response.json()["reference"])
    assert submission.answers["address"]["postcode"] == "NB1 1AA"


def test_api_rejects_non_json_and_unknown_questions(client, form):
    response = client.post(
        f"/api/v1/forms/{form.slug}/submissions/", data="nope", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"]
    response = post_api(client, form.slug, {**ANSWERS, "admin": "yes"})
    assert response.status_code == 400 and "admin" in response.json()["errors"]["__all__"]


def test_missing_required_answers(client, form):
    response = post_api(client, form.slug, {})
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"problem"}


def test_ten_thousand_characters_refused_with_clear_message(client, form):
    response = post_api(client, form.slug, {**ANSWERS, "description": "x" * 10_000})
    assert response.status_code == 400
    assert response.json()["errors"]["description"] == "Answer must be 500 characters or fewer"
    fill_to_check(client, form)
    page = client.post(f"/forms/{form.slug}/page/details/?change=1", {"description": "y" * 10_000})
    assert "Answer must be 500 characters or fewer" in page.content.decode()


def test_script_in_answers_is_stored_as_text_and_escaped(client, form, admin_client):
    script = "<script>alert('x')</script>"
    response = post_api(client, form.slug, {**ANSWERS, "description": script})
    submission = Submission.objects.get(reference=response.json()["reference"])
    assert submission.answers["description"] == script
    page = admin_client.get(f"/admin/submissions/{submission.pk}/").content.decode()
    assert script not in page and "&lt;script&gt;" in page


def test_replayed_api_submission_makes_one(client, form):
    first = post_api(client, form.slug, ANSWERS, HTTP_IDEMPOTENCY_KEY="abc-123")
    second = post_api(client, form.slug, ANSWERS, HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["reference"] == second.json()["reference"]
    assert Submission.objects.count() == 1


def test_double_clicked_submit_makes_one_submission(client, form):
    fill_to_check(client, form)
    draft = Draft.objects.get()
    first = client.post(f"/forms/{form.slug}/check-your-answers/")
    # The second click arrives with the same session after the first has finished.
    session = client.session
    session[f"eforms:draft:{form.translation_key}"] = draft.token
    session.save()
    second = client.post(f"/forms/{form.slug}/check-your-answers/")
    assert Submission.objects.count() == 1
    assert first["Location"] == second["Location"] or second.status_code == 302


def test_honeypot_refuses_bots(client, form):
    client.post(f"/forms/{form.slug}/start/")
    response = client.post(
        f"/forms/{form.slug}/page/what/", {"problem": "litter", "website": "http://spam.example"}
    )
    assert response.status_code == 400
    assert Draft.objects.get().answers == {}


def test_rate_limit_on_api_submissions(client, form, settings):
    settings.EFORMS_RATE_LIMITS = {"submit": (2, 3600)}
    codes = [post_api(client, form.slug, ANSWERS).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert Submission.objects.count() == 2


def test_executable_renamed_jpg_is_refused(client, photo_form):
    response = post_api(
        client,
        photo_form.slug,
        {
            "photo": [{"name": "cat.jpg", "content_base64": base64.b64encode(EXE).decode()}],
            "email": "a@resident.example",
            "consent": True,
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"]["photo"] == "The selected file must be a JPG, PNG"
    assert UploadedFile.objects.count() == 0


def test_oversized_file_is_refused_in_html_flow(client, photo_form):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(f"/forms/{photo_form.slug}/start/")
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024 + 1), content_type="image/png")
    response = client.post(f"/forms/{photo_form.slug}/page/photo/", {"photo": big})
    assert "The selected file must be smaller than 1MB" in response.content.decode()
    assert UploadedFile.objects.count() == 0


def test_api_file_upload_is_stored_privately(client, photo_form, settings):
    response = post_api(
        client,
        photo_form.slug,
        {
            "photo": [{"name": "cat.png", "content_base64": base64.b64encode(PNG).decode()}],
            "email": "a@resident.example",
            "consent": True,
        },
    )
    assert response.status_code == 201
    upload = UploadedFile.objects.get()
    assert str(settings.PRIVATE_MEDIA_ROOT) in upload.file.path
    assert not upload.file.path.startswith(str(settings.MEDIA_ROOT))
    assert client.get("/media/" + upload.file.name, follow=True).status_code == 404


def test_failed_submission_leaves_nothing_behind(client, form, monkeypatch):
    from eforms import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_queue_staff_alert", broken)
    with pytest.raises(RuntimeError):
        post_api(client, form.slug, ANSWERS)
    assert Submission.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_mail_server_down_then_back(client, form, settings, django_capture_on_commit_callbacks):
    """Durability: the submission succeeds with SMTP unreachable; the outbox sends it later."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        9,
        2,
    )  # nothing listens on 9
    with django_capture_on_commit_callbacks(execute=True):
        response = post_api(client, form.slug, ANSWERS)
    assert response.status_code == 201
    reference = response.json()["reference"]
    message = OutboxMessage.objects.get(to="sam@resident.example")
    assert message.status == OutboxMessage.PENDING and message.attempts == 0  # not tried inline
    run_queued_tasks()  # the worker tries, and the relay refuses
    message.refresh_from_db()
    assert message.status == OutboxMessage.PENDING and message.attempts == 1 and message.last_error
    assert len(mail.outbox) == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_notifications")  # still inside its backoff: nothing yet
    assert len(mail.outbox) == 0
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    call_command("send_notifications")
    assert len(mail.outbox) == 1 and reference in mail.outbox[0].body
    message.refresh_from_db()
    assert message.status == OutboxMessage.SENT
    call_command("send_notifications", "--now")
    assert len(mail.outbox) == 1  # sent once only


def test_tracking_never_reveals_which_part_was_wrong(client, form):
    reference = post_api(client, form.slug, ANSWERS).json()["reference"]
    wrong_email = client.post(
        "/track/", {"reference": reference, "email": "other@resident.example"}
    )
    wrong_reference = client.post(
        "/track/", {"reference": "RPT-AAAA-AAAA", "email": "sam@resident.example"}
    )
    message = "We could not find a request with that reference and email address. Check them and try again."
    assert message in wrong_email.content.decode() and message in wrong_reference.content.decode()
    assert wrong_email.status_code == wrong_reference.status_code == 400
    found = client.post(
        "/track/",
        {"reference": reference.lower().replace("-", ""), "email": "SAM@resident.example"},
    )
    assert found.status_code == 302


def test_tracking_is_rate_limited(client, form, settings):
    settings.EFORMS_RATE_LIMITS = {"track": (3, 900)}
    for _ in range(3):
        client.post("/track/", {"reference": "RPT-AAAA-AAAA", "email": "x@resident.example"})
    response = client.post("/track/", {"reference": "RPT-AAAA-AAAA", "email": "x@resident.example"})
    assert response.status_code == 429


def test_reference_uses_unambiguous_characters(client, form):
    reference = post_api(client, form.slug, ANSWERS).json()["reference"]
    prefix, first, second = reference.split("-")
    assert prefix == "RPT" and len(first) == len(second) == 4
    assert not set(first + second) & set("01OILUSZ25")


def test_save_and_come_back_later(client, form, django_capture_on_commit_callbacks):
    client.post(f"/forms/{form.slug}/start/")
    client.post(f"/forms/{form.slug}/page/what/", {"problem": "litter"})
    client.post(
        f"/forms/{form.slug}/page/details/", {"description": "Bags everywhere", "_action": "save"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forms/{form.slug}/save/", {"email": "later@resident.example"})
    assert "Your answers have been saved" in response.content.decode()
    run_queued_tasks()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/resume/" in line)
    other = type(client)()
    resumed = other.get(link.replace("http://testserver", ""))
    assert resumed["Location"] == f"/forms/{form.slug}/page/details/"
    page = other.get(resumed["Location"]).content.decode()
    assert "Bags everywhere" in page
    Draft.objects.update(expires_at=timezone.now())
    assert other.get(link.replace("http://testserver", "")).status_code == 404


def test_exit_page_stops_the_form(client, unit):
    form = make_form(
        unit,
        slug="eligibility",
        pages=[
            b.page(
                "check",
                b.q("yes_no", "eligible", "Do you live in Northbrook?"),
                routes=[(b.when("eligible", "no"), "sorry")],
            ),
            b.exit_page("sorry", "You cannot use this form", "<p>Contact your own council.</p>"),
            b.page("contact", b.q("email", "email", "Email")),
        ],
    )
    client.post(f"/forms/{form.slug}/start/")
    response = client.post(f"/forms/{form.slug}/page/check/", {"eligible": "no"})
    assert response["Location"] == f"/forms/{form.slug}/page/sorry/"
    assert "You cannot use this form" in client.get(response["Location"]).content.decode()
    assert (
        client.get(f"/forms/{form.slug}/check-your-answers/")["Location"]
        == f"/forms/{form.slug}/page/sorry/"
    )
    api = post_api(client, form.slug, {"eligible": "no"})
    assert api.status_code == 400 and api.json()["errors"]["__all__"] == "You cannot use this form"


def test_purge_submissions_respects_retention(form):
    from io import StringIO

    old = SubmissionFactory(
        form=form,
        status="closed",
        closed_at=timezone.now() - timezone.timedelta(days=form.retention_days + 1),
    )
    recent = SubmissionFactory(form=form, status="closed", closed_at=timezone.now())
    still_open = SubmissionFactory(
        form=form, submitted_at=timezone.now() - timezone.timedelta(days=5000)
    )
    out = StringIO()
    call_command("purge_submissions", "--dry-run", stdout=out)
    assert "Would delete 1 submission" in out.getvalue()
    assert Submission.objects.count() == 3
    call_command("purge_submissions", stdout=StringIO())
    assert set(Submission.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not Submission.objects.filter(pk=old.pk).exists()


def test_status_updates_use_the_residents_language_not_the_staff_members(client, form):
    """A member of staff working with Polish switched on still writes to an English-speaking
    resident in English: the update follows the language the resident used."""
    from django.utils import translation

    from eforms.services import change_status

    submission = Submission.objects.get(
        reference=post_api(client, form.slug, ANSWERS).json()["reference"]
    )
    assert submission.locale == "en-gb"
    with translation.override("pl"):
        change_status(submission, Submission.IN_PROGRESS, message="On its way.")
    update = OutboxMessage.objects.filter(submission=submission).order_by("-pk").first()
    assert update.subject.startswith("Update on") and "In progress" in update.subject
    assert "is now: In progress" in update.body


def test_text_messages_are_signed_with_the_councils_name_from_site_settings(client, form):
    """Another council installing Signpost must not text its residents as Northbrook."""
    SiteSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"council_name": "Millbrook District Council"},
    )
    answers = {**ANSWERS, "phone": {"number": "07700 900 982", "text_updates": True}}
    response = post_api(client, form.slug, answers)
    assert response.status_code == 201, response.json()
    submission = Submission.objects.get(reference=response.json()["reference"])
    change_status(submission, Submission.IN_PROGRESS, message="On its way.")
    received, update = (
        OutboxMessage.objects.filter(submission=submission, channel=OutboxMessage.SMS)
        .order_by("pk")
        .values_list("body", flat=True)
    )
    assert received.startswith("Millbrook District Council: we have received your request.")
    assert update.startswith(f"Millbrook District Council: Your request {submission.reference}")
    assert "Northbrook" not in received + update

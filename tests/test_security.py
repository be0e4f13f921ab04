"""Security as a resident, an attacker and a member of staff would meet it.

Covered elsewhere, not repeated here:
- ``manage.py check --deploy`` is clean with production settings: cms/tests/test_settings.py
- the admin sign-in is throttled after repeated failures: cms/tests/test_health.py, and per
  account and address, so a guesser cannot lock staff out: cms/tests/test_admin_login.py
- which address a limit counts behind a proxy, header by header: core/tests/test_client_address.py
- who may see and change what (pages, requests, files, stories, reports): tests/test_permission_matrix.py
"""

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings

from core.models import DeliveryUnit
from core.permissions import DELIVERY_UNIT_EDITOR
from core.roles import ensure_roles
from eforms import builders as b
from eforms import scanning
from eforms.models import FormDefinition, Submission
from eforms.tests.files import png

pytestmark = pytest.mark.django_db

PNG = png()  # a real picture: uploads are redrawn, so a bare signature is refused
SECRET = "Zanzibar-hedgehog-7741"  # appears only in one resident's answers


def production_security():
    """The security settings of cms.settings.production, minus the HTTPS redirect (the test client
    speaks plain HTTP unless asked; requests made with secure=True are the "behind TLS" ones)."""
    from cms.settings import production

    names = [
        name
        for name in dir(production)
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_"))
    ]
    values = {name: getattr(production, name) for name in names}
    values.update(X_FRAME_OPTIONS=production.X_FRAME_OPTIONS, SECURE_SSL_REDIRECT=False)
    return values


@pytest.fixture
def unit(db):
    return DeliveryUnit.objects.create(slug="street-scene", name="Street scene")


@pytest.fixture
def form(unit):
    return FormDefinition.objects.create(
        title="Report a pothole",
        slug="pothole",
        purpose="Tell us about a pothole.",
        service_level="5 working days.",
        service_level_days=5,
        reference_prefix="POT",
        delivery_unit=unit,
        pages=[
            b.page("what", b.q("long_text", "description", "Describe the problem", max_length=500)),
            b.page(
                "photo", b.q("file_upload", "photo", "Photo", required=False, allowed_types=["png"])
            ),
            b.page("contact", b.q("email", "email", "Email")),
        ],
    )


def submit(client, form, description=SECRET, photo=None, **headers):
    answers = {"description": description, "email": "sam@resident.example"}
    if photo is not None:
        answers["photo"] = [
            {"name": photo[0], "content_base64": base64.b64encode(photo[1]).decode()}
        ]
    return client.post(
        f"/api/v1/forms/{form.slug}/submissions/",
        data=json.dumps({"answers": answers}),
        content_type="application/json",
        **headers,
    )


# --- Headers and cookies in production ---------------------------------------------------------


def test_production_responses_carry_hsts_csp_and_hardening_headers():
    with override_settings(**production_security()):
        response = Client().get("/track/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"], "no inline or third-party scripts on resident pages"
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]


def test_hsts_only_over_https_and_plain_http_is_redirected():
    # SecurityMiddleware reads its settings when it starts: a fresh client for each set of settings.
    with override_settings(**production_security()):
        assert "Strict-Transport-Security" not in Client().get("/track/")
    with override_settings(**{**production_security(), "SECURE_SSL_REDIRECT": True}):
        response = Client().get("/track/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/track/"


def test_production_cookies_are_secure_and_session_cookie_is_http_only():
    ensure_roles()
    User.objects.create_user("editor", "editor@northbrook.example", "a-long-password-1")
    with override_settings(**production_security()):
        client = Client()
        form_page = client.get("/track/", secure=True)
        signed_in = client.post(
            "/admin/login/", {"username": "editor", "password": "a-long-password-1"}, secure=True
        )
    csrf = form_page.cookies["csrftoken"]
    assert csrf["secure"] is True
    session = signed_in.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True


# --- Rate limits -----------------------------------------------------------------------------------


@override_settings(EFORMS_RATE_LIMITS={"submit": (2, 3600), "track": (2, 900)})
def test_submission_and_tracking_endpoints_are_rate_limited(client, form):
    assert [submit(client, form).status_code for _ in range(3)] == [201, 201, 429]
    refused = submit(client, form)
    assert refused.status_code == 429 and "Try again later" in refused.json()["error"]
    guesses = [
        client.post("/track/", {"reference": "POT-AAAA-0000", "email": "x@resident.example"})
        for _ in range(3)
    ]
    assert [g.status_code for g in guesses] == [400, 400, 429]
    assert "Wait 15 minutes" in guesses[-1].content.decode()
    other_address = client.post(
        "/track/",
        {"reference": "POT-AAAA-0000", "email": "x@resident.example"},
        REMOTE_ADDR="192.0.2.10",
    )
    assert other_address.status_code == 400  # the limit is per address, not for everyone


LIMITS_OF_ONE = {
    "EFORMS_RATE_LIMITS": {"track": (1, 900)},
    "SEARCH_RATE_LIMIT": (1, 60),
    "SIGNPOST_FEEDBACK_RATE_LIMIT": (1, 3600),
}


def resident_attempts(client: Client, page: Any, **extra: Any) -> list[int]:
    """One tracking look-up, one search and one feedback answer, sent with ``extra`` headers."""
    guess = {"reference": "POT-AAAA-0000", "email": "x@resident.example"}
    return [
        client.post("/track/", guess, **extra).status_code,
        client.get("/api/v1/search/", {"q": "bins"}, **extra).status_code,
        client.post("/feedback/", {"page": page.pk, "useful": "yes"}, **extra).status_code,
    ]


@override_settings(**LIMITS_OF_ONE, TRUSTED_PROXY_HOPS=1, TRUSTED_PROXIES=[])
def test_behind_the_proxy_residents_have_separate_limits(client: Client, home_page: Any) -> None:
    """The whole council reaches Signpost through one proxy address: each resident must still
    be counted on their own, or the first to reach a limit would refuse everybody."""

    def through_the_proxy(resident: str) -> list[int]:
        extra = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": resident}
        return resident_attempts(client, home_page, **extra)

    allowed = [400, 200, 302]  # an unknown reference, some results, thanks for the feedback
    assert through_the_proxy("198.51.100.1") == allowed
    assert through_the_proxy("198.51.100.1") == [429, 429, 429]
    assert through_the_proxy("192.0.2.66, 198.51.100.2") == allowed


@override_settings(**LIMITS_OF_ONE, TRUSTED_PROXY_HOPS=0, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_client_cannot_dodge_the_limits_with_a_forged_forwarded_header(
    client: Client, home_page: Any
) -> None:
    def forged(address: str) -> list[int]:
        extra = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": address}
        return resident_attempts(client, home_page, **extra)

    assert forged("198.51.100.1") == [400, 200, 302]
    assert forged("198.51.100.2") == [429, 429, 429]
    assert forged("not an address at all") == [429, 429, 429]


# --- Residents' uploaded files ---------------------------------------------------------------------


@pytest.mark.clamav
def test_uploaded_files_are_private_and_only_downloaded_as_attachments(client, form, unit, clamav):
    response = submit(client, form, photo=("hole.png", PNG))
    assert scanning.scan_waiting().clean == 1  # the worker's virus check, on a real clamd
    upload = Submission.objects.get(reference=response.json()["reference"]).files.get()
    stored = Path(upload.file.path).resolve()
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert (
        stored.suffix == "" and "hole" not in stored.name
    )  # no extension a web server could execute
    with pytest.raises(ValueError):
        upload.file.url  # noqa: B018 - the storage has no public URL at all
    relative = stored.relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve()).as_posix()
    for guess in (f"/media/{relative}", "/media/", "/media/eforms/", f"/private_media/{relative}"):
        assert client.get(guess, follow=True).status_code == 404, guess

    url = f"/admin/submissions/{upload.submission_id}/files/{upload.token}/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    ensure_roles()
    editor = User.objects.create_user("editor")
    editor.groups.add(Group.objects.get(name=DELIVERY_UNIT_EDITOR))
    unit.members.add(editor)
    client.force_login(editor)
    download = client.get(url)
    assert download.status_code == 200
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and "hole.png" in download["Content-Disposition"]
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {
        part.strip() for part in download["Cache-Control"].split(",")
    }
    assert "sandbox" in download["Content-Security-Policy"]


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("photo.png", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120),
        ("photo.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(client, form, name, content):
    response = submit(client, form, photo=(name, content))
    assert response.status_code == 400
    assert "photo" in response.json()["errors"]
    assert not Submission.objects.exists()


# --- Submission data never reaches anonymous callers -----------------------------------------------


def test_anonymous_apis_never_return_residents_answers(client, form):
    created = submit(client, form)
    assert created.status_code == 201
    assert set(created.json()) == {"reference", "status", "expected_by", "track_url"}
    submission = Submission.objects.get()

    # There is no way to list or read submissions through the API.
    listing = client.get(f"/api/v1/forms/{form.slug}/submissions/")
    assert listing.status_code == 405
    assert SECRET not in listing.content.decode()

    # Knowing a reference is not enough to see the confirmation page: it belongs to the sender's session.
    confirmation = client.get(f"/forms/{form.slug}/confirmation/{submission.reference}/")
    assert confirmation.status_code == 302 and confirmation["Location"].endswith("/track/")

    # Nor through anything else an anonymous caller can reach.
    for url in (
        f"/api/v1/forms/{form.slug}/",
        "/api/v1/search/?q=Zanzibar",  # a word of the answer (the whole answer would be echoed back)
        "/search/?q=Zanzibar",
        "/api/v2/pages/",
        "/api/v2/documents/",
        "/api/schema/",
        f"/track/{submission.track_token}/",
        "/admin/submissions/",
        "/admin/submissions/export.csv",
        f"/admin/submissions/{submission.pk}/",
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET.encode() not in body, url
        assert b"sam@resident.example" not in body, url


def test_openapi_document_offers_no_way_to_read_submissions(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    if response.status_code == 404:
        pytest.skip("The OpenAPI document is not published yet")
    assert response.status_code == 200
    text = response.content.decode()
    schema = (
        json.loads(text)
        if text.lstrip().startswith("{")
        else pytest.importorskip("yaml").safe_load(text)
    )
    for path, operations in schema["paths"].items():
        if "submission" in path:
            assert set(operations) - {"parameters", "summary", "description"} <= {"post"}, path


def test_a_reused_idempotency_key_does_not_hand_over_someone_elses_request(client, form):
    """Retrying with the same key and answers is safe; another resident's key must not reveal their request."""
    first = submit(client, form, HTTP_IDEMPOTENCY_KEY="order-1")
    retry = submit(client, form, HTTP_IDEMPOTENCY_KEY="order-1")
    assert retry.status_code == 200 and retry.json()["reference"] == first.json()["reference"]
    stranger = submit(
        client, form, description="A different problem", HTTP_IDEMPOTENCY_KEY="order-1"
    )
    assert stranger.status_code == 409
    assert first.json()["reference"] not in stranger.content.decode()
    assert first.json()["track_url"] not in stranger.content.decode()


def test_council_documents_refuse_files_a_browser_would_run(client):
    """Staff uploads (Wagtail documents) are public, so only document types are accepted: no HTML or SVG."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents.models import Document

    ensure_roles()
    client.force_login(User.objects.create_superuser("web", "web@northbrook.example", "pw"))
    for name in ("leaflet.html", "logo.svg", "script.js"):
        upload = SimpleUploadedFile(name, b"<script>alert(1)</script>", content_type="text/html")
        response = client.post(
            "/admin/documents/multiple/add/",
            {"files[]": upload},
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        )
        assert response.status_code == 200 and response.json()["success"] is False, name
        assert "extension" in response.json()["error_message"].lower(), name
    assert not Document.objects.exists()

import pytest

from backlog.masking import mask_personal_data
from backlog.models import PageFeedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(make_journey):
    return make_journey("report-a-missed-bin")


def test_mask_personal_data_hides_emails_and_phone_numbers():
    text = "Email jo.bloggs@example.com or call 07700 900123 / +44 20 7946 0001. Waited 45 minutes."
    masked = mask_personal_data(text)
    assert "jo.bloggs" not in masked and "07700" not in masked and "7946" not in masked
    assert masked.count("[email removed]") == 1 and masked.count("[phone number removed]") == 2
    assert "Waited 45 minutes." in masked


def test_feedback_is_saved_with_the_email_masked_and_redirects_back(client, page):
    response = client.post(
        "/feedback/",
        {
            "page": page.pk,
            "useful": "no",
            "comment": "Form broke, email me on jo@example.com",
            "next": page.url,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page.url}?feedback=sent#page-feedback"
    feedback = PageFeedback.objects.get()
    assert feedback.useful is False
    assert feedback.comment == "Form broke, email me on [email removed]"


def test_thank_you_is_shown_after_redirect(client, page):
    response = client.post(
        "/feedback/", {"page": page.pk, "useful": "yes", "next": page.url}, follow=True
    )
    request = response.wsgi_request
    from django.template.loader import render_to_string

    html = render_to_string(
        "backlog/includes/page_feedback.html", {"page": page, "request": request}, request=request
    )
    assert "Thank you for your feedback." in html


def test_missing_answer_is_a_plain_english_error(client, page):
    response = client.post("/feedback/", {"page": page.pk})
    assert response.status_code == 400
    assert "Select yes if this page is useful" in response.content.decode()
    assert not PageFeedback.objects.exists()


def test_feedback_from_another_site_is_refused_without_needing_a_token(page):
    """The form carries no CSRF token (it would make every page personal, core/csrf.py): the
    browser's own headers say where the post came from."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    answer = {"page": page.pk, "useful": "yes"}
    for headers in (
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ):
        refused = strict.post("/feedback/", answer, **headers)
        assert refused.status_code == 403
        assert "We could not accept this" in refused.content.decode()
    assert not PageFeedback.objects.exists()
    own = strict.post(
        "/feedback/", answer, HTTP_SEC_FETCH_SITE="same-origin", HTTP_ORIGIN="http://testserver"
    )
    assert own.status_code == 302
    assert PageFeedback.objects.count() == 1


def test_feedback_is_rate_limited_per_address_without_storing_it(client, page, settings):
    from tests.caches import clear_caches

    clear_caches()
    settings.SIGNPOST_FEEDBACK_RATE_LIMIT = (2, 60)
    codes = [
        client.post(
            "/feedback/", {"page": page.pk, "useful": "yes"}, REMOTE_ADDR="192.0.2.9"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
    assert (
        client.post(
            "/feedback/", {"page": page.pk, "useful": "yes"}, REMOTE_ADDR="192.0.2.10"
        ).status_code
        == 302
    )
    assert PageFeedback.objects.count() == 3
    field_names = {f.name for f in PageFeedback._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "user", "email"}


def test_offsite_next_is_ignored(client, page):
    response = client.post(
        "/feedback/", {"page": page.pk, "useful": "yes", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/?feedback=sent#page-feedback"


def test_include_renders_the_form(rf, page):
    from django.template.loader import render_to_string

    request = rf.get(page.url)
    html = render_to_string(
        "backlog/includes/page_feedback.html", {"page": page, "request": request}, request=request
    )
    assert (
        "Is this page useful?" in html
        and 'action="/feedback/"' in html
        # No token: it would set a cookie and make every page personal (core/csrf.py).
        and "csrfmiddlewaretoken" not in html
        and "Thank you for your feedback." not in html
    )

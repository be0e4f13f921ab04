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
    assert response["Location"] == f"{page.url}#page-feedback"
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


def test_feedback_is_csrf_protected(page):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/feedback/", {"page": page.pk, "useful": "yes"}
    )
    assert response.status_code == 403


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
    assert response["Location"] == "/#page-feedback"


def test_include_renders_the_form(rf, page):
    from django.template.loader import render_to_string

    request = rf.get(page.url)
    html = render_to_string(
        "backlog/includes/page_feedback.html", {"page": page, "request": request}, request=request
    )
    assert (
        "Is this page useful?" in html
        and 'action="/feedback/"' in html
        and "csrfmiddlewaretoken" in html
    )

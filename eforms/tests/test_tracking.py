"""Issue 16: the tracking page says what happens next and when, and residents can find it."""

import datetime

import pytest
from wagtail.models import Locale

from eforms.models import Submission
from eforms.search_documents import tracking_document
from eforms.services import next_steps, normalise_reference
from eforms.tests.factories import SubmissionFactory
from eforms.views import SESSION_SUBMITTED

from .conftest import make_form

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def form(unit):
    return make_form(
        unit,
        service_level="We aim to deal with reports within 5 working days.",
        service_level_days=5,
        what_happens_next="A street inspector will visit the place you told us about.",
    )


def test_an_open_request_says_what_happens_next_and_by_when(form):
    submission = SubmissionFactory(form=form, due_date=datetime.date(2026, 12, 8))
    steps = next_steps(submission, today=TODAY)
    assert steps == [
        "We have your request and will look at it soon.",
        "A street inspector will visit the place you told us about.",
        "You can expect an update by 8 December 2026.",
    ]


def test_an_overdue_request_says_so_instead_of_a_date_in_the_past(form):
    submission = SubmissionFactory(
        form=form, status=Submission.IN_PROGRESS, due_date=datetime.date(2026, 11, 20)
    )
    steps = next_steps(submission, today=TODAY)
    assert steps[0] == "We are working on your request."
    assert "We aimed to finish by 20 November 2026" in steps[-1]
    assert "You can expect" not in " ".join(steps)


def test_without_a_date_the_promise_is_given(unit):
    form = make_form(unit, slug="no-date", service_level="We reply within a month.")
    submission = SubmissionFactory(form=form, due_date=None)
    assert next_steps(submission, today=TODAY)[-1] == "We reply within a month."


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Submission.RESOLVED, "If the problem comes back, report it again."),
        (Submission.CLOSED, "This request is closed."),
        (Submission.REJECTED, "Contact us if you think this is wrong."),
    ],
)
def test_a_finished_request_says_it_is_finished(form, status, words):
    submission = SubmissionFactory(form=form, status=status)
    steps = next_steps(submission, today=TODAY)
    assert len(steps) == 1 and words in steps[0]


def test_the_status_page_shows_the_next_steps(client, form):
    submission = SubmissionFactory(form=form)
    found = client.post("/track/", {"reference": submission.reference, "email": submission.email})
    page = client.get(found["Location"]).content.decode()
    assert "What happens next" in page
    assert "A street inspector will visit the place you told us about." in page
    assert f"You can expect an update by {submission.due_date:%-d %B %Y}." in page


def test_the_tracking_page_is_a_search_document_in_each_language(db):
    english = tracking_document(Locale.objects.get_or_create(language_code="en-gb")[0])
    polish = tracking_document(Locale.objects.get_or_create(language_code="pl")[0])
    assert (english.url, english.id, english.locale) == ("/track/", "track:en-gb", "en-gb")
    assert english.title == "Check the progress of a report or request"
    assert {"track", "progress", "check my report", "status of my request"} <= set(
        english.questions
    )
    assert (polish.url, polish.id) == ("/pl/track/", "track:pl")


def test_every_confirmation_links_to_tracking(client, form):
    submission = SubmissionFactory(form=form)
    session = client.session
    session[SESSION_SUBMITTED] = [submission.reference]
    session.save()
    page = client.get(f"/forms/{form.slug}/confirmation/{submission.reference}/").content.decode()
    assert '<a class="sp-link" href="/track/">Check the progress of a report or request</a>' in page
    # And to its own progress, at an address without the token: the session grants it.
    assert f"/track/request/{submission.reference}/" in page
    assert submission.track_token not in page
    assert client.get(f"/track/request/{submission.reference}/").status_code == 200


def test_the_emailed_link_is_swapped_for_the_session_and_leaves_no_token_in_the_address(
    client, form
):
    """Part 8 of issue 19: the link's secret is used once per browser, then kept out of sight."""
    submission = SubmissionFactory(form=form)
    exchange = client.get(f"/track/{submission.track_token}/")
    assert exchange.status_code == 302
    assert exchange["Location"] == f"/track/request/{submission.reference}/"
    assert submission.track_token not in exchange["Location"]
    assert exchange["Referrer-Policy"] == "no-referrer"
    page = client.get(exchange["Location"])
    assert page.status_code == 200
    assert submission.reference in page.content.decode()
    assert submission.track_token not in page.content.decode()
    # The same link keeps working in another browser, next week.
    other = type(client)()
    assert other.get(f"/track/{submission.track_token}/", follow=True).status_code == 200


def test_the_request_page_without_the_link_or_email_asks_for_them(client, form):
    """Knowing a reference is not enough: the look-up comes back with it filled in."""
    submission = SubmissionFactory(form=form)
    page = client.get(f"/track/request/{submission.reference}/")
    assert page.status_code == 302
    assert page["Location"] == f"/track/?reference={submission.reference}"
    lookup = client.get(page["Location"]).content.decode()
    assert f'value="{submission.reference}"' in lookup
    assert submission.email not in lookup
    found = client.post("/track/", {"reference": submission.reference, "email": submission.email})
    assert found["Location"] == f"/track/request/{submission.reference}/"
    assert client.get(found["Location"]).status_code == 200


def test_a_link_that_does_not_work_says_what_to_do(client):
    page = client.get("/track/not-a-real-token/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "This link does not work" in text
    assert 'href="/track/"' in text


@pytest.mark.parametrize(
    "typed",
    ["RPT-7K3D-9Q2M", "rpt 7k3d 9q2m", "RPT7K3D9Q2M", " rpt-7k3d 9q2m ", "RPT–7K3D–9Q2M"],
)
def test_a_reference_is_found_however_it_is_typed(typed):
    assert normalise_reference(typed) == "RPT-7K3D-9Q2M"


def test_the_look_up_finds_a_reference_typed_without_dashes(client, form):
    submission = SubmissionFactory(form=form)
    typed = submission.reference.replace("-", " ").lower()
    found = client.post("/track/", {"reference": typed, "email": submission.email})
    assert found["Location"] == f"/track/request/{submission.reference}/"

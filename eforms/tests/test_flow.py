"""The resident's HTML flow through the Django test client (no JavaScript)."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from eforms.models import Submission
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def start(client, form):
    response = client.post(f"/forms/{form.slug}/start/")
    assert response.status_code == 302
    return response["Location"]


def fill_to_check(client, form):
    assert start(client, form) == f"/forms/{form.slug}/page/what/"
    r = client.post(f"/forms/{form.slug}/page/what/", {"problem": "other"})
    assert r["Location"] == f"/forms/{form.slug}/page/details/"
    r = client.post(
        f"/forms/{form.slug}/page/details/",
        {
            "description": "Big hole",
            "other_detail": "Sinkhole",
            "noticed-day": "1",
            "noticed-month": "2",
            "noticed-year": "2024",
        },
    )
    assert r["Location"] == f"/forms/{form.slug}/page/where/"
    r = client.post(
        f"/forms/{form.slug}/page/where/",
        {
            "address-postcode": "nb1 1aa",
            "address-line_1": "14 Mill Lane",
            "address-town": "Northbrook",
        },
    )
    assert r["Location"] == f"/forms/{form.slug}/page/contact/"
    r = client.post(
        f"/forms/{form.slug}/page/contact/",
        {"full_name": "Sam Resident", "email": "sam@resident.example", "consent": "yes"},
    )
    assert r["Location"] == f"/forms/{form.slug}/check-your-answers/"


def test_start_page_shows_purpose_and_promise(client, form):
    response = client.get("/forms/test-report/")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Report a test problem"
    assert "within 5 working days" in page.get_text()


def test_complete_flow_creates_tracked_submission(client, form, django_capture_on_commit_callbacks):
    fill_to_check(client, form)
    check = client.get(f"/forms/{form.slug}/check-your-answers/")
    text = soup(check).get_text()
    assert "Sinkhole" in text and "NB1 1AA" in text and "1 February 2024" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forms/{form.slug}/check-your-answers/")
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert response["Location"] == f"/forms/{form.slug}/confirmation/{submission.reference}/"
    assert submission.answers["address"]["street"] == "MILL LANE"
    assert submission.status == Submission.ACKNOWLEDGED
    assert submission.email == "sam@resident.example"
    confirmation = soup(client.get(response["Location"]))
    assert confirmation.select_one("[data-reference]").get_text() == submission.reference
    assert len(mail.outbox) == 0  # the request only queued it: the worker sends it
    run_queued_tasks()
    assert len(mail.outbox) == 1 and submission.reference in mail.outbox[0].body


def test_error_summary_links_to_field(client, form):
    start(client, form)
    response = client.post(f"/forms/{form.slug}/page/what/", {})
    assert response.status_code == 200
    page = soup(response)
    link = page.select_one(".sp-error-summary a")
    assert link["href"] == "#problem" and link.get_text() == "Select the problem"
    assert page.find(id="problem") is not None
    assert page.title.get_text().startswith("Error:")


def test_address_lookup_forgives_a_hyphen_in_the_postcode(client, form, addresses):
    """Residents copy "NB1-1AA" from letters; the directory accepted it, forms must too."""
    start(client, form)
    client.post(f"/forms/{form.slug}/page/what/", {"problem": "pothole"})
    client.post(f"/forms/{form.slug}/page/details/", {"description": "Big hole"})
    response = client.post(
        f"/forms/{form.slug}/page/where/",
        {"address-postcode": "nb1-1aa", "_action": "find-address:address"},
    )
    page = soup(response)
    assert not page.select(".sp-error-summary")
    options = [option["value"] for option in page.select("#address-uprn option")]
    assert {"100000000001", "100000000002"} <= set(options)

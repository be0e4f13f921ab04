"""Issue 19: pages that show what a resident typed are never kept by a browser's or a proxy's
cache (``Cache-Control: no-store``), so the next person at a library computer cannot press
Back into them; a request's status page also tells search engines not to index it."""

import pytest

from eforms.models import Submission

from .test_flow import fill_to_check

pytestmark = pytest.mark.django_db


def assert_private(response):
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")
    assert "private" in response["Cache-Control"]


def test_every_page_with_a_residents_answers_is_no_store(client, form):
    fill_to_check(client, form)
    question = client.get(f"/forms/{form.slug}/page/contact/")
    assert "sam@resident.example" in question.content.decode()
    assert_private(question)
    check = client.get(f"/forms/{form.slug}/check-your-answers/")
    assert "Sinkhole" in check.content.decode()
    assert_private(check)
    done = client.post(f"/forms/{form.slug}/check-your-answers/")
    assert_private(done)
    confirmation = client.get(done["Location"])
    assert confirmation.status_code == 200
    assert_private(confirmation)

    submission = Submission.objects.get()
    exchange = client.get(f"/track/{submission.track_token}/")
    assert_private(exchange)
    assert exchange["X-Robots-Tag"] == "noindex, nofollow"
    tracking = client.get(exchange["Location"])
    assert tracking.status_code == 200 and submission.reference in tracking.content.decode()
    assert_private(tracking)
    assert tracking["X-Robots-Tag"] == "noindex, nofollow"
    lookup = client.post(
        "/track/", {"reference": submission.reference, "email": "wrong@example.com"}
    )
    assert_private(lookup)
    # The lookup page is how residents find tracking at all: search engines may list it.
    assert "X-Robots-Tag" not in client.get("/track/")


def test_the_start_page_may_still_be_cached(client, form):
    """Nothing personal on it: the no-store rule is for answers, not the whole site."""
    response = client.get(f"/forms/{form.slug}/")
    assert "no-store" not in response.get("Cache-Control", "")

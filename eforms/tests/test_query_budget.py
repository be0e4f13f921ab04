"""How many database queries a resident's requests cost: each one is a round trip, under load too."""

import pytest
from django.core import mail

from eforms.schema import FormSchema
from tests.tasks import queued

from .test_flow import fill_to_check, start

pytestmark = pytest.mark.django_db


def test_answering_a_page_stays_within_budget(client, form, django_assert_max_num_queries):
    """The form, the session, the draft, and one UPDATE of the draft: no transaction and no
    look for uploaded files when the form asks for none."""
    start(client, form)
    with django_assert_max_num_queries(4):
        response = client.post(f"/forms/{form.slug}/page/what/", {"problem": "pothole"})
    assert response["Location"] == f"/forms/{form.slug}/page/details/"


def test_submitting_stays_within_budget(
    client, form, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Everything after commit included. Of the 23, the rate limit (on the database cache) takes
    5; the history is one INSERT and the status is stored once; after the commit, one look for a
    send task already waiting and one INSERT to queue it. Nothing is sent inside the request: the
    worker sends the acknowledgement, however long the mail server takes."""
    fill_to_check(client, form)
    with django_assert_max_num_queries(23), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forms/{form.slug}/check-your-answers/")
    assert response.status_code == 302 and "/confirmation/" in response["Location"]
    assert mail.outbox == [] and queued("eforms.tasks.send_notifications") == 1


def test_a_page_walks_the_form_once(client, form, monkeypatch):
    """The route through the form is walked once to show a page, and once more after an answer
    is accepted (the answer may change the route): never again per helper."""
    start(client, form)
    client.post(f"/forms/{form.slug}/page/what/", {"problem": "pothole"})
    walks = []
    original = FormSchema.walk

    def counted(self, answers):
        walks.append(1)
        return original(self, answers)

    monkeypatch.setattr(FormSchema, "walk", counted)
    assert client.get(f"/forms/{form.slug}/page/details/").status_code == 200
    assert len(walks) == 1
    walks.clear()
    client.post(f"/forms/{form.slug}/page/what/", {"problem": "pothole"})
    assert len(walks) == 2

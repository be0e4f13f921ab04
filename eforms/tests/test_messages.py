"""Acknowledgements and staff alerts read correctly whatever the form is called: the form's
name stands on a line of its own, as written, never lower-cased into a sentence."""

import pytest
from django.core import mail
from django.utils import translation

from eforms.services import submit
from eforms.tests.factories import small_pages
from tests.tasks import run_queued_tasks

from .conftest import make_form

pytestmark = pytest.mark.django_db

ANSWERS = {
    "problem": "pothole",
    "full_name": "Sam Resident",
    "email": "sam@resident.example",
    "consent": True,
}


@pytest.fixture
def funeral_form(unit):
    return make_form(
        unit,
        slug="funeral-costs",
        title="Apply for help with funeral costs",
        pages=small_pages(),
        service_level="",
        service_level_days=None,
        acknowledgement_text="",
        notify_emails="benefits@northbrook.example",
    )


def send(form, django_capture_on_commit_callbacks, **kwargs):
    """Submit as the resident's request does, then let the worker send what it queued."""
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(form, ANSWERS, **kwargs)
    run_queued_tasks()
    return submission


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_acknowledgement_puts_the_form_name_on_its_own_line(
    funeral_form, django_capture_on_commit_callbacks
):
    submission = send(funeral_form, django_capture_on_commit_callbacks)
    (acknowledgement,) = sent_to("sam@resident.example")
    assert acknowledgement.body.startswith(
        "We have received your request:\n\n"
        "Apply for help with funeral costs\n\n"
        f"Your reference is {submission.reference}.\n\n"
        "Track your request: "
    )
    assert "apply for help" not in acknowledgement.body
    assert acknowledgement.subject == (
        f"Apply for help with funeral costs: reference {submission.reference}"
    )


def test_staff_alert_puts_the_form_name_on_its_own_line(
    funeral_form, django_capture_on_commit_callbacks
):
    submission = send(funeral_form, django_capture_on_commit_callbacks)
    (alert,) = sent_to("benefits@northbrook.example")
    assert alert.body.startswith(
        "A new request has come in:\n\n"
        "Apply for help with funeral costs\n\n"
        f"Reference: {submission.reference}\n\n"
        "Open it in Signpost: http"
    )
    assert alert.body.endswith(f"/admin/submissions/{submission.pk}/")


def test_acknowledgement_in_polish_keeps_the_form_name_as_written(
    funeral_form, django_capture_on_commit_callbacks
):
    with translation.override("pl"):
        send(funeral_form, django_capture_on_commit_callbacks, locale="pl")
    (acknowledgement,) = sent_to("sam@resident.example")
    assert acknowledgement.body.startswith(
        "Otrzymaliśmy Twoje zgłoszenie:\n\nApply for help with funeral costs\n\n"
    )

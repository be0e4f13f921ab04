"""Acceptance: three demo forms end to end over plain HTTP with JavaScript off.

Each flow meets a validation error, changes an answer from check-your-answers, gets a
reference, tracks it, and hears about a staff status change by email.
"""

import io

import pytest
from django.core import mail

from eforms.models import Submission
from eforms.services import change_status
from eforms.tests.files import png
from tests.tasks import run_queued_tasks

from .resident import Resident

pytestmark = pytest.mark.django_db(transaction=True)

PNG = png()  # a real picture: uploads are redrawn, so a bare signature is refused
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def site(demo_site):
    return demo_site


def finish_and_track(resident, email):
    """Check answers -> confirmation -> tracking page -> a status change reaches the resident."""
    resident.submit()
    assert resident.heading == "Request received", resident.errors
    reference = resident.page.select_one("[data-reference]").get_text(strip=True)
    submission = Submission.objects.get(reference=reference)
    assert submission.email == email
    run_queued_tasks()  # the worker sends what the request queued
    assert any(reference in m.body and m.to == [email] for m in mail.outbox)

    resident.get("/track/")
    resident.submit({"reference": reference, "email": email.upper()})
    assert resident.heading == f"Request {reference}"
    assert resident.summary()["Status"] == "Acknowledged"

    change_status(submission, Submission.IN_PROGRESS, message="A crew is on the way.")
    run_queued_tasks()
    assert any(
        "In progress" in m.subject and "A crew is on the way." in m.body
        for m in mail.outbox
        if m.to == [email]
    )
    resident.get(resident.url)
    assert resident.summary()["Status"] == "In progress"
    assert "A crew is on the way." in resident.page.get_text()
    return submission


def contact(resident, email):
    resident.submit({"full_name": "Alex Example", "email": email, "consent": "yes"})


def test_missed_bin_report(site):
    r = Resident(site)
    r.start("missed-bin-report")
    assert r.heading == "What is the address?"
    r.submit({"address-postcode": "NB99"})  # invalid postcode
    assert r.errors == ["Postcode must be a real UK postcode, like NB1 1AA"]
    assert r.error_links == ["#address-postcode"]
    r.submit({"address-postcode": "nb1 1aa"}, button="find-address:address")
    options = [o["value"] for o in r.page.select("#address-uprn option")]
    assert "100090000003" in options
    r.submit({"address-postcode": "NB1 1AA", "address-uprn": "100090000003"})
    assert r.heading == "Which bin was missed?"
    r.submit({"bin_type": "recycling"})
    r.submit({"put_out_on_time": "yes"})
    contact(r, "alex@resident.example")
    assert r.heading == "Check your answers before sending"
    assert r.summary()["Which bin was missed?"] == "Recycling (blue bin)"
    r.get(r.change_link("Which bin was missed?"))
    r.submit({"bin_type": "garden"})
    assert r.heading == "Check your answers before sending"
    assert r.summary()["Which bin was missed?"] == "Garden waste (green bin)"
    submission = finish_and_track(r, "alex@resident.example")
    assert submission.answers["address"]["line_1"] == "5 Mill Lane"
    assert submission.street_key == "MILL LANE"

    # A neighbour at 7 Mill Lane, same street, same bin, same day: not blocked, never told.
    n = Resident(site)
    n.start("missed-bin-report")
    n.submit({"address-postcode": "NB1 1AA", "address-uprn": "100090000004"})
    assert n.heading == "Which bin was missed?"
    n.submit({"bin_type": "garden"})
    assert n.heading == "Was the bin out by 7am on your collection day?"

    # Someone else at 5 Mill Lane, typing the address by hand, the same bin: told only that it
    # was reported today, and can follow it without seeing its reference.
    h = Resident(site)
    h.start("missed-bin-report")
    h.submit(
        {
            "address-postcode": "NB1 1AA",
            "address-line_1": "5 Mill Lane",
            "address-town": "Northbrook",
        }
    )
    h.submit({"bin_type": "garden"})
    assert h.heading == "This may already have been reported"
    assert "A report of this was made today." in h.page.get_text()
    assert submission.reference not in h.page.get_text()
    h.submit({"email": "household@resident.example"}, form_index=0)
    assert h.heading == "You will get updates"
    assert submission.reference not in h.page.get_text()
    change_status(submission, Submission.RESOLVED, message="Collected.")
    run_queued_tasks()
    (update,) = [m for m in mail.outbox if m.to == ["household@resident.example"]]
    assert "It is now: Resolved." in update.body
    assert submission.reference not in update.body + update.subject


def test_continue_without_choosing_an_address_keeps_the_list(site):
    r = Resident(site)
    r.start("missed-bin-report")
    r.submit({"address-postcode": "NB1 1AA"}, button="find-address:address")
    r.submit({"address-postcode": "NB1 1AA", "address-uprn": "manual"})
    assert r.heading == "What is the address?"
    assert r.errors == ["Select an address"]
    assert r.error_links == ["#address-uprn"]
    select = r.page.select_one("#address-uprn")
    assert "sp-select--error" in select["class"]
    assert select["aria-describedby"] == "address-error"
    assert [o.get_text() for o in select.select("option")][1:] == [
        "1 Mill Lane, Northbrook",
        "3 Mill Lane, Northbrook",
        "5 Mill Lane, Northbrook",
        "7 Mill Lane, Northbrook",
    ]
    # The manual address stays tucked away: nothing is wrong with it.
    assert not r.page.select_one("details").has_attr("open")
    # Continue with only a postcode (no Find address) gives the same list and the same error.
    r.submit({"address-postcode": "nb1 1aa"})
    assert r.errors == ["Select an address"]
    assert len(r.page.select("#address-uprn option")) == 5
    r.submit({"address-postcode": "NB1 1AA", "address-uprn": "100090000002"})
    assert r.heading == "Which bin was missed?"
    # Coming back to change it shows the list with the chosen address selected.
    r.get("/forms/missed-bin-report/page/address/?change=1")
    assert (
        r.page.select_one("#address-uprn option[selected]").get_text() == "3 Mill Lane, Northbrook"
    )


def test_pothole_report(site):
    r = Resident(site)
    r.start("pothole-report")
    assert r.heading == "Where is the pothole?"
    r.submit({"location-latitude": "40.0", "location-longitude": "-3.7"})  # Madrid
    assert r.errors == ["The map pin must be in the UK, or describe where it is"]
    r.submit(
        {
            "location-latitude": "51.53",
            "location-longitude": "-0.1",
            "location-description": "By the bus stop",
        }
    )
    r.submit({"size": "medium"})
    assert r.heading == "Upload a photo (optional)"
    r.submit(
        files={"photo": ("pothole.jpg", io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "image/jpeg")}
    )
    assert r.errors == ["The selected file must be a JPG, PNG, HEIC"]
    r.submit(files={"photo": ("pothole.png", io.BytesIO(PNG), "image/png")})
    contact(r, "pat@resident.example")
    assert r.summary()["Upload a photo (optional)"] == "pothole.png"
    r.get(r.change_link("How big is it?"))
    r.submit({"size": "large"})
    assert r.summary()["How big is it?"] == "Bigger than a car tyre"
    submission = finish_and_track(r, "pat@resident.example")
    assert submission.latitude == 51.53 and submission.longitude == -0.1
    upload = submission.files.get()
    assert upload.content_type == "image/png" and upload.file.read() == PNG
    assert "private" in upload.file.path and "/media/" not in upload.file.path


def test_school_place_application(site):
    r = Resident(site)
    r.start("school-place-application")
    r.submit(
        {
            "address-postcode": "NB2 4QT",
            "address-line_1": "8 Orchard Close",
            "address-town": "Northbrook",
        }
    )
    assert r.heading == "Child"
    child = {
        "children-count": "1",
        "children-0-first_name": "Ada",
        "children-0-last_name": "Example",
        "children-0-date_of_birth-day": "4",
        "children-0-date_of_birth-month": "9",
        "children-0-date_of_birth-year": "2017",
        "children-0-previous_school": "NB-1004",
    }
    r.submit(child, button="add:children")
    assert r.page.find(id="children-1-first_name") is not None
    second = {
        "children-count": "2",
        "children-1-first_name": "Ben",
        "children-1-last_name": "",
        "children-1-date_of_birth-day": "1",
        "children-1-date_of_birth-month": "2",
        "children-1-date_of_birth-year": "2019",
        "children-1-previous_school": "NB-1001",
    }
    r.submit({**child, **second})
    assert r.errors == ["Enter the child’s last name"]
    assert r.error_links == ["#children-1-last_name"]
    r.submit({**child, **second, "children-1-last_name": "Example"})
    assert r.heading == "Which school would you like?"
    r.submit({"preferred_school": "NB-1006"})
    r.submit({"has_send": "yes"})
    assert r.heading == "Special educational needs"
    r.submit(
        {"has_ehcp": "yes", "send_needs": "Needs a quiet space"},
        files={"send_documents": ("ehcp.pdf", io.BytesIO(PDF), "application/pdf")},
    )
    r.submit({"full_name": "Chris Example", "email": "chris@resident.example", "consent": "yes"})
    assert r.heading == "Check your answers before sending"
    summary = r.summary()
    assert "Ben" in summary["Child"] and "Riverside Junior School" in summary["Child"]
    r.get(r.change_link("Which school would you like?"))
    r.submit({"preferred_school": "NB-1007"})
    assert r.summary()["Which school would you like?"] == "Kingsmead High School"
    submission = finish_and_track(r, "chris@resident.example")
    assert [c["first_name"] for c in submission.answers["children"]] == ["Ada", "Ben"]
    assert submission.answers["children"][1]["date_of_birth"] == "2019-02-01"
    assert submission.files.get().original_name == "ehcp.pdf"

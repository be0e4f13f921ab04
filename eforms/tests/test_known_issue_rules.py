"""The known-issue check as each form defines it: a household, or a place, and nothing else.

A missed bin at 3 Mill Lane is not the same problem as one at 7 Mill Lane, however close; a
pothole 20 metres from another is. And a resident told "this was reported" never learns who
reported it, how to reach them, their reference or the time.
"""

import datetime
import math

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from eforms import builders as b
from eforms.models import Draft, Submission, Subscription
from eforms.services import change_status, known_issues, same_address
from tests.tasks import run_queued_tasks

from .conftest import make_form

pytestmark = pytest.mark.django_db

METRES_PER_DEGREE = 6371008.8 * math.pi / 180
PIN = (51.53, -0.1)


def house(line_1: str, postcode: str = "NB1 1AA", uprn: str = "") -> dict:
    return {
        "uprn": uprn,
        "line_1": line_1,
        "line_2": "",
        "town": "Northbrook",
        "postcode": postcode,
        "street": "MILL LANE",
    }


def bin_pages() -> list:
    return [
        b.page("address", b.q("address", "address", "What is the address?")),
        b.page(
            "bin",
            b.q(
                "radios",
                "bin_type",
                "Which bin was missed?",
                options=b.options(("general", "General"), ("recycling", "Recycling")),
            ),
        ),
        b.page("contact", b.q("email", "email", "Email address", use_for_updates=True)),
    ]


@pytest.fixture
def bins(unit):
    return make_form(
        unit,
        slug="missed-bin",
        title="Report a missed bin collection",
        pages=bin_pages(),
        known_issue_check="same_address",
        known_issue_field="address",
        known_issue_same_answer="bin_type",
        known_issue_window="today",
    )


def reported(form, reference: str, answers: dict, **fields) -> Submission:
    return Submission.objects.create(
        reference=reference,
        form=form,
        form_title=form.title,
        answers=answers,
        email=fields.pop("email", "first@resident.example"),
        **fields,
    )


def found(form, answers) -> set[str]:
    return {s.reference for s in known_issues(form, answers)}


def test_another_house_in_the_same_street_is_never_matched(bins):
    reported(bins, "BIN-SEVEN", {"address": house("7 Mill Lane"), "bin_type": "general"})
    assert found(bins, {"address": house("3 Mill Lane"), "bin_type": "general"}) == set()


def test_the_same_house_and_bin_is_matched_however_it_was_typed(bins):
    reported(bins, "BIN-SEVEN", {"address": house("7 Mill Lane"), "bin_type": "general"})
    typed = house("7, mill lane.", postcode="nb11aa")
    assert found(bins, {"address": typed, "bin_type": "general"}) == {"BIN-SEVEN"}


def test_the_same_uprn_is_matched_and_a_different_uprn_is_not(bins):
    reported(
        bins,
        "BIN-FLAT1",
        {"address": house("Flat 1, 12 High Street", "NB1 1AB", uprn="5"), "bin_type": "general"},
    )
    same = {"address": house("Flat 1, 12 High Street", "NB1 1AB", uprn="5"), "bin_type": "general"}
    flat_2 = {
        "address": house("Flat 2, 12 High Street", "NB1 1AB", uprn="6"),
        "bin_type": "general",
    }
    assert found(bins, same) == {"BIN-FLAT1"}
    assert found(bins, flat_2) == set()
    assert not same_address(house("12 High Street", uprn="5"), house("12 High Street", uprn="6"))


def test_a_different_bin_at_the_same_house_is_not_matched(bins):
    reported(bins, "BIN-SEVEN", {"address": house("7 Mill Lane"), "bin_type": "general"})
    assert found(bins, {"address": house("7 Mill Lane"), "bin_type": "recycling"}) == set()


def test_the_same_line_in_another_postcode_is_another_house(bins):
    reported(bins, "BIN-SEVEN", {"address": house("7 Mill Lane", "NB2 4QT"), "bin_type": "general"})
    assert found(bins, {"address": house("7 Mill Lane"), "bin_type": "general"}) == set()


def test_only_open_reports_made_in_the_window_count(bins):
    answers = {"address": house("7 Mill Lane"), "bin_type": "general"}
    yesterday = timezone.now() - datetime.timedelta(days=1, hours=1)
    reported(bins, "BIN-OLD", answers, submitted_at=yesterday)
    reported(bins, "BIN-DONE", answers, status=Submission.RESOLVED)
    assert found(bins, answers) == set()
    reported(bins, "BIN-TODAY", answers)
    assert found(bins, answers) == {"BIN-TODAY"}


def test_the_check_waits_until_every_question_it_compares_is_answered(bins):
    reported(bins, "BIN-SEVEN", {"address": house("7 Mill Lane"), "bin_type": "general"})
    assert found(bins, {"address": house("7 Mill Lane")}) == set()


def offset(north_m: float) -> tuple[float, float]:
    return PIN[0] + north_m / METRES_PER_DEGREE, PIN[1]


@pytest.fixture
def potholes(unit):
    return make_form(
        unit,
        slug="pothole",
        pages=[b.page("where", b.q("location", "location", "Where is it?"))],
        known_issue_check="nearby",
        known_issue_field="location",
        known_issue_radius_m=50,
        known_issue_window="open",
    )


def test_a_pothole_20_metres_away_is_matched_and_one_500_metres_away_is_not(potholes):
    for reference, metres in (("RPT-NEAR", 20), ("RPT-FAR", 500)):
        lat, lng = offset(metres)
        reported(potholes, reference, {}, latitude=lat, longitude=lng)
    here = {"location": {"latitude": PIN[0], "longitude": PIN[1], "description": ""}}
    assert found(potholes, here) == {"RPT-NEAR"}


def test_editors_are_told_when_the_check_names_a_question_the_form_does_not_ask(unit):
    form = make_form(
        unit,
        slug="bad-check",
        pages=bin_pages(),
        known_issue_check="nearby",
        known_issue_field="address",
        known_issue_same_answer="bin_colour",
    )
    with pytest.raises(ValidationError) as raised:
        form.clean()
    errors = raised.value.message_dict
    assert "location questions (it has none: add one first)" in errors["known_issue_field"][0]
    assert "no question named “bin_colour”" in errors["known_issue_same_answer"][0]


def start_draft(client: Client, form, answers: dict) -> None:
    draft = Draft.objects.create(
        form=form, answers=answers, pages_seen=["address", "bin"], last_page="bin"
    )
    session = client.session
    session[f"eforms:draft:{form.translation_key}"] = draft.token
    session.save()


@pytest.mark.django_db(transaction=True)  # status emails are queued when the change commits
def test_nothing_of_the_other_report_reaches_the_page_or_the_follower(bins, client):
    earlier = reported(
        bins,
        "BIN-X7K3-9Q2M",
        {"address": house("7 Mill Lane"), "bin_type": "general", "email": "first@resident.example"},
        email="first@resident.example",
        mobile="07700900123",
    )
    start_draft(client, bins, {"address": house("7 Mill Lane"), "bin_type": "general"})
    response = client.get("/forms/missed-bin/already-reported/")
    html = response.content.decode()
    assert "A report of this was made today." in html
    local = timezone.localtime(earlier.submitted_at)
    for secret in (
        earlier.reference,
        "X7K3",
        "first@resident.example",
        "07700900123",
        earlier.track_token,
        local.strftime("%-I:%M"),
        local.strftime("%-d %B %Y"),
    ):
        assert secret not in html, secret

    response = client.post(
        "/forms/missed-bin/already-reported/",
        {"choice": "subscribe", "email": "second@resident.example"},
    )
    html = response.content.decode()
    assert "You will get updates" in html
    assert earlier.reference not in html
    assert Subscription.objects.get().email == "second@resident.example"

    change_status(earlier, Submission.IN_PROGRESS, message="Mrs First at number 7: crew at 3pm.")
    run_queued_tasks()
    (follower,) = [m for m in mail.outbox if m.to == ["second@resident.example"]]
    assert "It is now: In progress." in follower.body
    for secret in (earlier.reference, earlier.track_token, "Mrs First", "first@resident"):
        assert secret not in follower.body + follower.subject, secret
    # The reporter still hears everything about their own request.
    (own,) = [m for m in mail.outbox if m.to == ["first@resident.example"]]
    assert earlier.reference in own.body and "crew at 3pm" in own.body


def test_the_resident_can_still_report_their_own_case(bins, client):
    reported(bins, "BIN-SEVEN", {"address": house("7 Mill Lane"), "bin_type": "general"})
    start_draft(client, bins, {"address": house("7 Mill Lane"), "bin_type": "general"})
    response = client.post("/forms/missed-bin/already-reported/", {"choice": "continue"})
    assert response.status_code == 302
    assert response["Location"] == "/forms/missed-bin/page/contact/"
    assert Draft.objects.get().known_issue_dismissed


def test_asking_for_updates_without_an_email_says_so(bins, client):
    reported(bins, "BIN-SEVEN", {"address": house("7 Mill Lane"), "bin_type": "general"})
    start_draft(client, bins, {"address": house("7 Mill Lane"), "bin_type": "general"})
    response = client.post("/forms/missed-bin/already-reported/", {"choice": "subscribe"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#email">Enter your email address to get updates' in html
    assert not Subscription.objects.exists()

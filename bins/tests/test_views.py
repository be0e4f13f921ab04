"""The resident's pages over HTTP: postcode, address, next collections, calendar, reminders."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from bins import reminders
from bins.models import Reminder
from bins.schedule import next_collections
from tests.tasks import run_queued_tasks

from .conftest import address

D = datetime.date


def test_postcode_then_address_then_the_next_collections(client, demo_rounds):
    page = client.get("/bins/")
    assert "Check your bin collection day" in page.text
    page = client.get("/bins/", {"postcode": "nb1 1aa"})
    assert "4 addresses found for NB1 1AA" in page.text
    assert "3 Mill Lane" in page.text
    page = client.get("/bins/", {"postcode": "NB1 1AA", "uprn": "100090000002"})
    assert page.status_code == 302 and page["Location"] == "/bins/100090000002/"
    page = client.get(page["Location"])
    for collection in next_collections(address("3 Mill Lane"), timezone.localdate()):
        assert collection.date.strftime("%A ") + str(collection.date.day) in page.text
        assert collection.bin_name in page.text
    assert "Put your bins out by 7am" in page.text


def test_plain_errors_for_a_missing_or_wrong_postcode_or_no_address_chosen(client, demo_rounds):
    assert "Enter a postcode" in client.get("/bins/", {"postcode": " "}).text
    assert "Enter a real postcode, like NB1 1AA" in client.get("/bins/", {"postcode": "12"}).text
    none = client.get("/bins/", {"postcode": "NB9 9ZZ"})
    assert "We cannot find any addresses for NB9 9ZZ" in none.text
    unchosen = client.get("/bins/", {"postcode": "NB1 1AA", "show": "1"})
    assert unchosen.text.count("Select your address") >= 3  # summary, legend, message
    assert "There is a problem" in unchosen.text
    assert "3 Mill Lane" in unchosen.text  # the list is kept
    wrong = client.get("/bins/", {"postcode": "NB1 1AA", "uprn": "100090000008"})
    assert "There is a problem" in wrong.text  # an address from another postcode
    assert client.get("/bins/999/").status_code == 404


def test_the_calendar_feed_is_rfc_5545(client, demo_rounds):
    response = client.get("/bins/100090000002/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "\n" not in text.replace("\r\n", "")
    first = next_collections(address("3 Mill Lane"), timezone.localdate())[0]
    assert f"DTSTART;VALUE=DATE:{first.date:%Y%m%d}\r\n" in text
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") > 50
    assert re.search(r"SUMMARY:Bin collection: [A-Z][a-z]+", text)


def test_christmas_changes_are_in_the_calendar_with_the_reason(demo_rounds):
    from bins.ical import feed
    from bins.schedule import collections

    text = feed(
        "Bins",
        "x",
        collections(address("2 Orchard Close"), D(2026, 12, 24), days=3),
        timezone.now(),
    )
    assert "DTSTART;VALUE=DATE:20261226" in text
    text = text.replace("\r\n ", "")  # unfold long lines
    assert "Food waste moved from 25/12/2026 (Christmas Day)" in text


def test_the_api_says_whether_today_is_collection_day(client, demo_rounds):
    data = client.get("/api/v1/bins/100090000002/").json()
    today = timezone.localdate()
    expected = next_collections(address("3 Mill Lane"), today)
    assert data["collected_today"] == [c.bin_type for c in expected if c.date == today]
    assert [n["date"] for n in data["next"]] == [c.date.isoformat() for c in expected]
    assert client.get("/api/v1/bins/nope/").status_code == 404


def test_the_address_page_says_whether_today_is_collection_day(client, demo_rounds):
    page = client.get("/bins/100090000002/")
    today = timezone.localdate()
    due = [c for c in next_collections(address("3 Mill Lane"), today) if c.date == today]
    if due:
        assert "Today is your collection day for" in page.text
    else:
        assert "Today is not a collection day at this address" in page.text


def test_reminders_need_confirming_and_every_one_can_stop_them(
    client, demo_rounds, django_capture_on_commit_callbacks
):
    bad = client.post("/bins/100090000002/reminders/", {"email": "not an email"})
    assert bad.status_code == 400
    assert "Enter an email address in the correct format" in bad.text
    assert not Reminder.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/bins/100090000002/reminders/", {"email": "sam@resident.example"})
    assert "Check your email" in done.text
    assert mail.outbox == []  # the request only wrote the outbox row
    run_queued_tasks()
    (confirmation,) = mail.outbox
    assert confirmation.subject == "Confirm your bin collection reminders"
    link = re.search(r"http\S+/confirm/", confirmation.body).group(0)
    path = "/" + link.split("/", 3)[3]

    # Nothing is sent before the address confirms.
    assert reminders.send_due(D(2026, 12, 2)) == 0
    assert "Start my reminders" in client.get(path).text
    assert Reminder.objects.get().confirmed_at is None  # a GET (a mail scanner) confirms nothing
    assert "Your reminders are on" in client.post(path).text

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # The evening before Thursday 3 December.
        assert reminders.send_due(D(2026, 12, 2)) == 1
    assert reminders.send_due(D(2026, 12, 2)) == 0  # once only
    assert reminders.send_due(D(2026, 12, 3)) == 0  # no collection on Friday
    run_queued_tasks()
    (reminder,) = mail.outbox
    assert reminder.subject == "Bin collection tomorrow"
    assert "General rubbish: Thursday 3 December" in reminder.body
    assert "Food waste: Thursday 3 December" in reminder.body
    assert "by 7am" in reminder.body
    stop = re.search(r"http\S+/stop/", reminder.body).group(0)
    stop_path = "/" + stop.split("/", 3)[3]
    assert "Stop my reminders" in client.get(stop_path).text
    assert "Your reminders have stopped" in client.post(stop_path).text
    assert not Reminder.objects.exists()


def test_asking_again_after_confirming_sends_nothing_more(
    client, demo_rounds, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/bins/100090000002/reminders/", {"email": "sam@resident.example"})
    run_queued_tasks()
    assert len(mail.outbox) == 1
    Reminder.objects.update(confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/bins/100090000002/reminders/", {"email": "SAM@resident.example"})
    run_queued_tasks()
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1


def test_too_many_reminder_requests_are_refused_plainly(client, demo_rounds, settings):
    from bins import views

    for n in range(views.REMINDER_REQUESTS_PER_HOUR):
        client.post("/bins/100090000002/reminders/", {"email": f"r{n}@resident.example"})
    refused = client.post("/bins/100090000002/reminders/", {"email": "more@resident.example"})
    assert refused.status_code == 429
    assert "Try again in an hour" in refused.text

"""Partner feeds on a schedule: the worker pulls each registered feed, the first time whole and
then only what changed (``modified_after``), keeps a run history with the report, tells the
feed's alert address when a pull fails or records are refused, and the records belong to the
feed (issue 20, part 4)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core import scheduler
from core.models import DeliveryUnit
from directory import feeds
from directory.models import FeedRun, PartnerFeed, Service
from directory.tests.feed_server import FeedServer
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

ALERTS = "directory-team@northbrook.example"


def service(n, modified="2026-11-01T09:00:00Z", **extra):
    return {
        "id": f"6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c{n:02d}",
        "name": f"Partner group {n}",
        "description": f"Group {n} meets weekly.",
        "status": "active",
        "last_modified": modified,
        "organization": {"id": "6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3cff", "name": "Partner trust"},
        **extra,
    }


@pytest.fixture
def unit(db):
    return DeliveryUnit.objects.create(
        slug="adults", name="Adult social care", contact_email=ALERTS
    )


def register(url, unit):
    return PartnerFeed.objects.create(name="Partner trust", url=url, owner=unit, alert_email=ALERTS)


def test_the_worker_pulls_a_due_feed_then_only_what_changed(unit):
    records = [service(n) for n in range(1, 6)]
    with FeedServer(records, per_page_limit=2) as server:
        feed = register(server.url, unit)
        assert [job.name for job in scheduler.registered() if job.name == "partner-feeds"]
        assert feeds.due_feeds() == [feed]
        feeds.pull_due()

        run = feed.runs.get()
        assert (run.status, run.created, run.rejected) == (FeedRun.Status.SUCCEEDED, 5, 0)
        assert "Created 5, updated 0, unchanged 0, rejected 0." in run.report
        assert set(Service.objects.values_list("feed", flat=True)) == {feed.label}
        assert sum("/api/services?page=" in path for path in server.requests) == 3, "3 pages of 2"
        assert mail.outbox == []

        assert feeds.due_feeds() == [], "pulled within its interval"
        later = timezone.now() + datetime.timedelta(hours=25)
        assert feeds.due_feeds(later) == [feed]

        server.services[records[2]["id"]] = {
            **records[2],
            "name": "Partner group 3 (moved)",
            "last_modified": (timezone.now() + datetime.timedelta(minutes=1)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
        }
        server.requests.clear()
        feed.refresh_from_db()
        second = feeds.pull(feed)
    assert second.modified_after == run.started_at
    assert any("modified_after=" in path for path in server.requests)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 0), "only the change"
    assert Service.objects.get(pk=records[2]["id"]).name == "Partner group 3 (moved)"


def test_a_feed_that_cannot_be_read_fails_its_run_and_tells_someone(
    unit, django_capture_on_commit_callbacks
):
    with FeedServer([service(1)]) as server, django_capture_on_commit_callbacks(execute=True):
        server.failing = True
        feed = register(server.url, unit)
        run = feeds.pull(feed)
    assert run.status == FeedRun.Status.FAILED
    assert "answered 500" in run.error
    feed.refresh_from_db()
    assert feed.last_success_at is None, "the next pull asks for everything again"
    run_queued_tasks()
    [alert] = [message for message in mail.outbox if message.to == [ALERTS]]
    assert alert.subject == "The partner feed Partner trust could not be read"
    assert "Nothing was changed" in alert.body


def test_refused_records_are_reported_to_the_feeds_alert_address(
    unit, django_capture_on_commit_callbacks
):
    bad = service(2, schedules=[{"id": "6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3caa", "interval": "two"}])
    with FeedServer([service(1), bad]) as server, django_capture_on_commit_callbacks(execute=True):
        feed = register(server.url, unit)
        run = feeds.pull(feed)
    assert (run.status, run.created, run.rejected) == (FeedRun.Status.SOME_REFUSED, 1, 1)
    run_queued_tasks()
    [alert] = [message for message in mail.outbox if message.to == [ALERTS]]
    assert alert.subject == "The partner feed Partner trust had 1 records refused"
    assert f"Rejected {bad['id']}: schedules[0].interval" in alert.body


def test_pull_now_goes_to_the_worker_not_the_request(client, admin_user, unit):
    with FeedServer([service(1)]) as server:
        feed = register(server.url, unit)
        client.force_login(admin_user)
        page = client.get(f"/admin/directory/feeds/{feed.pk}/runs/").content.decode()
        assert "This feed has not been pulled yet." in page
        response = client.post(f"/admin/directory/feeds/{feed.pk}/runs/")
        assert response.status_code == 302
        assert not feed.runs.exists(), "nothing was pulled inside the request"
        run_queued_tasks()
    assert feed.runs.get().status == FeedRun.Status.SUCCEEDED
    page = client.get(f"/admin/directory/feeds/{feed.pk}/runs/").content.decode()
    assert "Succeeded" in page and "Created 1, updated 0" in page
    listing = client.get("/admin/snippets/directory/partnerfeed/").content.decode()
    assert "Succeeded, " in listing, "the list shows how the last pull went"

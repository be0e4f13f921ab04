"""/healthz: database decides up or down; search can only make it degraded."""

import socket

import pytest
from django.db import connection


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthy_with_embedded_search(client, settings):
    settings.ELASTICSEARCH_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["search"] == {"engine": "embedded", "status": "ok"}


@pytest.mark.django_db
def test_unreachable_elasticsearch_is_degraded_not_down(client, settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["search"]["status"] == "degraded"
    assert "embedded" in body["search"]["detail"]


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_real_elasticsearch_up_then_stopped(
    client, settings, elasticsearch_url, elasticsearch_node
):
    settings.ELASTICSEARCH_URL = elasticsearch_url
    assert client.get("/healthz").json()["search"]["status"] == "ok"
    elasticsearch_node.stop()
    try:
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["search"]["status"] == "degraded"
    finally:
        elasticsearch_node.start()
    assert client.get("/healthz").json()["search"]["status"] == "ok"


@pytest.mark.django_db
def test_changes_waiting_too_long_make_the_search_queue_degraded_not_down(client, settings):
    """The sync has stopped (or Elasticsearch refuses writes): searches work, changes don't arrive."""
    from datetime import timedelta

    from django.utils import timezone

    from search.models import OutboxEntry

    settings.ELASTICSEARCH_URL = ""
    settings.SEARCH_QUEUE_MAX_AGE_SECONDS = 300
    entry = OutboxEntry.objects.create(
        action=OutboxEntry.INDEX, model_label="cms.contentpage", object_pk="1", document_id="page:1"
    )
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["search_queue"]["depth"] == 1

    OutboxEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded" and body["search"]["status"] == "ok"
    queue = body["search_queue"]
    assert queue["status"] == "degraded" and queue["oldest_age_seconds"] >= 360
    assert "more than 300 s" in queue["detail"]


@pytest.mark.django_db
def test_database_down_answers_503(client, monkeypatch):
    """A database that refuses connections makes the site unhealthy."""
    from django.db.utils import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "down"


@pytest.mark.django_db
def test_admin_login_is_throttled_after_repeated_failures(client, settings):
    from django.contrib.auth.models import User

    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    User.objects.create_user("editor", password="right-password", is_staff=True)
    for _ in range(3):
        assert (
            client.post("/admin/login/", {"username": "editor", "password": "wrong"}).status_code
            == 200
        )
    blocked = client.post("/admin/login/", {"username": "editor", "password": "right-password"})
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.content.decode()


@pytest.mark.django_db
def test_resident_pages_carry_a_content_security_policy(client, home_page):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_every_queue_reports_its_depth_and_oldest_age(client, settings):
    settings.ELASTICSEARCH_URL = ""
    body = client.get("/healthz").json()
    assert set(body["queues"]) == {"search", "notifications", "tasks"}
    for queue in body["queues"].values():
        assert queue["status"] == "ok" and queue["depth"] == 0
        assert queue["oldest_age_seconds"] is None and queue["max_age_seconds"] > 0
    assert body["search_queue"] == body["queues"]["search"]  # the original name still works


@pytest.mark.django_db
def test_a_message_waiting_too_long_makes_the_site_degraded_not_down(client, settings):
    """The relay or GOV.UK Notify is failing: submissions work, residents hear nothing."""
    from datetime import timedelta

    from django.utils import timezone

    from eforms.models import OutboxMessage

    settings.ELASTICSEARCH_URL = ""
    settings.NOTIFICATIONS_QUEUE_MAX_AGE_SECONDS = 900
    OutboxMessage.objects.create(to="sam@resident.example", subject="Received", body="Thanks")
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["queues"]["notifications"]["depth"] == 1

    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    notifications = body["queues"]["notifications"]
    assert notifications["status"] == "degraded" and notifications["oldest_age_seconds"] >= 960
    assert "more than 900 s" in notifications["detail"]
    assert body["queues"]["tasks"]["status"] == body["search_queue"]["status"] == "ok"
    assert "sam@resident.example" not in response.content.decode()


@pytest.mark.django_db
def test_tasks_no_worker_has_started_make_the_site_degraded_not_down(client, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from search.tasks import drain_outbox

    settings.ELASTICSEARCH_URL = ""
    settings.TASKS_QUEUE_MAX_AGE_SECONDS = 300
    drain_outbox.enqueue()
    assert client.get("/healthz").json()["queues"]["tasks"]["depth"] == 1
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["queues"]["tasks"]["status"] == "degraded"
    assert "is a worker" in body["queues"]["tasks"]["detail"]


@pytest.mark.django_db
def test_a_queue_that_cannot_be_read_is_degraded_and_the_others_still_report(
    client, settings, monkeypatch
):
    """E.g. a database migrated before the tasks table existed: say so, never a 500."""
    from django.db.utils import OperationalError

    from cms import operations

    def unreadable():
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    settings.ELASTICSEARCH_URL = ""
    monkeypatch.setitem(operations.QUEUES, "tasks", unreadable)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["queues"]["tasks"] == {
        "status": "degraded",
        "detail": "could not be read (OperationalError)",
    }
    assert body["queues"]["notifications"]["status"] == "ok"

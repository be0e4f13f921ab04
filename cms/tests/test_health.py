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

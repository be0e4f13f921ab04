"""Signed, expiring preview links show a page's latest draft to a headless front end."""

import datetime

import pytest

from cms import preview


@pytest.fixture
def drafted_page(make_content_page):
    page = make_content_page(slug="bin-days", title="Bin days")
    page.title = "Bin days (draft)"
    page.summary = "Not published yet."
    page.save_revision()
    return page


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor", "editor@northbrook.example", "secret-pass"
    )


def test_an_editor_gets_a_link_that_shows_the_draft(client, drafted_page, editor):
    client.force_login(editor)
    made = client.post(f"/api/v1/preview/links/{drafted_page.pk}/")
    assert made.status_code == 201
    link = made.json()["url"]
    assert "/api/v1/preview/?token=" in link

    client.logout()
    shown = client.get(link.split("testserver", 1)[1])
    assert shown.status_code == 200
    assert shown["Cache-Control"] == "private, no-store"
    data = shown.json()
    assert data["id"] == drafted_page.pk
    assert data["title"] == "Bin days (draft)"
    assert data["meta"]["type"] == "cms.ContentPage"

    live = client.get(f"/api/v2/pages/{drafted_page.pk}/").json()
    assert live["title"] == "Bin days"
    assert set(data) == set(live), "the preview has the same shape as the page API"


def test_anonymous_visitors_cannot_make_links(client, drafted_page):
    response = client.post(f"/api/v1/preview/links/{drafted_page.pk}/")
    assert response.status_code == 403
    assert "Sign in" in response.json()["error"]
    assert client.get(f"/api/v1/preview/links/{drafted_page.pk}/").status_code == 405


def test_editors_without_edit_permission_cannot_make_links(client, drafted_page, django_user_model):
    client.force_login(
        django_user_model.objects.create_user("reader", "reader@northbrook.example", "x")
    )
    assert client.post(f"/api/v1/preview/links/{drafted_page.pk}/").status_code == 403


def test_missing_tampered_and_expired_tokens_are_refused(client, drafted_page, editor, monkeypatch):
    token = preview.make_token(drafted_page, editor)

    missing = client.get("/api/v1/preview/")
    assert missing.status_code == 400 and missing.json()["field"] == "token"

    tampered = client.get(
        "/api/v1/preview/", {"token": token[:-2] + ("aa" if token[-2:] != "aa" else "bb")}
    )
    assert tampered.status_code == 403
    assert "not valid" in tampered.json()["error"]

    forged = client.get(
        "/api/v1/preview/", {"token": token.replace(token.split(":")[0], "eyJwYWdlIjoxfQ")}
    )
    assert forged.status_code == 403

    monkeypatch.setattr(preview, "MAX_AGE", datetime.timedelta(seconds=-1))
    expired = client.get("/api/v1/preview/", {"token": token})
    assert expired.status_code == 403
    assert "expired" in expired.json()["error"]


def test_a_link_to_a_deleted_page_is_a_404(client, drafted_page, editor):
    token = preview.make_token(drafted_page, editor)
    drafted_page.delete()
    response = client.get("/api/v1/preview/", {"token": token})
    assert response.status_code == 404
    assert "error" in response.json()


def test_links_stop_working_once_the_editors_account_is_deactivated(client, drafted_page, editor):
    """Issue 19: a link outlives neither its editor's account nor their right to the draft."""
    client.force_login(editor)
    link = client.post(f"/api/v1/preview/links/{drafted_page.pk}/").json()["url"]
    path = link.split("testserver", 1)[1]
    client.logout()
    assert client.get(path).status_code == 200
    editor.is_active = False
    editor.save()
    refused = client.get(path)
    assert refused.status_code == 403
    assert "no longer works" in refused.json()["error"]
    assert refused.json()["field"] == "token"
    editor.is_active = True
    editor.is_superuser = False  # still active, but no longer allowed to edit the page
    editor.save()
    assert client.get(path).status_code == 403
    editor.delete()
    assert client.get(path).status_code == 403

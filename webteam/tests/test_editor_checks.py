"""Editor feedback that is true: the Checks panel shows the latest saved revision's findings, and an
autosave never leaves a message banner behind.

The browser walk (slow typing, autosave firing, the panel and the preview) is
webteam/tests/test_editor_feedback_browser.py.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from webteam.quality.editor import latest_revision_checks

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}
VAGUE = '<p>To pay, <a href="https://www.northbrook.example/pay">click here</a>.</p>'
CLEAR = '<p><a href="https://www.northbrook.example/pay">Pay your council tax</a>.</p>'


def edit_data(page, body_html, review_by="2030-01-01", **extra):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": "About council tax.",
            "body": streamfield([("text", rich_text(body_html))]),
            "delivery_unit": page.delivery_unit_id,
            "review_by": review_by,
            **extra,
        }
    )


@pytest.fixture
def page(make_content_page):
    return make_content_page(slug="council-tax", title="Council tax")


@pytest.mark.django_db
def test_autosave_leaves_no_banner_and_answers_with_the_new_checks(admin_client, page):
    url = f"/admin/pages/{page.pk}/edit/"
    for _ in range(4):  # four autosaves while the editor types
        response = admin_client.post(
            url, edit_data(page, VAGUE, review_by="2020-01-01"), **AUTOSAVE
        )
        assert response.status_code == 200 and response.json()["success"] is True
        assert list(get_messages(response.wsgi_request)) == []

    partials = response.json()["html"]
    assert "data-signpost-checks" in partials
    assert "doesn\u2019t say where the link goes" in partials
    assert "due for review on 1 January 2020" in partials

    editor = admin_client.get(url)
    shown = [str(m) for m in editor.context["messages"]]
    assert not any("Content checks" in m for m in shown), shown


@pytest.mark.django_db
def test_an_explicit_save_still_says_once_what_to_look_at(admin_client, page):
    url = f"/admin/pages/{page.pk}/edit/"
    response = admin_client.post(url, edit_data(page, VAGUE), follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert len([m for m in shown if "Content checks found" in m]) == 1
    assert any("Checks panel" in m for m in shown)


@pytest.mark.django_db
def test_checks_panel_lists_the_latest_saved_revision_only(admin_client, page):
    url = f"/admin/pages/{page.pk}/edit/"
    admin_client.post(url, edit_data(page, VAGUE), **AUTOSAVE)
    html = admin_client.get(url).content.decode()
    assert 'data-side-panel="checks"' in html
    assert 'data-signpost-finding="vague-link-text"' in html

    admin_client.post(url, edit_data(page, CLEAR), **AUTOSAVE)
    html = admin_client.get(url).content.decode()
    assert 'data-signpost-finding="vague-link-text"' not in html
    assert "No problems found." in html


@pytest.mark.django_db
def test_checks_read_the_revision_not_the_live_page(page):
    page.body = [{"type": "text", "value": VAGUE}]
    page.review_by = datetime.date(2020, 1, 1)
    page.save_revision()  # a draft: the live page still has clean words and a future review date

    checks = latest_revision_checks(page)

    assert checks.saved and checks.saved_at is not None
    assert {f.code for f in checks.findings} >= {"vague-link-text", "review-overdue"}
    assert latest_revision_checks(None).saved is False


@pytest.mark.django_db
def test_duplicate_title_is_found_for_one_page_as_for_the_nightly_run(make_content_page):
    make_content_page(slug="apply-one", title="Apply")
    second = make_content_page(slug="apply-two", title="Apply")
    assert "duplicate-title" in {f.code for f in latest_revision_checks(second).findings}
    alone = make_content_page(slug="unique", title="Only one like me")
    assert "duplicate-title" not in {f.code for f in latest_revision_checks(alone).findings}

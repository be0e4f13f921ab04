"""The preview panel frames the page: its response may be framed by the admin, resident pages may not.

Wagtail builds a preview by running a pretend request for the page's own address through every
middleware, so the resident pages' ``frame-ancestors 'none'`` used to land on the preview and the
panel stayed blank. The browser proof is webteam/tests/test_editor_feedback_browser.py.
"""

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


def directives(response):
    return {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


@pytest.fixture
def page(make_content_page):
    return make_content_page(slug="bin-days", title="Bin days")


@pytest.mark.django_db
def test_resident_page_still_refuses_every_frame(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_preview_panel_response_may_be_framed_by_the_admin_only(admin_client, page):
    url = f"/admin/pages/{page.pk}/edit/preview/"
    data = nested_form_data(
        {
            "title": "Bin days",
            "slug": "bin-days",
            "summary": "When we collect your bin.",
            "body": streamfield([("text", rich_text("<p>We collect on Mondays.</p>"))]),
            "delivery_unit": page.delivery_unit_id,
            "review_by": "2030-01-01",
        }
    )
    state = admin_client.post(url, data).json()
    assert state["is_valid"], state

    response = admin_client.get(url + "?in_preview_panel=true")

    assert response.status_code == 200
    assert "We collect on Mondays." in response.content.decode()
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_view_draft_from_the_admin_may_be_framed_by_the_admin(admin_client, page):
    response = admin_client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_a_resident_cannot_claim_to_be_a_preview(client, page):
    response = client.get(page.url, {"is_preview": "true", "in_preview_panel": "true"})
    assert directives(response)["frame-ancestors"] == ["'none'"]

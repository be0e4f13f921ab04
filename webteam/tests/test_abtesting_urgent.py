"""An urgent edit during an A/B test starts from the live version (B stays a draft) and, when it is
published, ends or restarts the test as the editor chooses. The browser walk is in
webteam/tests/test_abtesting_urgent_browser.py."""

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from webteam.abtesting.services import create_test, start_test
from webteam.models import AbTest

LIVE_TITLE = "Apply for a bin"
B_TITLE = "Get a new bin"
URGENT_WORDS = "Bins are delayed this week because of snow."


@pytest.fixture
def running(make_content_page):
    page = make_content_page(slug="apply-for-a-bin", title=LIVE_TITLE)
    page.title = B_TITLE
    draft = page.save_revision()
    test = start_test(create_test(page, "Clearer title", AbTest.REACH_PAGE, [draft]))
    test.variants.filter(label="B").update(visitors=40, conversions=9)
    return test, Page.objects.get(pk=page.pk).specific, draft


def publish_data(page, words):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": "How to get a bin.",
            "body": streamfield([("text", rich_text(f"<p>{words}</p>"))]),
            "delivery_unit": page.delivery_unit_id,
            "review_by": "2030-01-01",
            "action-publish": "action-publish",
        }
    )


def messages_of(response):
    return " ".join(str(m) for m in response.context["messages"])


def urgent_edit(client, test, page):
    """Open the editor, choose "Edit the live version", publish a change: the question page."""
    editor = client.get(f"/admin/pages/{page.pk}/edit/")
    assert "You are editing version B" in messages_of(editor)
    assert editor.context["form"].initial["title"] == B_TITLE
    client.post(f"/admin/webteam/ab-tests/{test.pk}/edit-live/")
    editor = client.get(f"/admin/pages/{page.pk}/edit/")
    assert editor.context["form"].initial["title"] == LIVE_TITLE
    assert "When you publish, you will choose" in messages_of(editor)
    page.refresh_from_db()
    return client.post(f"/admin/pages/{page.pk}/edit/", publish_data(page, URGENT_WORDS))


@pytest.mark.django_db
def test_urgent_edit_starts_from_live_and_ending_the_test_keeps_b_a_draft(admin_client, running):
    test, page, draft = running
    asked = urgent_edit(admin_client, test, page)

    assert (
        asked.status_code == 302
        and f"/admin/webteam/ab-tests/{test.pk}/publish/" in asked["Location"]
    )
    page.refresh_from_db()
    assert URGENT_WORDS not in str(page.body)  # nothing is live until the editor chooses
    test.refresh_from_db()
    assert test.status == AbTest.RUNNING
    question = admin_client.get(asked["Location"]).content.decode()
    assert "Publish and end the test" in question and "Publish and restart the test" in question

    nothing = admin_client.post(asked["Location"], {})
    assert "Choose whether to end the test or restart it." in nothing.content.decode()

    done = admin_client.post(asked["Location"], {"choice": "end"}, follow=True)
    assert "has ended; its results so far are kept" in messages_of(done)
    page.refresh_from_db()
    assert page.title == LIVE_TITLE and URGENT_WORDS in str(page.body)
    test.refresh_from_db()
    assert test.status == AbTest.CANCELLED
    b = test.variants.get(label="B")
    assert b.revision_id == draft.pk and b.revision.content["title"] == B_TITLE
    assert (b.visitors, b.conversions) == (40, 9)


@pytest.mark.django_db
def test_restarting_the_test_compares_the_urgent_change_with_b_from_zero(admin_client, running):
    test, page, draft = running
    asked = urgent_edit(admin_client, test, page)

    done = admin_client.post(asked["Location"], {"choice": "restart"}, follow=True)

    assert "is now version A" in messages_of(done)
    test.refresh_from_db()
    assert test.status == AbTest.CANCELLED
    assert test.variants.get(label="B").visitors == 40  # the old results are kept
    again = AbTest.objects.get(page_id=page.pk, status=AbTest.RUNNING)
    assert again.name == test.name and again.goal_type == test.goal_type
    assert [(v.label, v.revision_id, v.visitors) for v in again.variants.all()] == [
        ("A", None, 0),
        ("B", draft.pk, 0),
    ]
    page.refresh_from_db()
    assert URGENT_WORDS in str(page.body) and page.title == LIVE_TITLE


@pytest.mark.django_db
def test_a_page_without_a_running_test_publishes_as_usual(admin_client, make_content_page):
    page = make_content_page(slug="bulky-waste", title="Bulky waste")
    response = admin_client.post(f"/admin/pages/{page.pk}/edit/", publish_data(page, URGENT_WORDS))
    assert response.status_code == 302 and "/ab-tests/" not in response["Location"]
    page.refresh_from_db()
    assert URGENT_WORDS in str(page.body)


@pytest.mark.django_db
def test_publishing_a_variant_through_the_question_is_refused(admin_client, running):
    test, page, draft = running
    response = admin_client.post(
        f"/admin/webteam/ab-tests/{test.pk}/publish/{draft.pk}/", {"choice": "end"}, follow=True
    )
    assert "Publish the winner" in messages_of(response)
    test.refresh_from_db()
    assert test.status == AbTest.RUNNING
    page.refresh_from_db()
    assert page.title == LIVE_TITLE

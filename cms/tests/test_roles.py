"""The three staff roles: who may edit and publish what."""

import pytest
from django.contrib.auth.models import Group, User
from wagtail.models import Page, WorkflowPage

from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER
from core.roles import WORKFLOW_NAME, ensure_roles


@pytest.fixture
def staff(db, units):
    ensure_roles()

    def make(username, role, unit=None):
        user = User.objects.create_user(username, password="pw")
        user.groups.add(Group.objects.get(name=role))
        if unit:
            units[unit].members.add(user)
        return user

    return {
        "web": make("web", CENTRAL_WEB_TEAM),
        "streets_editor": make("streets", DELIVERY_UNIT_EDITOR, "street-scene"),
        "owner": make("owner", PRODUCT_OWNER, "parking"),
    }


@pytest.fixture
def pages(make_content_page, units):
    return {
        "streets": make_content_page("potholes", unit=units["street-scene"]),
        "parking": make_content_page("permits", unit=units["parking"]),
    }


def perms(user, page):
    return page.specific.permissions_for_user(user)


@pytest.mark.django_db
def test_groups_exist_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert {CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER} <= names


@pytest.mark.django_db
def test_central_web_team_edits_and_publishes_anything(staff, pages):
    for page in pages.values():
        tester = perms(staff["web"], page)
        assert tester.can_edit() and tester.can_publish()


@pytest.mark.django_db
def test_delivery_unit_editor_edits_own_unit_only_and_cannot_publish(staff, pages):
    editor = staff["streets_editor"]
    own, other = perms(editor, pages["streets"]), perms(editor, pages["parking"])
    assert own.can_edit()
    assert not own.can_publish()
    assert own.can_submit_for_moderation()
    assert not other.can_edit()
    assert not other.can_delete()


@pytest.mark.django_db
def test_product_owner_cannot_edit_or_publish_pages(staff, pages):
    tester = perms(staff["owner"], pages["parking"])
    assert not tester.can_edit() and not tester.can_publish()


@pytest.mark.django_db
def test_publishing_goes_through_web_team_approval(staff):
    root = Page.get_first_root_node()
    assert WorkflowPage.objects.get(page=root).workflow.name == WORKFLOW_NAME


@pytest.mark.django_db
def test_admin_edit_views_follow_the_owner_rule(client, staff, pages):
    client.force_login(staff["streets_editor"])
    assert client.get(f"/admin/pages/{pages['streets'].pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{pages['parking'].pk}/edit/").status_code in (302, 403)


@pytest.mark.django_db
def test_delivery_unit_editor_publish_attempt_does_not_go_live(client, staff, pages):
    """Pressing publish in the editor is refused: the draft waits for approval instead."""
    page = pages["streets"]
    client.force_login(staff["streets_editor"])
    client.post(
        f"/admin/pages/{page.pk}/edit/",
        {
            "title": "Report a pothole (changed)",
            "slug": page.slug,
            "summary": page.summary,
            "body-count": "0",
            "delivery_unit": page.delivery_unit_id,
            "review_by": "2030-01-01",
            "action-publish": "publish",
        },
    )
    page.refresh_from_db()
    assert page.title != "Report a pothole (changed)"

"""Who sees and changes stories: product owners edit their own unit's and read everyone's,
editors read, residents (and staff with no role) never see any of it."""

import pytest
from django.urls import reverse

from backlog.stories import can_edit_story, can_view_stories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("person", "may_view", "may_edit_own_unit", "may_edit_other_unit"),
    [
        ("owner", True, True, False),
        ("other_owner", True, False, True),
        ("editor", True, False, False),
        ("web_team", True, False, False),
        ("nobody", False, False, False),
    ],
)
def test_permission_matrix(
    people, make_story, person, may_view, may_edit_own_unit, may_edit_other_unit
):
    street = make_story("Bins", unit="street-scene")
    parking = make_story("Permits", unit="parking")
    user = people[person]
    assert can_view_stories(user) is may_view
    assert can_edit_story(user, street) is may_edit_own_unit
    assert can_edit_story(user, parking) is may_edit_other_unit


def test_superuser_may_do_anything(make_user, make_story):
    boss = make_user("boss", superuser=True)
    story = make_story()
    assert can_view_stories(boss) and can_edit_story(boss, story)


def test_anonymous_resident_sees_nothing(client, make_story):
    from django.contrib.auth.models import AnonymousUser

    assert not can_view_stories(AnonymousUser())
    response = client.get(reverse("backlog_admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(("person", "status"), [("owner", 200), ("editor", 200), ("nobody", 302)])
def test_backlog_page_by_role(client, people, make_story, person, status):
    make_story("Bins")
    client.force_login(people[person])
    response = client.get(reverse("backlog_admin:index"))
    # Staff with no role have no admin access at all: Wagtail sends them to the login page.
    assert response.status_code == status
    if status == 200:
        assert "Bins" in response.content.decode()


def test_editor_cannot_rerank_but_owner_can(client, people, make_story):
    story = make_story("Bins")
    url = reverse("backlog_admin:story", args=[story.pk])
    # Wagtail turns a refusal in the admin into a redirect to the dashboard with a message.
    for person in ("editor", "other_owner"):
        client.force_login(people[person])
        response = client.post(url, {"rank": 1, "reason": "Because"})
        assert (
            response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
        )
        story.refresh_from_db()
        assert story.manual_rank is None
    client.force_login(people["owner"])
    assert client.post(url, {"rank": 1, "reason": "Because"}).status_code == 302
    story.refresh_from_db()
    assert story.manual_rank == 1 and story.manual_rank_by == people["owner"]


def test_owner_edits_own_story_through_the_form_with_a_reason(
    client, people, make_story, units, personas
):
    story = make_story("Bins", demand=10)
    client.force_login(people["owner"])
    url = reverse("backlog_admin:edit", args=[story.pk])
    data = {
        "delivery_unit": units["street-scene"].pk,
        "persona": personas["report-and-transact"].pk,
        "story": "Bins",
        "status": "in_progress",
        "moscow": "must",
        "benefit_residents": 4,
        "benefit_borough": 3,
        "benefit_council": 3,
        "demand": 42000,
        "effort": 2,
        "form_slugs": "missed-bin-report",
    }
    response = client.post(url, data)
    assert (
        response.status_code == 200
        and "Enter why you are making this change" in response.content.decode()
    )
    response = client.post(url, {**data, "reason": "Call centre figures for 2025"})
    assert response.status_code == 302
    change = story.changes.first()
    assert change.reason == "Call centre figures for 2025" and change.changes["demand"] == [
        10,
        42000,
    ]
    client.force_login(people["other_owner"])
    response = client.get(url)
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"


def test_backlog_csv_export_in_rank_order(client, people, make_story):
    make_story("Low", demand=9)
    make_story("High", demand=99999)
    client.force_login(people["editor"])
    response = client.get(reverse("backlog_admin:index") + "?format=csv")
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("rank,score")
    assert lines[1].startswith("1,") and "High" in lines[1]
    assert "Low" in lines[2]


def test_owner_adds_a_story_only_in_their_own_unit(client, people, units, personas):
    client.force_login(people["owner"])
    url = reverse("backlog_admin:add")
    form = client.get(url).context["form"]
    assert list(form.fields["delivery_unit"].queryset) == [units["street-scene"]]
    data = {
        "persona": personas["report-and-transact"].pk,
        "story": "As a resident I want to report graffiti",
        "status": "idea",
        "moscow": "could",
        "benefit_residents": 2,
        "benefit_borough": 4,
        "benefit_council": 2,
        "demand": 1500,
        "effort": 2,
        "reason": "Raised at the ward forum",
    }
    response = client.post(url, {**data, "delivery_unit": units["parking"].pk})
    assert response.status_code == 200  # not a unit they own: the form refuses it
    response = client.post(url, {**data, "delivery_unit": units["street-scene"].pk})
    assert response.status_code == 302
    from backlog.models import UserStory

    story = UserStory.objects.get(story=data["story"])
    assert story.changes.get().reason == "Raised at the ward forum"
    client.force_login(people["editor"])
    response = client.get(url)
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"

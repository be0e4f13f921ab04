"""The page editor's "Get a preview link for apps": who sees it, who may use it, what it gives.

Users and pages come from the permission matrix's World (tests/test_permission_matrix.py): a
delivery-unit editor of street scene, a product owner, the central web team, a signed-in user
with no role, and one page owned by street scene ("own") and one by parking ("other").
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.admin.ui.menus.pages import get_page_header_buttons

from cms.preview import PREVIEW_LINK_LABEL, PreviewLink, describe_expiry
from tests.test_permission_matrix import World

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def world(db, client):
    return World(client)


def sign_in(client, world, role):
    client.logout()
    if world.users[role] is not None:
        client.force_login(world.users[role])


def link_url(page):
    return f"/admin/preview-link/{page.pk}/"


def html(response):
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return BeautifulSoup(response.content, "html.parser")


def text(node):
    return " ".join(node.get_text(" ").split())


def offered(world, role, which):
    """Whether the page header's actions menu offers the item to this user."""
    labels = [
        b.label for b in get_page_header_buttons(world.pages[which], world.users[role], "/", "edit")
    ]
    return PREVIEW_LINK_LABEL in labels


@pytest.mark.django_db
def test_an_editor_finds_the_button_in_the_editor_and_gets_a_link_to_the_draft(client, world):
    page = world.pages["own"]
    page.title = "Potholes (draft)"
    page.save_revision()
    sign_in(client, world, "unit_editor")

    editor = html(client.get(f"/admin/pages/{page.pk}/edit/"))
    button = editor.find("a", href=link_url(page))
    assert button is not None and text(button) == PREVIEW_LINK_LABEL

    explained = html(client.get(link_url(page)))
    assert "can’t open the preview" in text(explained)
    assert explained.select_one("#preview-link") is None, "a GET never makes a link"
    form = explained.find("form", method="post")
    assert form["action"] == link_url(page) and form.find("button", type="submit")

    before = timezone.now()
    made = html(client.post(link_url(page)))
    box = made.select_one("input#preview-link[readonly]")
    assert made.find("label", attrs={"for": "preview-link"}) is not None
    url = box["value"]
    assert url.startswith("http://testserver/api/v1/preview/?token=")
    expiry = text(made.select_one("#preview-link-expiry"))
    # Made between 23:00 and midnight, the link ends "tomorrow" (formatting: test_expiry_sentence).
    until = re.search(r"This link works for 1 hour, until (\d\d:\d\d)( tomorrow)?\.", expiry)
    expected = {}
    for minutes in (0, 1):
        ends = timezone.localtime(before + datetime.timedelta(hours=1, minutes=minutes))
        tomorrow = ends.date() > timezone.localtime(before).date()
        expected[ends.strftime("%H:%M")] = " tomorrow" if tomorrow else None
    assert until is not None, expiry
    assert until.group(1) in expected and until.group(2) == expected[until.group(1)], expiry

    client.logout()
    shown = client.get(url.removeprefix("http://testserver"))
    assert shown.status_code == 200
    assert shown.json()["title"] == "Potholes (draft)"


@pytest.mark.django_db
def test_the_web_team_can_make_links_for_any_units_page(client, world):
    sign_in(client, world, "web_team")
    assert offered(world, "web_team", "other")
    made = html(client.post(link_url(world.pages["other"])))
    assert made.select_one("input#preview-link")["value"].startswith(
        "http://testserver/api/v1/preview/?token="
    )


@pytest.mark.django_db
def test_only_editors_of_the_page_are_offered_the_button(world):
    assert offered(world, "unit_editor", "own")
    assert not offered(world, "unit_editor", "other")
    assert not offered(world, "product_owner", "own")
    assert offered(world, "web_team", "own") and offered(world, "web_team", "other")


REFUSED_TO = [
    # Signed in to the admin but may not edit the page: Wagtail's "Sorry, you do not have
    # permission" redirect to the admin home, as for its own editor.
    pytest.param("unit_editor", "other", "/admin/", id="editor of another unit"),
    pytest.param("product_owner", "own", "/admin/", id="product owner"),
    # No admin access: to the sign-in page.
    pytest.param("no_role", "own", "/admin/login/", id="signed in, no role"),
    pytest.param("anonymous", "own", "/admin/login/", id="anonymous"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role, which, goes_to", REFUSED_TO)
def test_everyone_else_is_refused_like_the_wagtail_editor_refuses_them(
    client, world, role, which, goes_to
):
    page = world.pages[which]
    sign_in(client, world, role)
    wagtail_editor = client.get(f"/admin/pages/{page.pk}/edit/")
    for response in (client.get(link_url(page)), client.post(link_url(page))):
        assert response.status_code == 302
        assert response["Location"].startswith(goes_to)
        assert response["Location"].split("?")[0] == wagtail_editor["Location"].split("?")[0]
        assert b"token=" not in response.content


@pytest.mark.django_db
def test_a_page_that_does_not_exist_is_a_404(client, world):
    sign_in(client, world, "web_team")
    assert client.get("/admin/preview-link/999999/").status_code == 404


@pytest.mark.django_db
def test_the_api_also_applies_the_delivery_unit_rule(client, world):
    """The JSON endpoint and the admin view share one rule: an editor of another unit gets no link."""
    sign_in(client, world, "unit_editor")
    assert client.post(f"/api/v1/preview/links/{world.pages['own'].pk}/").status_code == 201
    assert client.post(f"/api/v1/preview/links/{world.pages['other'].pk}/").status_code == 403


def link_made_at(local_time, hours=1):
    made = datetime.datetime.fromisoformat(local_time).replace(tzinfo=LONDON)
    return PreviewLink(url="", made_at=made, expires_at=made + datetime.timedelta(hours=hours))


@pytest.mark.parametrize(
    "made, hours, sentence",
    [
        ("2026-01-15 09:42", 1, "This link works for 1 hour, until 10:42."),
        ("2026-07-15 09:42", 1, "This link works for 1 hour, until 10:42."),  # British Summer Time
        ("2026-07-15 23:30", 1, "This link works for 1 hour, until 00:30 tomorrow."),
        ("2026-07-15 09:00", 1.5, "This link works for 1 hour, 30 minutes, until 10:30."),
        (
            "2026-07-15 09:00",
            50,
            "This link works for 2 days, 2 hours, until 11:00 on Friday 17 July.",
        ),
    ],
)
def test_expiry_in_plain_english_and_london_time(settings, made, hours, sentence):
    settings.TIME_ZONE = "Europe/London"
    with timezone.override(LONDON):
        assert " ".join(describe_expiry(link_made_at(made, hours)).split()) == sentence


def test_expiry_is_english_whatever_language_was_active():
    from django.utils import translation

    with translation.override("pl"), timezone.override(LONDON):
        sentence = " ".join(describe_expiry(link_made_at("2026-07-15 09:00", 50)).split())
    assert sentence == "This link works for 2 days, 2 hours, until 11:00 on Friday 17 July."

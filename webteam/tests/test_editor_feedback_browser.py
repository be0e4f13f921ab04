"""Editor feedback in a real browser: slow typing lets Wagtail's autosave fire, and no content-check
banner appears, then or after a reload; the Checks panel lists the saved version's findings; the
preview panel shows the page itself (it was blank while the resident pages' frame rule applied)."""

import datetime

import pytest

from core.tests.factories import TEST_PASSWORD, UserFactory
from tests.browser import DESKTOP, save_screenshot
from tests.site import fresh_home_page
from webteam.tests.factories import JargonTermFactory

JARGON_SENTENCE = " We utilise the bins."


@pytest.fixture
def world(live_server):
    from cms.models import ContentPage
    from core.models import DeliveryUnit

    home = fresh_home_page()
    # The migrations seed the jargon list; the test depends on this word being in it.
    JargonTermFactory(term="utilise", alternative="use")
    unit = DeliveryUnit.objects.get_or_create(
        slug="street-scene", defaults={"name": "Street scene"}
    )[0]
    page = home.add_child(
        instance=ContentPage(
            title="Garden waste",
            slug="garden-waste",
            summary="Brown bins for grass and leaves.",
            body=[{"type": "text", "value": "<p>We collect brown bins every other Tuesday.</p>"}],
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    page.save_revision().publish()
    editor = UserFactory(web_team=True, username="webteam")
    return live_server.url, page, editor


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def sign_in(tab, url, username):
    tab.goto(f"{url}/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{url}/admin/")


def content_check_banners(tab):
    return tab.locator(".messages").filter(has_text="Content checks").count()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_slow_typing_autosaves_without_banners_and_the_panel_shows_the_saved_checks(tab, world):
    url, page, editor = world
    sign_in(tab, url, editor.username)
    tab.goto(f"{url}/admin/pages/{page.pk}/edit/")

    summary = tab.get_by_role("textbox", name="Summary")
    summary.click()
    summary.press("End")
    autosaves = []
    tab.on(
        "response",
        lambda r: (
            autosaves.append(r)
            if r.request.method == "POST" and r.url.endswith(f"/admin/pages/{page.pk}/edit/")
            else None
        ),
    )
    for character in JARGON_SENTENCE:  # autosave waits 500 ms after the last keystroke
        summary.press_sequentially(character)
        tab.wait_for_timeout(150)
    # On a loaded machine the autosave's response can take a while: wait for it, up to 30 s.
    for _ in range(300):
        if autosaves:
            break
        tab.wait_for_timeout(100)
    assert autosaves, "Wagtail's autosave never fired"
    assert all(r.status == 200 for r in autosaves)
    assert content_check_banners(tab) == 0

    tab.get_by_role("button", name="Toggle checks").click()
    panel = tab.locator("[data-signpost-checks]")
    panel.get_by_text("Instead of \u201cutilise\u201d, try \u201cuse\u201d.").wait_for()
    save_screenshot(tab, "editor-checks-panel-after-autosave")

    tab.reload()
    assert content_check_banners(tab) == 0
    tab.get_by_role("button", name="Toggle checks").click()
    tab.locator("[data-signpost-checks]").get_by_text("Instead of \u201cutilise\u201d").wait_for()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_preview_panel_shows_the_page(tab, world):
    url, page, editor = world
    sign_in(tab, url, editor.username)
    tab.goto(f"{url}/admin/pages/{page.pk}/edit/")
    tab.locator("[data-side-panel-toggle=preview]").click()  # the "Toggle preview" button
    preview = tab.frame_locator("iframe[src*='/edit/preview/']")
    preview.get_by_text("We collect brown bins every other Tuesday.").wait_for()
    assert preview.get_by_role("heading", name="Garden waste").is_visible()
    save_screenshot(tab, "editor-preview-panel")

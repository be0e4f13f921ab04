"""The preview link for apps in a real browser: found in the page editor's actions menu, and
usable with JavaScript turned off (a plain form and a read-only text box)."""

import datetime

import pytest
from django.contrib.auth.models import User

from tests.browser import DESKTOP, save_screenshot
from tests.site import fresh_home_page


@pytest.fixture
def drafted(live_server):

    from cms.models import ContentPage
    from core.models import DeliveryUnit

    home = fresh_home_page()
    unit = DeliveryUnit.objects.get_or_create(
        slug="street-scene", defaults={"name": "Street scene"}
    )[0]
    page = home.add_child(
        instance=ContentPage(
            title="Bin days",
            slug="bin-days",
            summary="When we collect.",
            body=[],
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    page.save_revision().publish()
    page.title = "Bin days (draft)"
    page.save_revision()
    User.objects.create_superuser("editor", "editor@northbrook.example", "secret-pass")
    return live_server.url, page


@pytest.fixture
def contexts(browser):
    """Browser contexts the test opens, closed at the end: an open one keeps connections to the
    live server alive past the test, and their threads then fail in a later test."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def signed_in(browser, url, javascript, contexts):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", java_script_enabled=javascript)
    contexts.append(context)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.goto(f"{url}/admin/login/")
    tab.get_by_label("Username").fill("editor")
    tab.get_by_label("Password").fill("secret-pass")
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{url}/admin/")
    return tab


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_from_the_editor_menu_to_a_link_the_app_can_use(browser, drafted, contexts):
    url, page = drafted
    editor = signed_in(browser, url, javascript=True, contexts=contexts)
    editor.goto(f"{url}/admin/pages/{page.pk}/edit/")
    editor.get_by_role("navigation", name="Actions", exact=True).get_by_role(
        "button", name="Actions"
    ).click()
    editor.get_by_role("link", name="Get a preview link for apps").click()
    editor.wait_for_url(f"{url}/admin/preview-link/{page.pk}/")

    no_script = signed_in(browser, url, javascript=False, contexts=contexts)
    no_script.goto(f"{url}/admin/preview-link/{page.pk}/")
    no_script.get_by_role("button", name="Get a preview link").click()
    box = no_script.get_by_label("Preview link (select it and copy)")
    link = box.input_value()
    assert link.startswith(f"{url}/api/v1/preview/?token=")
    assert "This link works for 1" in no_script.locator("#preview-link-expiry").inner_text()
    save_screenshot(no_script, "preview-link-for-apps")

    app = browser.new_context()  # the headless app: no admin session, only the link
    contexts.append(app)
    assert app.request.get(link).json()["title"] == "Bin days (draft)"

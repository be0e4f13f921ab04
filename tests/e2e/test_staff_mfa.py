"""A web-team editor's second step for signing in, walked in a real browser (core/mfa.py).

Una, in the central web team, signs in with her password and is made to set up an
authenticator app before anything else in the admin opens: she types the key the page shows
into her app (here, django-otp's own RFC 6238 function fed that key), enters its code, saves
her backup codes, and reaches the dashboard. She signs out; signing in again asks for a code
after the password; a wrong one is refused in plain English; a backup code lets her in once,
and the same backup code does not work a second time.

The test settings leave the second step off (cms/settings/test.py); this walk turns it on.
"""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.permissions import CENTRAL_WEB_TEAM
from core.tests.factories import UserFactory
from core.tests.otp import app_code
from tests.e2e.conftest import check_accessibility
from tests.site import fresh_home_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long sentence for una"
WRONG = (
    "That code is not right. Enter the 6-digit code your app shows now, or one of your backup codes"
)


def sign_in_with_password(page, url):
    page.goto(url + "/admin/login/")
    page.fill("#id_username", "una")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def enter_code(page, code, button="Continue"):
    page.get_by_label("Code" if button == "Continue" else "6-digit code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def sign_out(page):
    """The admin's own way out: the account menu at the foot of the sidebar."""
    page.locator(".sidebar-footer__account").click()
    with page.expect_navigation():
        page.get_by_text("Log out", exact=True).click()
    assert "/admin/login/" in page.url


def last_step_used():
    return TOTPDevice.objects.get(user__username="una", confirmed=True).last_t


def test_web_team_editor_sets_up_and_uses_a_second_step(browser, live_server, settings):
    settings.SIGNPOST_MFA_REQUIRED = True
    fresh_home_page()
    UserFactory(
        username="una",
        first_name="Una",
        last_name="Editor",
        password=PASSWORD,
        role=CENTRAL_WEB_TEAM,
    )
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(30_000)

    # The password is not enough: she is sent to set up her app, and nothing else opens.
    sign_in_with_password(page, live_server.url)
    assert "/admin/second-step/set-up/" in page.url
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Set up a second step for signing in"
    assert page.get_by_role("img", name="QR code to add your Signpost account").is_visible()
    check_accessibility(page, "mfa-set-up")
    page.goto(live_server.url + "/admin/pages/")
    assert "/admin/second-step/set-up/" in page.url, "no other admin page until it is set up"
    page.goto(live_server.url + "/admin/")
    assert "/admin/second-step/set-up/?next=%2Fadmin%2F" in page.url

    # She cannot scan, so she types the key into her app instead.
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("#mfa-key").inner_text()
    otpauth = page.get_by_role("link", name="open the key in your app").get_attribute("href")
    assert otpauth.startswith(f"otpauth://totp/Signpost%3Auna?secret={key.replace(' ', '')}&")
    enter_code(page, "12345", button="Confirm and continue")
    assert page.title().startswith("Error:")
    assert page.get_by_role("link", name="Enter the code as 6 numbers, like 123456").is_visible()
    enter_code(page, app_code(key), button="Confirm and continue")

    # Her backup codes, shown once; then the dashboard.
    assert page.get_by_role("heading", level=1).inner_text() == "Save your backup codes"
    codes = page.locator("#backup-codes li").all_inner_texts()
    assert len(codes) == 10
    check_accessibility(page, "mfa-backup-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I have saved my backup codes: continue").click()
    assert page.url.rstrip("/").endswith("/admin")
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert "Dashboard" in page.title()

    # Signed out, both steps again: the password, then a code.
    sign_out(page)
    sign_in_with_password(page, live_server.url)
    assert "/admin/second-step/" in page.url
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Enter the code from your authenticator app"
    )
    check_accessibility(page, "mfa-verify")
    enter_code(page, "000000")
    assert page.get_by_role("alert").get_by_text(WRONG).is_visible()
    assert page.title().startswith("Error:")
    enter_code(page, app_code(key, last_step_used()))
    assert "Dashboard" in page.title()

    # Without her phone: a backup code works once, and only once.
    sign_out(page)
    sign_in_with_password(page, live_server.url)
    enter_code(page, codes[0])
    assert "Dashboard" in page.title()
    sign_out(page)
    sign_in_with_password(page, live_server.url)
    enter_code(page, codes[0])
    assert page.get_by_role("alert").get_by_text(WRONG).is_visible()
    enter_code(page, codes[1])
    assert "Dashboard" in page.title()


def test_administrator_resets_a_colleagues_second_step_from_their_user_page(
    browser, live_server, settings
):
    """Una lost her phone and her backup codes: Ada, an administrator, resets her second step
    from Una's page in Settings › Users, and Una's next sign-in sets up a new app."""
    settings.SIGNPOST_MFA_REQUIRED = True
    fresh_home_page()
    UserFactory(username="ada", first_name="Ada", last_name="Admin", is_superuser=True)
    una = UserFactory(
        username="una",
        first_name="Una",
        last_name="Editor",
        password=PASSWORD,
        role=CENTRAL_WEB_TEAM,
    )
    TOTPDevice.objects.create(user=una, name="Authenticator app", confirmed=True)

    ada = browser.new_context(locale="en-GB").new_page()
    ada.set_default_timeout(30_000)
    ada.goto(live_server.url + "/admin/login/")
    ada.fill("#id_username", "ada")
    ada.fill("#id_password", "pw")
    with ada.expect_navigation():
        ada.get_by_role("button", name="Sign in").click()
    ada.get_by_text("I cannot scan the QR code").click()
    enter_code(ada, app_code(ada.locator("#mfa-key").inner_text()), button="Confirm and continue")
    with ada.expect_navigation():
        ada.get_by_role("link", name="I have saved my backup codes: continue").click()

    ada.get_by_role("button", name="Settings").click()
    ada.get_by_role("link", name="Users").click()
    with ada.expect_navigation():
        ada.get_by_role("link", name="Una Editor").first.click()
    ada.get_by_role("button", name="Actions").click()
    with ada.expect_navigation():
        ada.get_by_role("link", name="Reset second step for signing in").click()
    assert ada.get_by_text("Una Editor set up an authenticator app on").is_visible()
    check_accessibility(ada, "mfa-reset")
    with ada.expect_navigation():
        ada.get_by_role("button", name="Reset second step").click()
    assert "second step for signing in has been reset" in ada.locator(".messages").inner_text()
    assert ada.get_by_role("button", name="Actions").count() == 1
    ada.get_by_role("button", name="Actions").click()
    assert ada.get_by_role("link", name="Reset second step for signing in").count() == 0

    una_page = browser.new_context(locale="en-GB").new_page()
    una_page.set_default_timeout(30_000)
    sign_in_with_password(una_page, live_server.url)
    assert (
        una_page.get_by_role("heading", level=1).inner_text()
        == "Set up a second step for signing in"
    )

"""Real-browser fixtures: Playwright driving Debian's Chromium (/usr/bin/chromium).

Playwright's own browser download is never used: the machine's Chromium is the browser
residents' councils test with, and CI installs it from Debian. Tests that use these
fixtures are marked ``browser``; without Chromium they are skipped with a loud reason,
unless REQUIRE_BROWSER=1 (CI), where they fail.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's live_server and ORM
# calls from the test body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "test-artifacts"

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path():
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        reason = "Chromium is not installed (apt-get install chromium): browser tests cannot run."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(browser):
    """A fresh page (own cookies) on a desktop viewport."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A fresh page on a phone-sized viewport, with touch."""
    context = browser.new_context(viewport=PHONE, locale="en-GB", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, url, username, password="pw"):
    """Sign a member of staff in at the admin's sign-in page, as they would by hand."""
    page.goto(url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def save_screenshot(page, name):
    """Write a full-page screenshot to test-artifacts/screenshots/NAME.png and return its path."""
    folder = ARTIFACTS_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(params=["phone", "desktop", "phone-no-javascript"])
def any_viewport_page(request, browser):
    """The same walk on a phone, on a desktop, and on a phone with JavaScript off (the test runs
    once for each): every page must work before, or without, its scripts."""
    if request.param.startswith("phone"):
        context = browser.new_context(
            viewport=PHONE,
            locale="en-GB",
            has_touch=True,
            is_mobile=True,
            java_script_enabled=request.param == "phone",
        )
    else:
        context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.viewport_name = request.param
    yield page
    context.close()

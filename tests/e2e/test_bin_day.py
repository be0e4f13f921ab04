"""Bin days on a phone (390×844), from the home page: a resident follows the missed-bin journey
to "Check your bin day", enters a postcode, chooses the address and reads the next collection of
each bin; with JavaScript on and off (and axe-core on what each sees). Then asks for a reminder, and the confirmation email
arrives at a real SMTP server once the worker runs."""

import io
import re
from email.header import decode_header, make_header

import pytest
from django.utils import timezone
from playwright.sync_api import expect

import bins.demo
from bins.schedule import next_collections
from eforms.models import AddressPoint
from tests.browser import save_screenshot
from tests.harness.smtp import MailSink
from tests.tasks import run_queued_tasks

from .conftest import check_accessibility, dismiss_cookie_banner

# The phone: 390×844 (the shared fixtures use a smaller one).
PHONE_390 = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_sink(settings):
    with MailSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = False
        yield sink


@pytest.fixture
def bin_council(demo_council):
    bins.demo.load(stdout=io.StringIO())
    return demo_council


@pytest.fixture(params=["javascript", "no-javascript"])
def phone(request, browser):
    context = browser.new_context(
        viewport=PHONE_390,
        locale="en-GB",
        has_touch=True,
        is_mobile=True,
        java_script_enabled=request.param == "javascript",
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.mode = request.param
    yield page
    context.close()


SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)
NOSCRIPT_TAG = re.compile(r"</?noscript\b[^>]*>", re.IGNORECASE)


def check_accessibility_as_seen(page, name):
    """axe-core on the page as this resident sees it.

    axe needs JavaScript, and its checks run on timers, which a page with JavaScript off never
    fires: ``axe.run`` there waits for ever (this walk hung without JavaScript). So the page's
    own DOM, its scripts taken out and its <noscript> parts shown, is served again at the same
    address (the same styles) to a phone that runs only axe, and checked there.
    """
    if page.mode == "javascript":
        return check_accessibility(page, name)
    html = NOSCRIPT_TAG.sub("", SCRIPT.sub("", page.content()))
    context = page.context.browser.new_context(
        viewport=PHONE_390, locale="en-GB", has_touch=True, is_mobile=True
    )
    try:
        checker = context.new_page()
        checker.set_default_timeout(30_000)
        checker.route(
            page.url,
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=html
            ),
        )
        checker.goto(page.url)
        return check_accessibility(checker, name)
    finally:
        context.close()


def follow(page, name):
    page.get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_load_state()


def test_a_resident_finds_their_bin_days_and_gets_a_reminder(bin_council, phone, mail_sink):
    page = phone
    assert page.viewport_size == {"width": 390, "height": 844}
    page.goto(bin_council + "/")
    dismiss_cookie_banner(page)
    follow(page, "I want to report something or pay for something")
    follow(page, "Report a missed bin collection")
    if page.mode == "javascript":
        follow(page, "Show all steps")
    follow(page, "Check your bin day")
    expect(page.locator("h1")).to_have_text("Check your bin collection day")

    page.get_by_role("button", name="Find address").click()
    page.wait_for_load_state()
    expect(page.locator(".sp-error-summary")).to_contain_text("Enter a postcode")
    page.get_by_label("Postcode").fill("nb1 1aa")
    page.get_by_role("button", name="Find address").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Show my bin days").click()  # nothing chosen
    page.wait_for_load_state()
    expect(page.locator(".sp-error-summary")).to_contain_text("Select your address")
    page.get_by_label("3 Mill Lane").check()
    page.get_by_role("button", name="Show my bin days").click()
    page.wait_for_load_state()

    expect(page.locator("h1")).to_have_text("Your next bin collections")
    shown = page.locator("#next-collections li").all_inner_texts()
    home = AddressPoint.objects.get(uprn="100090000002")
    expected = next_collections(home, timezone.localdate())
    assert len(shown) == len(expected) == 4
    for line, collection in zip(shown, expected, strict=True):
        assert line.startswith(collection.sentence()), (line, collection.sentence())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_accessibility_as_seen(page, f"bin-day-{page.mode}")
    save_screenshot(page, f"bin-day-phone-{page.mode}")

    ics = page.get_by_role("link", name="Download your bin days calendar (iCal)")
    assert ics.get_attribute("href") == "/bins/100090000002/calendar.ics"

    page.get_by_label("Email address").fill("robin.bins@resident.example")
    page.get_by_role("button", name="Email me reminders").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert mail_sink.recipients() == {}  # the request only wrote the outbox row

    run_queued_tasks()  # the worker
    (message,) = mail_sink.messages_to("robin.bins@resident.example")
    subject = str(make_header(decode_header(message["Subject"]))).strip()
    assert subject == "Confirm your bin collection reminders"
    body = message.get_payload(decode=True).decode()
    assert "3 Mill Lane" in body
    link = re.search(r"https?://\S+/confirm/", body).group(0)
    page.goto(bin_council + "/" + link.split("/", 3)[3])
    page.get_by_role("button", name="Start my reminders").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Your reminders are on")

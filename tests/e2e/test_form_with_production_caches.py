"""Issue 18 (part 4): a resident on a phone reports a missed bin with production's caches on.

With Redis as production has it (whole pages and their parts cached, each live form remembered
with its schema compiled, sessions read from Redis and written through to the database), the
resident starts from the home page. Part-way through, the form's bin question is reworded and
published, and Redis restarts empty. The resident's next page shows the new wording, their
answers so far are still there, and they send the report, read its reference and track it from
the home page.
"""

import pytest
import redis
from playwright.sync_api import expect

from eforms.models import FormDefinition, Submission
from tests.browser import save_screenshot

from .conftest import dismiss_cookie_banner
from .test_persona_journeys import (
    contact_details,
    expect_heading,
    follow,
    press,
    send_and_read_reference,
)

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

NEW_WORDING = "Which of your bins did we miss?"


@pytest.fixture
def production_caches(demo_council, redis_caches, settings):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return demo_council


def reword_bin_question() -> None:
    """What an editor's Publish of a reworded question saves: a new live revision."""
    form = FormDefinition.objects.get(slug="missed-bin-report", locale__language_code="en-gb")
    pages = form.pages.raw_data
    for page in pages:
        for item in page["value"].get("items", []):
            if item["value"].get("name") == "bin_type":
                item["value"]["label"] = NEW_WORDING
    form.pages = pages
    form.save_revision().publish()


def test_a_report_survives_a_republished_form_and_an_emptied_redis(
    production_caches, phone_page, redis_url
):
    url, page = production_caches, phone_page
    page.goto(url + "/")
    dismiss_cookie_banner(page)
    follow(page, "I want to report something or pay for something")
    follow(page, "Report a missed bin collection")
    follow(page, "Show all steps")
    page.get_by_role("button", name="Start now").click()
    expect_heading(page, "What is the address?")
    page.get_by_label("Postcode").fill("NB1 1AA")
    press(page, "Find address")
    page.locator("#address-uprn").select_option("100090000003")
    press(page, "Continue")
    expect_heading(page, "Which bin was missed?")

    reword_bin_question()
    redis.Redis.from_url(redis_url).flushall()
    page.reload()
    expect_heading(page, NEW_WORDING)  # the new wording, and still this resident's form
    page.get_by_label("Recycling (blue bin)").check()
    press(page, "Continue")
    page.locator("input[type=radio][value=yes]").check()
    press(page, "Continue")
    contact_details(page, "robin.cached@resident.example")
    reference = send_and_read_reference(page, "robin.cached@resident.example")
    submission = Submission.objects.get(reference=reference)
    assert submission.answers["address"]["line_1"] == "5 Mill Lane"  # answered before the restart
    assert submission.answers["bin_type"] == "recycling"
    expect(page.locator("[data-reference]")).to_have_text(reference)
    save_screenshot(page, "form-with-production-caches-confirmation")

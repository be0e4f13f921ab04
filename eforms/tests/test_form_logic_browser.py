"""In a real browser: an editor builds a route from the lists in the form editor and publishes
it; a resident on a phone who answers No reaches the exit page; when the editor then deletes
that answer, the save is refused with a message naming the route and the live form is kept."""

import datetime

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from core.models import DeliveryUnit
from eforms import builders as b
from eforms.models import FormDefinition
from tests.browser import DESKTOP, PHONE, save_screenshot
from tests.site import fresh_home_page

from .conftest import make_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROUTE = "If 'Do you get benefits?' is No → Not eligible"
REFUSAL = (
    "Route 1 on page 'Do you get benefits?' checks whether 'Do you get benefits?' is “no”, "
    "but 'Do you get benefits?' has no such answer. Choose one of its answers: Yes, Not sure."
)


@pytest.fixture
def funeral_form(live_server):
    fresh_home_page()
    unit = DeliveryUnit.objects.create(slug="benefits", name="Benefits")
    User.objects.create_superuser("editor", "editor@northbrook.example", "secret-pass")
    return make_form(
        unit,
        slug="funeral-costs",
        title="Apply for help with funeral costs",
        review_by=datetime.date(2030, 1, 1),
        pages=[
            b.page(
                "benefits",
                b.q(
                    "radios",
                    "benefits",
                    "Do you get benefits?",
                    error="Select yes or no",
                    options=b.options(("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")),
                ),
            ),
            b.contact_page(),
            b.exit_page(
                "not_eligible",
                "Not eligible",
                "<p>You cannot get help with funeral costs from the council.</p>",
            ),
        ],
    )


@pytest.fixture
def contexts(browser):
    """Browser contexts the test opens, closed at the end (an open one keeps connections to the
    live server alive past the test)."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def new_tab(browser, contexts, **options):
    context = browser.new_context(locale="en-GB", **options)
    contexts.append(context)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    return tab


def sign_in(tab, url):
    tab.goto(f"{url}/admin/login/")
    tab.get_by_label("Username").fill("editor")
    tab.get_by_label("Password").fill("secret-pass")
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{url}/admin/")


def publish(tab):
    tab.locator("footer [data-w-dropdown-target='toggle']").first.click()
    tab.locator("button[name='action-publish']").click()


def answer_benefits(tab, url, answer):
    tab.goto(f"{url}/forms/funeral-costs/")
    tab.get_by_role("button", name="Start now").click()
    tab.get_by_label(answer, exact=True).check()
    tab.get_by_role("button", name="Continue").click()


def test_a_route_built_from_the_lists_sends_no_to_the_exit_page(
    browser, live_server, funeral_form, contexts
):
    url = live_server.url
    editor = new_tab(browser, contexts, viewport=DESKTOP)
    script_errors = []
    editor.on("pageerror", lambda error: script_errors.append(str(error)))
    sign_in(editor, url)
    editor.goto(f"{url}/admin/")
    editor.get_by_role("button", name="Forms").first.click()
    editor.get_by_role("link", name="Forms").last.click()
    editor.get_by_role("link", name="Apply for help with funeral costs").click()
    edit_url = f"{url}/admin/snippets/eforms/formdefinition/edit/{funeral_form.pk}/"
    editor.wait_for_url(edit_url)

    # The first page's routes: add one, then choose each part of it from a list.
    routes = editor.locator("[data-contentpath='routes']").first
    routes.locator("button[data-streamfield-list-add]").first.click()
    question = routes.get_by_label("Question")
    expect(question).to_have_js_property("tagName", "SELECT")
    expect(question.locator("option")).to_have_text(
        ["Choose an earlier question", "Do you get benefits?"]
    )
    question.select_option(label="Do you get benefits?")
    answer = routes.get_by_label("Answer")
    expect(answer.locator("option")).to_have_text(["Choose an answer", "Yes", "No", "Not sure"])
    answer.select_option(label="No")
    go_to = routes.get_by_label("Go to")
    go_to.select_option(label="Not eligible")
    expect(routes.locator("[data-form-logic-summary]").last).to_have_text(ROUTE)
    save_screenshot(editor, "form-logic-route-from-lists")
    publish(editor)
    editor.wait_for_url(f"{url}/admin/snippets/eforms/formdefinition/")
    form = FormDefinition.objects.get(pk=funeral_form.pk)
    route = form.pages[0].value["routes"][0]
    assert (route["when"]["field"], route["when"]["value"], route["go_to"]) == (
        "benefits",
        "no",
        "not_eligible",
    )

    # The form's page in the editor says what the route does, in words.
    editor.goto(edit_url)
    assert ROUTE in editor.locator("[data-form-logic-panel]").inner_text()

    # A resident on a phone who answers No is told they are not eligible.
    resident = new_tab(browser, contexts, viewport=PHONE, has_touch=True, is_mobile=True)
    answer_benefits(resident, url, "No")
    assert resident.get_by_role("heading", level=1).inner_text() == "Not eligible"
    save_screenshot(resident, "form-logic-resident-exit-page")
    resident.get_by_role("link", name="Go back and change your answer").click()
    resident.get_by_label("Yes", exact=True).check()
    resident.get_by_role("button", name="Continue").click()
    assert resident.get_by_role("heading", level=1).inner_text() == "Your contact details"

    # The editor deletes the answer "No": the route would never fire, so the save is refused.
    options = editor.locator("[data-contentpath='options']").first
    options.locator("[data-streamfield-child]").nth(1).locator(
        "[data-streamfield-action='DELETE']"
    ).click()
    publish(editor)
    editor.wait_for_load_state()
    assert "could not be saved" in editor.locator(".messages").inner_text()
    assert REFUSAL in editor.locator("main").inner_text()
    save_screenshot(editor, "form-logic-deleted-option-refused")
    # Nothing was saved: the live form still has both answers and sends No to the exit page.
    form = FormDefinition.objects.get(pk=funeral_form.pk)
    assert [o["value"] for o in form.pages[0].value["items"][0].value["options"]] == [
        "yes",
        "no",
        "not_sure",
    ]
    another = new_tab(browser, contexts, viewport=PHONE, has_touch=True, is_mobile=True)
    answer_benefits(another, url, "No")
    assert another.get_by_role("heading", level=1).inner_text() == "Not eligible"
    assert script_errors == []

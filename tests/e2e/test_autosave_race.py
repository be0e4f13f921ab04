"""Submitting a new service while its first autosave is still on its way makes one service.

Wagtail's autosave creates the service from the create form; only its answer points the form at
the edit view. Here the browser's first autosave reaches the server (which creates the service)
but its answer is held back, as on a slow connection, while the editor finishes the form and
presses "Submit to Web team approval": the form still posts to the create view. That made a
second service (core/create_once.py explains the fix; tests/test_create_once.py the cases).
"""

import pytest

from core.models import DeliveryUnit
from core.tests.factories import UserFactory
from directory.models import Service
from directory.tests.factories import OrganizationFactory
from tests.browser import save_screenshot
from tests.e2e.test_approval_walk import choose, sign_in, submit_for_approval

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set when Wagtail's unsaved-changes watcher has taken its first look at the form: a change
# made before then is part of the "initial" form and triggers no autosave.
WATCHING = """
document.addEventListener("w-unsaved:watch-edits", () => { window.signpostWatching = true; });
"""


def test_submit_during_the_first_autosave_makes_one_service(browser, live_server):
    unit = DeliveryUnit.objects.create(slug="street-scene", name="Street scene")
    UserFactory(unit_editor=True, units=[unit], username="edna")
    OrganizationFactory(name="Northbrook Bereavement Trust")

    editor = browser.new_context(locale="en-GB").new_page()
    editor.set_default_timeout(30_000)
    editor.add_init_script(WATCHING)
    sign_in(editor, live_server.url, "edna")

    held = []

    def hold_autosave_answer(route):
        if route.request.method != "POST" or "json" not in route.request.headers.get("accept", ""):
            route.continue_()
            return
        answer = route.fetch()
        if answer.json().get("success") and not held:
            held.append((route, answer))  # the server has made the service; the page waits
        else:  # e.g. no organisation yet: the autosave is refused and tried again later
            route.fulfill(response=answer)

    add = "/admin/snippets/directory/service/add/"
    editor.route("**" + add, hold_autosave_answer)
    editor.goto(live_server.url + add)
    editor.wait_for_function("window.signpostWatching === true")
    editor.fill("#id_name", "Bereavement café")
    choose(editor, "Choose organization", "Northbrook Bereavement Trust")
    for _ in range(60):  # the autosave waits for a pause in typing
        if held:
            break
        editor.wait_for_timeout(500)
    assert held, "the admin never autosaved"
    assert Service.objects.filter(name="Bereavement café").count() == 1

    editor.fill("#id_description", "A friendly place to talk after someone dies.")
    submit_for_approval(editor)
    editor.wait_for_load_state()
    for route, answer in held:
        try:
            route.fulfill(response=answer)
        except Exception:  # the page has moved on; nobody is waiting for it any more
            pass
    save_screenshot(editor, "autosave-race-submitted")
    assert "could not be saved" not in editor.content()

    (service,) = Service.objects.filter(name="Bereavement café")
    assert not service.live
    assert service.current_workflow_state is not None
    assert service.get_latest_revision_as_object().description.startswith("A friendly place")

"""One "new service" form makes one service, however its saves cross (core/create_once.py).

Wagtail's autosave creates the service from the create form and only its answer points the form
at the edit view. A save sent before that answer arrives, the editor's "Submit" or the next
autosave, went to the create view again and made a second "Bereavement café", never reviewed.
The browser walk that found it is tests/e2e/test_approval_walk.py; the race itself, held open
in a real browser, is tests/e2e/test_autosave_race.py.
"""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.models import WorkflowState

from core.create_once import TOKEN_FIELD
from core.models import CreationClaim
from core.roles import ensure_roles
from core.tasks import prune_task_results
from core.tests.factories import DeliveryUnitFactory, UserFactory
from directory.models import Service
from directory.tests.factories import LocationFactory
from tests.test_approval_workflow import new_service_data

ADD = "/admin/snippets/directory/service/add/"
JSON = {"Accept": "application/json"}


@pytest.fixture
def editor(db):
    ensure_roles()
    unit = DeliveryUnitFactory(slug="street-scene", name="Street scene")
    return UserFactory(unit_editor=True, units=[unit], username="ed")


def token_on(client, url=ADD):
    html = client.get(url).content.decode()
    found = re.search(rf'name="{TOKEN_FIELD}" value="([0-9a-f-]+)"', html)
    assert found, f"no creation token on {url}"
    return found.group(1)


def service_form(editor, token):
    unit = editor.delivery_units.get()
    return {**new_service_data(editor, unit, LocationFactory()), TOKEN_FIELD: token}


def test_each_blank_create_form_carries_its_own_token(client, editor):
    client.force_login(editor)
    first, second = token_on(client), token_on(client)
    assert first != second
    token_on(client, "/admin/snippets/eforms/formdefinition/add/")
    token_on(client, "/admin/snippets/directory/organization/add/")


def test_submit_sent_to_the_create_view_after_an_autosave_made_the_service_submits_that_one(
    client, editor
):
    client.force_login(editor)
    data = service_form(editor, token_on(client))
    autosave = client.post(ADD, data, headers=JSON)
    assert autosave.json()["success"], autosave.content.decode()[:2000]
    (service,) = Service.objects.filter(name="Bereavement café")

    # The editor pressed "Submit" before the autosave's answer reached the page: the form
    # still posts to the create view, with the same token.
    response = client.post(ADD, {**data, "action-submit": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/snippets/directory/service/"  # as from the editor
    (again,) = Service.objects.filter(name="Bereavement café")
    assert again.pk == service.pk and not again.live
    state = again.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS


def test_a_second_autosave_to_the_create_view_saves_the_same_service_and_is_pointed_at_its_editor(
    client, editor
):
    client.force_login(editor)
    data = service_form(editor, token_on(client))
    first = client.post(ADD, data, headers=JSON).json()
    data["description"] = "A friendly place to talk, with tea."
    second = client.post(ADD, data, headers=JSON).json()
    assert second["success"] and second["pk"] == first["pk"]
    edit = f"/admin/snippets/directory/service/edit/{first['pk']}/"
    assert second["url"] == edit
    assert second["hydrate_url"] == edit + "?_w_hydrate_create_view=1"
    (service,) = Service.objects.filter(name="Bereavement café")
    latest = service.get_latest_revision_as_object()
    assert latest.description == "A friendly place to talk, with tea."


def test_a_refused_save_leaves_the_form_free_to_be_sent_again(client, editor):
    client.force_login(editor)
    data = service_form(editor, token_on(client))
    response = client.post(ADD, {**data, "owner": 999_999})  # no such unit
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Service.objects.exists()
    assert not CreationClaim.objects.exists()
    assert client.post(ADD, data).status_code == 302
    assert Service.objects.filter(name="Bereavement café").count() == 1
    assert CreationClaim.objects.get().object_id == str(Service.objects.get().pk)


def test_someone_elses_token_is_refused(client, editor):
    client.force_login(editor)
    data = service_form(editor, token_on(client))
    assert client.post(ADD, data).status_code == 302
    other = UserFactory(unit_editor=True, units=[editor.delivery_units.get()], username="jo")
    client.force_login(other)
    response = client.post(ADD, data)  # the admin's "permission denied": back to the dashboard
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert Service.objects.filter(name="Bereavement café").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_form_at_the_same_moment_make_one_service():
    """The real race: both requests in flight at once, each on its own database connection.
    The second waits for the first's transaction (the claim), then edits what it made."""
    unit = DeliveryUnitFactory(slug="street-scene", name="Street scene")
    editor = UserFactory(unit_editor=True, units=[unit], username="ed")
    client = Client()
    client.force_login(editor)
    data = service_form(editor, token_on(client))
    start = threading.Barrier(2)
    answers = []

    def save(extra, headers):
        try:
            browser = Client()
            browser.cookies = client.cookies
            start.wait()
            answers.append(browser.post(ADD, {**data, **extra}, headers=headers).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=({}, JSON)),
        threading.Thread(target=save, args=({"action-submit": "1"}, {})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # The autosave's answer depends on which came first: saved, or refused because the
    # submitted service is now with the reviewers. Either way there is one service.
    assert len(answers) == 2 and 302 in answers and 500 not in answers, answers
    assert Service.objects.filter(name="Bereavement café").count() == 1


def test_the_daily_prune_forgets_tokens_after_a_day(client, editor):
    client.force_login(editor)
    assert client.post(ADD, service_form(editor, token_on(client))).status_code == 302
    old = CreationClaim.objects.get()
    assert client.post(ADD, service_form(editor, token_on(client))).status_code == 302
    CreationClaim.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    prune_task_results.func()
    assert CreationClaim.objects.count() == 1
    assert not CreationClaim.objects.filter(pk=old.pk).exists()

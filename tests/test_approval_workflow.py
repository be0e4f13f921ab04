"""The approval workflow, end to end through the admin's own views (no browser).

A delivery-unit editor submits a page, a service or a form; the submission starts the one
workflow ("Web team approval") at its one task ("Web team review"); the web team is emailed
by the worker (never inside the request), approves or asks for changes with a comment, and the
editor is emailed back. Services are drafts until approved, so residents, search and the ORUK
API never see a half-typed one. The browser walk of the same story is
tests/e2e/test_approval_walk.py.
"""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from wagtail.models import (
    GroupApprovalTask,
    Locale,
    Page,
    TaskState,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.tests.factories import ContentPageFactory
from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, TRANSLATOR
from core.roles import TASK_NAME, WORKFLOW_NAME, ensure_roles
from core.tests.factories import DeliveryUnitFactory, UserFactory
from directory.models import Service
from directory.tests.factories import LocationFactory, OrganizationFactory, ServiceFactory
from directory.wagtail_hooks import ServiceViewSet
from eforms.models import FormDefinition
from tests.tasks import run_queued_tasks


@pytest.fixture
def people(db):
    ensure_roles()
    streets = DeliveryUnitFactory(slug="street-scene", name="Street scene")
    parking = DeliveryUnitFactory(slug="parking", name="Parking")
    return {
        "streets": streets,
        "parking": parking,
        "editor": UserFactory(unit_editor=True, units=[streets], username="ed"),
        "web": UserFactory(web_team=True, username="web"),
    }


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a request asks for on commit (the test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def form_data(form):
    """What the admin's form would post back unchanged: fields and every inline formset."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None:
            data[name] = value.pk if hasattr(value, "pk") else value
    for name, formset in form.formsets.items():
        data[f"{name}-TOTAL_FORMS"] = len(formset.forms)
        data[f"{name}-INITIAL_FORMS"] = len(formset.forms)
        data[f"{name}-MIN_NUM_FORMS"] = 0
        data[f"{name}-MAX_NUM_FORMS"] = 1000
        for index, sub in enumerate(formset.forms):
            data[f"{name}-{index}-id"] = sub.instance.pk
            for field_name in sub.fields:
                value = sub.initial.get(field_name)
                if value is not None:
                    data[f"{name}-{index}-{field_name}"] = getattr(value, "pk", value)
    return {key: value for key, value in data.items() if value not in (None, [])}


def form_errors(response):
    form = response.context["form"]
    return form.errors, {name: fs.errors for name, fs in form.formsets.items()}


def service_form_class():
    return ServiceViewSet.edit_handler.bind_to_model(Service).get_form_class()


def new_service_data(user, unit, location, **overrides):
    """A new service with one place, as an editor fills in the admin form."""
    organisation = OrganizationFactory()
    data = form_data(service_form_class()(for_user=user))
    data.update(
        {
            "name": "Bereavement café",
            "organization": organisation.pk,
            "description": "A friendly place to talk after someone dies.",
            "status": "active",
            "referral_route": "self",
            "support_level": "ongoing",
            "owner": unit.pk,
            "service_at_locations-TOTAL_FORMS": 1,
            "service_at_locations-0-location": location.pk,
            "service_at_locations-0-id": "",
        }
    )
    data.update(overrides)
    return data


# --- The workflow itself -------------------------------------------------------------------


def test_the_workflow_has_its_review_task_for_pages_forms_and_services(people):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    (link,) = WorkflowTask.objects.filter(workflow=workflow)
    task = link.task.specific
    assert isinstance(task, GroupApprovalTask) and task.name == TASK_NAME
    assert list(task.groups.values_list("name", flat=True)) == [CENTRAL_WEB_TEAM]
    assert WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow == workflow
    for model in (Service, FormDefinition):
        content_type = ContentType.objects.get_for_model(model)
        assert WorkflowContentType.objects.get(content_type=content_type).workflow == workflow
    assert ServiceFactory().get_workflow() == workflow


def test_ensure_roles_repairs_a_workflow_without_its_task_and_changes_nothing_the_second_time(
    people,
):
    WorkflowTask.objects.all().delete()  # what every site had: the link was never saved
    WorkflowContentType.objects.all().delete()
    ensure_roles()
    counts = [
        model.objects.count()
        for model in (Group, Workflow, WorkflowTask, GroupApprovalTask, WorkflowContentType)
    ]
    ensure_roles()
    assert counts == [
        model.objects.count()
        for model in (Group, Workflow, WorkflowTask, GroupApprovalTask, WorkflowContentType)
    ]
    assert WorkflowTask.objects.filter(workflow__name=WORKFLOW_NAME).count() == 1
    assert WorkflowContentType.objects.count() == 2


def test_stock_groups_are_folded_into_signpost_roles(people):
    moderator = UserFactory(username="mod")
    editor = UserFactory(username="stock-editor")
    Group.objects.get_or_create(name="Moderators")[0].user_set.add(moderator)
    Group.objects.get_or_create(name="Editors")[0].user_set.add(editor)
    ensure_roles()
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert list(moderator.groups.values_list("name", flat=True)) == [CENTRAL_WEB_TEAM]
    assert list(editor.groups.values_list("name", flat=True)) == [DELIVERY_UNIT_EDITOR]


def test_web_team_and_translators_may_translate_and_translators_may_not_publish(people):
    translator = UserFactory(role=TRANSLATOR, username="tr")
    assert people["web"].has_perm("wagtail_localize.submit_translation")
    assert translator.has_perm("wagtail_localize.submit_translation")
    assert not people["editor"].has_perm("wagtail_localize.submit_translation")
    assert not translator.has_perm("eforms.publish_formdefinition")
    assert not translator.has_perm("directory.publish_service")


def test_a_translator_changes_the_home_pages_translation_never_the_original(
    client, people, home_page
):
    """The home page has no owning unit; the translator rule still holds on it."""
    polish = Locale.objects.get_or_create(language_code="pl")[0]
    translated = home_page.copy_for_translation(polish)
    client.force_login(UserFactory(role=TRANSLATOR, username="tr"))
    refused = client.get(f"/admin/pages/{home_page.pk}/edit/", follow=True)
    assert "Sorry, you do not have permission to access this area" in refused.content.decode()
    assert client.get(f"/admin/pages/{translated.pk}/edit/").status_code == 200
    # The web team still edits the original.
    client.force_login(people["web"])
    assert client.get(f"/admin/pages/{home_page.pk}/edit/").status_code == 200


# --- Pages ---------------------------------------------------------------------------------


def test_a_page_submitted_by_an_editor_is_reviewed_by_the_web_team_by_email(
    client, people, home_page, committed
):
    page = ContentPageFactory(parent=home_page, slug="potholes", delivery_unit=people["streets"])
    page.refresh_from_db()
    client.force_login(people["editor"])
    with committed():
        response = client.post(
            f"/admin/pages/{page.pk}/edit/",
            nested_form_data(
                {
                    "title": "Report a pothole (changed)",
                    "slug": page.slug,
                    "summary": page.summary,
                    "body": streamfield([("text", rich_text("<p>Some words.</p>"))]),
                    "delivery_unit": people["streets"].pk,
                    "review_by": "2030-01-01",
                    "comments": inline_formset([]),
                    "action-submit": "1",
                }
            ),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert state.requested_by == people["editor"]
    # Nothing was sent inside the request: the worker sends it.
    assert mail.outbox == []
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [[people["web"].email]]
    assert "Report a pothole (changed)" in mail.outbox[0].subject

    # The web team sees it on their dashboard and sends it back with a comment.
    client.force_login(people["web"])
    dashboard = client.get("/admin/").content.decode()
    assert "Awaiting your review" in dashboard and "Report a pothole (changed)" in dashboard
    mail.outbox.clear()
    with committed():
        response = client.post(
            f"/admin/pages/workflow/action/{page.pk}/reject/{state.current_task_state.pk}/",
            {"comment": "Say how long repairs take."},
        )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert mail.outbox == []
    run_queued_tasks()
    (told,) = mail.outbox
    assert told.to == [people["editor"].email]
    assert "Say how long repairs take." in told.body
    page.refresh_from_db()
    assert page.title != "Report a pothole (changed)"


# --- Services ------------------------------------------------------------------------------


def test_a_new_service_is_a_draft_until_the_web_team_approves_it(
    client, people, home_page, committed
):
    location = LocationFactory(name="Northbrook Library")
    client.force_login(people["editor"])
    data = new_service_data(people["editor"], people["streets"], location)
    response = client.post("/admin/snippets/directory/service/add/", data)
    assert response.status_code == 302, form_errors(response)
    service = Service.objects.get(name="Bereavement café")
    assert not service.live
    assert [link.location for link in service.service_at_locations.all()] == [location]
    assert "Bereavement café" not in client.get("/directory/?q=bereavement").content.decode()
    assert client.get(f"/directory/services/{service.pk}/").status_code == 404
    assert client.get(f"/api/directory/services/{service.pk}").status_code == 404
    names = [s["name"] for s in client.get("/api/directory/services").json()["contents"]]
    assert "Bereavement café" not in names

    # Publishing is not the editor's to do: "publish" only saves another draft.
    edit = f"/admin/snippets/directory/service/edit/{service.pk}/"
    data = form_data(service_form_class()(instance=service, for_user=people["editor"]))
    response = client.post(edit, {**data, "action-publish": "1"})
    service.refresh_from_db()
    assert not service.live

    with committed():
        response = client.post(edit, {**data, "action-submit": "1"})
    assert response.status_code == 302
    state = service.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [[people["web"].email]]

    mail.outbox.clear()
    client.force_login(people["web"])
    with committed():
        response = client.post(
            f"/admin/snippets/directory/service/workflow/action/{service.pk}/approve/"
            f"{state.current_task_state.pk}/",
            {"comment": ""},
        )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.live
    assert client.get(f"/directory/services/{service.pk}/").status_code == 200
    names = [s["name"] for s in client.get("/api/directory/services").json()["contents"]]
    assert "Bereavement café" in names
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [[people["editor"].email]]


def test_an_editor_cannot_open_another_units_service_and_the_chooser_offers_their_units(
    client, people
):
    theirs = ServiceFactory(owner=people["parking"])
    ours = ServiceFactory(owner=people["streets"])
    client.force_login(people["editor"])
    response = client.get(f"/admin/snippets/directory/service/edit/{theirs.pk}/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(f"/admin/snippets/directory/service/edit/{ours.pk}/").status_code == 200
    form = service_form_class()(for_user=people["editor"])
    assert list(form.fields["owner"].queryset) == [people["streets"]]
    assert form.fields["owner"].required
    # Posting another unit anyway is refused, with the field named.
    location = LocationFactory()
    data = new_service_data(people["editor"], people["parking"], location)
    response = client.post("/admin/snippets/directory/service/add/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Service.objects.filter(name="Bereavement café").exists()
    # The web team's chooser offers every unit.
    form = service_form_class()(for_user=people["web"])
    assert set(form.fields["owner"].queryset) == {people["streets"], people["parking"]}


def test_an_editor_can_open_a_service_they_made_even_once_it_belongs_to_another_unit(
    client, people
):
    location = LocationFactory()
    client.force_login(people["editor"])
    data = new_service_data(people["editor"], people["streets"], location)
    assert client.post("/admin/snippets/directory/service/add/", data).status_code == 302
    service = Service.objects.get(name="Bereavement café")
    Service.objects.filter(pk=service.pk).update(owner=people["parking"])
    assert client.get(f"/admin/snippets/directory/service/edit/{service.pk}/").status_code == 200


def test_saving_again_after_an_autosave_with_an_empty_place_row_works(client, people):
    """The admin autosaved a new service whose "Where" row was still empty; Wagtail then sent
    the editor's page an id for that row, which was never stored, and every later save was
    refused ("could not be saved due to errors", no field marked)."""
    location = LocationFactory()
    client.force_login(people["editor"])
    data = new_service_data(people["editor"], people["streets"], location)
    data["service_at_locations-0-location"] = ""
    response = client.post(
        "/admin/snippets/directory/service/add/", data, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    result = response.json()
    assert result["success"]
    updates = dict(result["field_updates"])
    assert "service_at_locations-0-id" not in updates
    # The page applies the updates and carries on: the place is chosen, the editor saves.
    data.update(updates)
    data["service_at_locations-0-location"] = location.pk
    response = client.post(result["url"], data)
    assert response.status_code == 302, response.content.decode()[:3000]
    service = Service.objects.get(pk=result["pk"])
    assert [link.location for link in service.service_at_locations.all()] == [location]


def test_importers_and_factories_still_make_live_services(db):
    assert ServiceFactory().live


# --- Forms ---------------------------------------------------------------------------------


def test_an_editor_cannot_open_another_units_form(client, people):
    theirs = FormDefinition.objects.create(
        title="Parking permit", slug="permit", purpose="Apply.", delivery_unit=people["parking"]
    )
    client.force_login(people["editor"])
    response = client.get(f"/admin/snippets/eforms/formdefinition/edit/{theirs.pk}/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    listing = client.get("/admin/snippets/eforms/formdefinition/").content.decode()
    assert "Parking permit" in listing  # listed, but not theirs to change

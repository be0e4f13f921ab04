"""``manage.py load_demo``: what `make demo` runs on a fresh machine, and again on a used one.

Loading the whole demo council (three languages, the search index) is the slowest thing the
suite does, so one test loads it twice and checks everything a second run must keep: the
content unchanged, the login only when asked for, and the approval workflow working.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from pytest_django.fixtures import Settings as SettingsWrapper
from wagtail.models import Locale, Page, TaskState, WorkflowState

from core.permissions import CENTRAL_WEB_TEAM
from core.tests.factories import UserFactory
from journeys.models import JourneyPage
from tests.tasks import run_queued_tasks


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing_but_the_login_asked_for(
    client, settings: SettingsWrapper, django_capture_on_commit_callbacks
) -> None:
    users = get_user_model().objects
    settings.DEBUG = False
    out = StringIO()
    call_command("load_demo", stdout=out)
    # Issue 19: a well-known admin/admin password never appears on a real server by accident.
    assert not users.filter(username="admin").exists()
    assert "No demo login was created" in out.getvalue()
    first = Page.objects.count()
    revisions = sorted(Page.objects.values_list("pk", "latest_revision_id"))

    call_command("load_demo", "--demo-login", stdout=out)
    assert Page.objects.count() == first
    assert sorted(Page.objects.values_list("pk", "latest_revision_id")) == revisions
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.check_password("admin")
    assert "username admin, password admin" in out.getvalue()
    assert client.get("/").status_code == 200
    assert client.get("/admin/login/").status_code == 200

    # A delivery-unit editor submitting a demo page starts the web team's review.
    journey = JourneyPage.objects.live().filter(locale=Locale.get_default()).first()
    editor = UserFactory(unit_editor=True, units=[journey.delivery_unit], username="demo-editor")
    reviewer = UserFactory(web_team=True, username="demo-reviewer")
    assert reviewer.groups.get().name == CENTRAL_WEB_TEAM
    assert journey.permissions_for_user(editor).can_submit_for_moderation()
    with django_capture_on_commit_callbacks(execute=True):
        state = journey.get_workflow().start(journey, editor)
    state = WorkflowState.objects.get(pk=state.pk)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Web team review"
    mail.outbox.clear()
    run_queued_tasks()
    assert reviewer.email in [address for message in mail.outbox for address in message.to]

"""Publishing asks the background worker to drain the outbox, once per transaction.

No request drains the outbox itself any more: the commit enqueues ``search.tasks.drain_outbox``
and the worker applies it (tests/test_worker_processes.py times it with real processes).
"""

import pytest
from django.db import transaction
from wagtail.models import Page

from core.models import DeliveryUnit
from search.models import OutboxEntry
from tests.tasks import queued, run_queued_tasks

from .test_outbox import find, make_page

pytestmark = pytest.mark.django_db

DRAIN = "search.tasks.drain_outbox"


@pytest.fixture
def parent(db):
    return Page.get_first_root_node().get_children().first()


@pytest.fixture
def unit(db):
    return DeliveryUnit.objects.create(slug="parks", name="Parks")


def test_a_publish_enqueues_one_drain_and_the_worker_makes_the_page_findable(
    parent, unit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        page = make_page(parent, unit, live=False)
        page.save_revision().publish()
        assert queued(DRAIN) == 0  # not before the commit: the worker could not see the rows
    assert OutboxEntry.objects.count() >= 2
    assert queued(DRAIN) == 1
    assert find("allotments") == []  # nothing was indexed inside the editor's request

    (run,) = [row for row in run_queued_tasks() if row.task_path == DRAIN]
    assert run.return_value == {"applied": run.return_value["applied"], "waiting": 0, "error": ""}
    assert find("allotments") == [page.url]
    assert not OutboxEntry.objects.exists()


def test_a_rolled_back_publish_enqueues_nothing(parent, unit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            make_page(parent, unit)
            raise RuntimeError("the editor's save failed")
    assert queued(DRAIN) == 0

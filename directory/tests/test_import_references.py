"""An import keeps Wagtail's reference index ("Usage" in the admin) true, as one background
task per few hundred records instead of one per save."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult
from wagtail.models import ReferenceIndex

from core import references
from directory.models import Organization, Service
from directory.tests.test_import_scale import feed
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def import_feed(tmp_path, records) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(records))
    try:
        call_command("import_oruk", str(path), "--no-progress")
    except CommandError:
        pass  # the planted bad records: reported, and the rest imported


def test_an_import_queues_a_task_per_batch_and_the_usage_is_right_once_it_runs(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(references, "BATCH", 50)
    records, planted = feed(120, 40)  # three bad records among them
    import_feed(tmp_path, records)
    assert Service.objects.count() == 117

    queued = DBTaskResult.objects.all()
    paths = [row.task_path for row in queued]
    # Each service and its English words are two objects: 234, in batches of 50 (or a little
    # more: a batch goes between records). Wagtail's own task would have queued 234 rows.
    assert set(paths) == {"core.references.update_references"}
    assert 4 <= len(paths) <= 5

    run_queued_tasks()
    organization = Organization.objects.get()
    users = ReferenceIndex.get_references_to(organization)
    using = {
        str(pk)
        for pk in users.filter(base_content_type__model="service").values_list(
            "object_id", flat=True
        )
    }
    assert using == {str(pk) for pk in Service.objects.values_list("pk", flat=True)}
    assert not using & set(planted)


def test_a_record_rejected_after_its_save_leaves_no_task_failing(tmp_path):
    """A record whose second part clashes is rolled back after its service was saved: the
    batch still names it, and the task skips it rather than fail."""
    records, _ = feed(2, 1000)
    clash = records[0]["phones"][0]["id"]
    records[1]["phones"][0]["id"] = clash  # the second service's phone is the first one's
    import_feed(tmp_path, records)
    assert Service.objects.count() == 1
    ran = run_queued_tasks()
    assert [row.status for row in ran] == ["SUCCESSFUL"]


def test_a_deletion_inside_a_batch_leaves_no_usage_behind(tmp_path):
    records, _ = feed(3, 1000)
    import_feed(tmp_path, records)
    run_queued_tasks()
    organization = Organization.objects.get()
    assert ReferenceIndex.get_references_to(organization).count() == 3

    with references.batched_reference_updates():
        Service.objects.filter(pk=records[0]["id"]).delete()
    # At once, as Wagtail's own handler would have done, with no task to wait for.
    assert ReferenceIndex.get_references_to(organization).count() == 2

"""Wagtail's reference index ("Usage" in the admin), brought up to date in batches during bulk
writes.

On every save Wagtail enqueues one background task to re-read that object's references. An
import of a partner's 10,000 services saves each service and its English text, so it queued
20,000 tasks (a row each, inside every record's transaction) for the worker to pick up one by
one. ``batched_reference_updates`` holds Wagtail's per-save task off for the saves this thread
makes, notes which objects were saved, and enqueues one task per ``BATCH`` objects instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django_tasks import task
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

BATCH = 500

ObjectKey = tuple[str, str, str]


class ReferenceBatch:
    """The objects saved by one thread since the last batch was enqueued."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        self.saved: dict[ObjectKey, None] = {}  # insertion-ordered set

    def note(self, sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
        if raw or threading.get_ident() != self.thread:
            return
        if ReferenceIndex.model_is_indexable(sender):
            key = (sender._meta.app_label, sender._meta.model_name or "", str(instance.pk))
            self.saved[key] = None

    def forget(self, sender: type[Model], instance: Model, **kwargs: Any) -> None:
        """A deletion is recorded at once, as Wagtail records it (its handler is held off too)."""
        if threading.get_ident() != self.thread or not ReferenceIndex.model_is_indexable(sender):
            return
        ReferenceIndex.remove_for_object(instance)
        ReferenceIndex.remove_references_to(instance)
        self.saved.pop(
            (sender._meta.app_label, sender._meta.model_name or "", str(instance.pk)), None
        )

    def enqueue_if_full(self) -> None:
        """Call between records (outside their transactions): a rolled-back record must not
        take a batch with it."""
        if len(self.saved) >= BATCH:
            self.enqueue()

    def enqueue(self) -> None:
        if self.saved:
            update_references.enqueue([list(key) for key in self.saved])
            self.saved = {}


@contextmanager
def batched_reference_updates() -> Iterator[ReferenceBatch]:
    """Saves inside the block update the reference index in batches, in the background."""
    batch = ReferenceBatch()
    uid = f"reference-batch-{id(batch)}"
    post_save.connect(batch.note, weak=False, dispatch_uid=uid)
    post_delete.connect(batch.forget, weak=False, dispatch_uid=uid)
    try:
        with disable_reference_index_auto_update():
            yield batch
    finally:
        post_save.disconnect(dispatch_uid=uid)
        post_delete.disconnect(dispatch_uid=uid)
        batch.enqueue()


@task(priority=-5)
def update_references(objects: list[list[str]]) -> int:
    """Re-read the references of each object still there (a rejected record's were rolled
    back); returns how many were read."""
    read = 0
    for app_label, model_name, pk in objects:
        model = apps.get_model(app_label, model_name)
        if model._default_manager.filter(pk=pk).exists():
            update_reference_index_task.call(app_label, model_name, pk)
            read += 1
    return read

"""The outbox: every change the index must hear about, written with the change itself.

Signals run inside the transaction that saves or deletes the object, so the outbox entry
commits or rolls back with it. Apps whose documents depend on related objects (a service's
taxonomy, a form's fields) call ``queue(obj)`` themselves.

Each entry also asks the background worker to drain the outbox once the transaction commits
(``search.tasks.drain_outbox``); a burst of saves asks once. The request that made the change
never talks to a search engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models.signals import post_delete, post_save

from core.background import enqueue_on_commit

from .registry import registration_for

if TYPE_CHECKING:
    from django.db.models import Model

    from .models import OutboxEntry
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import OutboxEntry

DRAIN_TASK = "search.tasks.drain_outbox"

_watched: set[type[Model]] = set()


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def queue(obj: Model) -> OutboxEntry | None:
    """Ask for ``obj``'s document to be (re)built from the database at the next sync."""

    registration = registration_for(type(obj))
    if registration is None:
        return None
    entry = OutboxEntry.objects.create(
        action=OutboxEntry.INDEX,
        model_label=_label(registration.model),
        object_pk=str(obj.pk),
        document_id=registration.document_id(obj),
    )
    enqueue_on_commit(DRAIN_TASK)
    return entry


def queue_delete(model: type[Model], document_id: str) -> OutboxEntry:
    """Ask for a document to be removed from every engine at the next sync."""

    entry = OutboxEntry.objects.create(
        action=OutboxEntry.DELETE,
        model_label=_label(model),
        document_id=document_id,
    )
    enqueue_on_commit(DRAIN_TASK)
    return entry


def _saved(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: fixtures are indexed by search_rebuild
        return
    if registration_for(sender) is not None:
        queue(instance)


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    registration = registration_for(sender)
    if registration is not None:
        queue_delete(registration.model, registration.document_id(instance))


def _page_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """Publish and unpublish (Wagtail page signals)."""
    if registration_for(type(instance)) is not None:
        queue(instance)


def _page_moved(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """A move changes the URL of the page and of everything below it."""
    for page in instance.get_descendants(inclusive=True).specific().iterator():
        if registration_for(type(page)) is not None:
            queue(page)


def watch(model: type[Model]) -> None:
    """Connect the signals that keep ``model``'s documents current (called by ``register``)."""
    if model in _watched:
        return
    _watched.add(model)
    uid = f"search-outbox-{_label(model)}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid + "-save", weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid + "-delete", weak=False)

    if issubclass(model, Page):
        page_published.connect(
            _page_changed, sender=model, dispatch_uid=uid + "-publish", weak=False
        )
        page_unpublished.connect(
            _page_changed, sender=model, dispatch_uid=uid + "-unpublish", weak=False
        )
        post_page_move.connect(_page_moved, dispatch_uid="search-outbox-page-move", weak=False)

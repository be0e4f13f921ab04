"""Operations: every queue's health in one place, for /healthz and for the people who run the site.

Each app reports its own queue through its public surface: search its outbox
(``search.api.queue_state``), eforms the messages to residents and staff
(``eforms.api.notification_queue_state``), core the background task queue
(``core.health.task_queue_state``). The site puts them side by side here; /healthz answers with
them (cms/views.py), and *Reports › Operations* shows them to the web team with what needs a
person: messages Signpost gave up on, changes the search engine kept rejecting, and how each
periodic job last ran. The report's buttons only change rows; the worker does the sending and
the indexing, after the click's transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.health import task_queue_state
from core.permissions import may_run_operations
from core.scheduler import job_runs
from eforms.api import (
    failed_messages,
    notification_queue_state,
    requests_due_for_deletion,
    retry_failed_messages,
)
from search.api import parked_changes, queue_state, retry_parked

QUEUE_NAMES = {
    "search": "Search index changes",
    "notifications": "Messages to residents and staff",
    "tasks": "Background tasks",
}
QUEUES: dict[str, Callable[[], Any]] = {
    "search": queue_state,
    "notifications": notification_queue_state,
    "tasks": task_queue_state,
}


def queue_states() -> dict[str, dict[str, Any]]:
    """Each queue's report by name. A queue whose table cannot be read (a database nobody has
    migrated yet) is "degraded" with the reason, and the others still report."""
    states: dict[str, dict[str, Any]] = {}
    for name, state in QUEUES.items():
        try:
            states[name] = dict(state())
        except DatabaseError as error:
            states[name] = {
                "status": "degraded",
                "detail": f"could not be read ({type(error).__name__})",
            }
    return states


def report_path() -> str:
    """Where the report is, for links to it (the alert that a message failed)."""
    return reverse("operations_report")


def _require(request: HttpRequest) -> None:
    if not may_run_operations(request.user):
        raise PermissionDenied


def operations_report(request: HttpRequest) -> HttpResponse:
    """The queues, what failed and the schedule, in plain words."""
    _require(request)
    queues = [
        {
            "key": key,
            "name": QUEUE_NAMES[key],
            "depth": state.get("depth"),
            "oldest_age_words": in_words(state.get("oldest_age_seconds")),
            "limit_words": in_words(state.get("max_age_seconds")),
            **state,
        }
        for key, state in queue_states().items()
    ]
    return render(
        request,
        "cms/admin/operations.html",
        {
            "queues": queues,
            "failed": failed_messages(),
            "parked": parked_changes(),
            "jobs": job_runs(),
            "due_for_deletion": requests_due_for_deletion(),
        },
    )


def in_words(seconds: float | None) -> str:
    """45 seconds, 12 minutes, 3 hours, 2 days: roughly, as a person would say it ("" for None)."""
    if seconds is None:
        return ""
    whole = int(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if whole >= size:
            return _count(whole // size, unit, f"{unit}s")
    return _count(whole, "second", "seconds")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


@require_POST
def retry_message(request: HttpRequest, message_id: int) -> HttpResponse:
    """Send one failed message again."""
    _require(request)
    with transaction.atomic():
        retried = retry_failed_messages([message_id])
    if retried:
        messages.success(request, "The message is back in the queue and will be sent shortly.")
    else:
        messages.warning(request, "That message is no longer waiting to be sent again.")
    return redirect("operations_report")


@require_POST
def retry_all_messages(request: HttpRequest) -> HttpResponse:
    """Send every failed message again."""
    _require(request)
    with transaction.atomic():
        retried = retry_failed_messages()
    if retried:
        messages.success(
            request,
            f"{_count(retried, 'message is', 'messages are')} back in the queue and will be sent shortly.",
        )
    else:
        messages.warning(request, "No failed messages to send again.")
    return redirect("operations_report")


@require_POST
def retry_parked_changes(request: HttpRequest) -> HttpResponse:
    """Give every parked search change another go."""
    _require(request)
    with transaction.atomic():
        retried = retry_parked()
    if retried:
        messages.success(
            request,
            f"{_count(retried, 'search change', 'search changes')} will be tried again shortly.",
        )
    else:
        messages.warning(request, "No parked search changes to try again.")
    return redirect("operations_report")

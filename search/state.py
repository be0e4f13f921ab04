"""The search sync's one-row record (``SyncState``): its last error, since when it has been
failing, and the indices a failed rebuild left for later deletion.

Every function here is a small read or write of that row, so the sync can call them on every
pass; none raises for a missing row (the first write creates it).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from .models import SyncState

STATE_ID = 1


def current() -> SyncState:
    """The row as it is now (unsaved defaults when the sync has never recorded anything)."""
    return SyncState.objects.filter(pk=STATE_ID).first() or SyncState(pk=STATE_ID)


def record_failure(error: str) -> None:
    """A pass could not write: remember why and when, and since when this has been going on."""
    now = timezone.now()
    state = current()
    state.last_error, state.last_error_at = error[:2000], now
    state.failing_since = state.failing_since or now
    state.save()


def record_rejection(error: str) -> None:
    """Some documents were rejected while the rest were written: an error, but not a failing sync."""
    state = current()
    state.last_error, state.last_error_at = error[:2000], timezone.now()
    state.save()


def record_success(applied: int) -> None:
    """A pass wrote what it had: the run of failures (if any) is over.

    Written only when something changed (changes applied, or a failure to clear), so an idle
    loop does not write to the database every couple of seconds.
    """
    now = timezone.now()
    if applied:
        SyncState.objects.update_or_create(
            pk=STATE_ID, defaults={"last_success_at": now, "failing_since": None}
        )
    else:
        SyncState.objects.filter(pk=STATE_ID, failing_since__isnull=False).update(
            failing_since=None, last_success_at=now
        )


def orphans() -> list[str]:
    """Indices waiting to be deleted (see ``SyncState.orphan_indices``)."""
    found = SyncState.objects.filter(pk=STATE_ID).values_list("orphan_indices", flat=True).first()
    return [str(name) for name in found or []]


def remember_orphans(names: Iterable[str]) -> None:
    state = current()
    state.orphan_indices = sorted({*state.orphan_indices, *names})
    state.save()


def forget_orphans(names: Iterable[str]) -> None:
    gone = set(names)
    state = current()
    if gone & set(state.orphan_indices):
        state.orphan_indices = [name for name in state.orphan_indices if name not in gone]
        state.save()

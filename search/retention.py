"""How long search keeps what residents typed: ``SEARCH_LOG_RETENTION_DAYS``.

Queries are redacted before they are stored (``search.text.redact``), but no pattern catches
every way a person can write about themselves, so the log is not kept forever either. The
worker's daily ``search-log-purge`` job deletes searches (with their clicks) and "tell us what
you were looking for" messages older than the retention period; ``manage.py search_purge_logs``
does the same by hand. A period of 0 keeps them for ever (a council that purges on its own).
"""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import QueryLog, SearchClick, SearchFeedback

DEFAULT_RETENTION_DAYS = 365
BATCH_SIZE = 5000


def retention_days() -> int:
    days: int = getattr(settings, "SEARCH_LOG_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    return days


def cutoff(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The moment before which logs are deleted, or None when they are kept for ever."""
    days = retention_days()
    if days <= 0:
        return None
    return (now or timezone.now()) - datetime.timedelta(days=days)


def expired(now: datetime.datetime | None = None) -> tuple[int, int]:
    """(searches, feedback messages) that a purge at ``now`` would delete."""
    before = cutoff(now)
    if before is None:
        return 0, 0
    return (
        QueryLog.objects.filter(searched_on__lt=timezone.localdate(before)).count(),
        SearchFeedback.objects.filter(created_at__lt=before).count(),
    )


def purge(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete searches and feedback older than the retention period: how many of each went.

    In batches, so a first purge of a year's log never holds one long transaction; clicks go
    with their search.
    """
    before = cutoff(now)
    if before is None:
        return 0, 0
    searches = 0
    old = QueryLog.objects.filter(searched_on__lt=timezone.localdate(before))
    while ids := list(old.values_list("pk", flat=True)[:BATCH_SIZE]):
        SearchClick.objects.filter(log_id__in=ids).delete()
        searches += QueryLog.objects.filter(pk__in=ids).delete()[1].get(QueryLog._meta.label, 0)
    feedback, _counts = SearchFeedback.objects.filter(created_at__lt=before).delete()
    return searches, feedback

"""The audit trail: one call for every app that shows, hands out, changes or erases residents' data.

Apps call ``record`` from their staff views (the inbox opening a request, a file download, the
CSV export with its row count, a status change or note, a subject access export, an erasure).
The entry names the member of staff, the client address (``core.ratelimit.client_address``, so
behind a proxy it is the real one) and what it was about, never the resident's answers.
Entries are append-only (``core.models.AuditEntry``) and leave only by age: ``prune``, run daily
by the worker, deletes those older than ``SIGNPOST_AUDIT_KEEP_DAYS`` (two years by default).
"""

import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from .logs import mask_email_addresses
from .models import AuditEntry
from .ratelimit import client_address

DEFAULT_KEEP_DAYS = 365 * 2


def record(
    request: HttpRequest,
    action: str,
    subject: str,
    *,
    detail: str = "",
    row_count: int | None = None,
) -> AuditEntry:
    """Append one entry for what the signed-in member of staff just did.

    Email addresses in ``subject`` or ``detail`` are masked, so the trail never becomes another
    copy of a resident's contact details.
    """
    user = request.user if request.user.is_authenticated else None
    return AuditEntry.objects.create(
        user=user,
        username=user.get_username() if user is not None else "",
        action=action,
        subject=mask_email_addresses(subject)[:200],
        detail=mask_email_addresses(detail)[:500],
        row_count=row_count,
        client_address=client_address(request)[:45],
    )


def keep_days() -> int:
    """How long entries are kept (``SIGNPOST_AUDIT_KEEP_DAYS``)."""
    return int(getattr(settings, "SIGNPOST_AUDIT_KEEP_DAYS", DEFAULT_KEEP_DAYS))


def prune(now: datetime.datetime | None = None) -> int:
    """Delete entries older than the audit retention period; how many went.

    The queryset's delete bypasses ``AuditEntry.delete`` on purpose: age is the only way out.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days())
    deleted, _ = AuditEntry.objects.filter(at__lt=cutoff).delete()
    return deleted

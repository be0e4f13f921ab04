"""Residents' problem reports on listings: how long they are kept, and what is held about an
email address (subject access and erasure, core/privacy.py).

A report holds what the resident told us and, if they asked for a reply, their email address.
It is needed while staff check the listing; ``DIRECTORY_PROBLEM_KEEP_DAYS`` after it was
resolved (or, if nobody resolved it, after it was made) the nightly ``purge_problem_reports``
deletes it. The emails about it are in the e-forms outbox, which purges its own.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.privacy import Erasure, Export, Holding, PersonalDataSource

from .models import ListingProblem

DEFAULT_KEEP_DAYS = 365


def keep_days() -> int:
    return int(getattr(settings, "DIRECTORY_PROBLEM_KEEP_DAYS", DEFAULT_KEEP_DAYS))


def purge(now: datetime.datetime | None = None) -> int:
    """Delete problem reports past retention; how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days())
    deleted, _ = ListingProblem.objects.filter(
        Q(resolved_at__lt=cutoff) | Q(resolved_at__isnull=True, created_at__lt=cutoff)
    ).delete()
    return deleted


def _reports(email: str):  # type: ignore[no-untyped-def]
    return ListingProblem.objects.filter(reporter_email__iexact=email).select_related("service")


def find(email: str) -> list[Holding]:
    return [
        Holding(
            "Problem report",
            f"{report.get_kind_display()}: {report.service.name} ({report.get_status_display()})",
            report.created_at,
        )
        for report in _reports(email)
    ]


def export(email: str) -> Export:
    return Export(
        records=[
            {
                "type": "problem report",
                "listing": report.service.name,
                "what is wrong": report.get_kind_display(),
                "details": report.details,
                "email": report.reporter_email,
                "status": report.status,
                "made_at": report.created_at,
                "resolved_at": report.resolved_at,
            }
            for report in _reports(email)
        ]
    )


def erase(email: str) -> Erasure:
    deleted, _ = _reports(email).delete()
    return Erasure(deleted)


SOURCE = PersonalDataSource(
    name="directory", label="Problem reports on listings", find=find, export=export, erase=erase
)

"""Page feedback ("Is this page useful?"): how long it is kept, and finding an address in it.

Comments are masked as they are stored (``backlog.masking``), so an address a resident typed is
normally not there at all; comments kept from before masking may still hold one, so subject
access and erasure (core/privacy.py) look for it in the words. ``BACKLOG_FEEDBACK_KEEP_DAYS``
after it was given, the nightly ``purge_page_feedback`` deletes an answer and its comment.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from core.privacy import Erasure, Export, Holding, PersonalDataSource

from .models import PageFeedback

DEFAULT_KEEP_DAYS = 365 * 2


def keep_days() -> int:
    return int(getattr(settings, "BACKLOG_FEEDBACK_KEEP_DAYS", DEFAULT_KEEP_DAYS))


def purge(now: datetime.datetime | None = None) -> int:
    """Delete page feedback older than the retention period; how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days())
    deleted, _ = PageFeedback.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _mentioning(email: str):  # type: ignore[no-untyped-def]
    return PageFeedback.objects.filter(comment__icontains=email)


def find(email: str) -> list[Holding]:
    return [
        Holding("Page feedback", f"A comment on page {feedback.page_id}", feedback.created_at)
        for feedback in _mentioning(email)
    ]


def export(email: str) -> Export:
    return Export(
        records=[
            {
                "type": "page feedback",
                "page": feedback.page_id,
                "useful": feedback.useful,
                "comment": feedback.comment,
                "at": feedback.created_at,
            }
            for feedback in _mentioning(email)
        ]
    )


def erase(email: str) -> Erasure:
    deleted, _ = _mentioning(email).delete()
    return Erasure(deleted)


SOURCE = PersonalDataSource(
    name="backlog", label="Page feedback", find=find, export=export, erase=erase
)

"""Page feedback: \u201cIs this page useful?\u201d, rate limited without keeping anyone's IP address."""

from django.conf import settings
from django.db import transaction

from core.ratelimit import RateLimit, client_address

from .masking import mask_personal_data
from .models import PageFeedback

COMMENT_MAX_LENGTH = 1200


def _limit():
    return getattr(settings, "SIGNPOST_FEEDBACK_RATE_LIMIT", (10, 3600))  # (answers, seconds)


client_ip = client_address  # the name the personas views use


def allow(ip):
    """True when this address may send another answer now (and counts this one)."""
    limit, window = _limit()
    return RateLimit("feedback", limit, window).hit(ip)


@transaction.atomic
def record(page, useful, comment=""):
    return PageFeedback.objects.create(
        page=page, useful=useful, comment=mask_personal_data(comment.strip())[:COMMENT_MAX_LENGTH]
    )

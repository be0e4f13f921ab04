"""Page feedback: \u201cIs this page useful?\u201d, rate limited without keeping anyone's IP address."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .masking import mask_personal_data
from .models import PageFeedback

COMMENT_MAX_LENGTH = 1200


def _limit():
    return getattr(settings, "SIGNPOST_FEEDBACK_RATE_LIMIT", (10, 3600))  # (answers, seconds)


def _rate_key(ip):
    """A one-way hash of the IP address, salted with the secret key: used only as a cache key."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()
    return f"personas:feedback:{digest[:32]}"


def client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


def allow(ip):
    """True when this address may send another answer now (and counts this one)."""
    limit, window = _limit()
    key = _rate_key(ip)
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return True
    return count <= limit


@transaction.atomic
def record(page, useful, comment=""):
    return PageFeedback.objects.create(
        page=page, useful=useful, comment=mask_personal_data(comment.strip())[:COMMENT_MAX_LENGTH]
    )

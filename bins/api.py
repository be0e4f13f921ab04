"""What other apps may ask of bins. Keep this small: it is bins' public surface."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from eforms.models import AddressPoint

from .schedule import Collection, collected_on, next_collections

__all__ = ["Collection", "check_url", "collections_today", "next_collections_at"]


def check_url() -> str:
    """The "Check your bin day" page, in the active language."""
    return reverse("bins:check")


def next_collections_at(uprn: str, today: datetime.date | None = None) -> list[Collection]:
    """The next collection of each bin at an address; empty for an address we do not know."""
    address = AddressPoint.objects.filter(uprn=uprn).first()
    if address is None:
        return []
    return next_collections(address, today or timezone.localdate())


def collections_today(uprn: str, today: datetime.date | None = None) -> list[Collection]:
    """The bins due at an address today (after any bank-holiday change)."""
    address = AddressPoint.objects.filter(uprn=uprn).first()
    if address is None:
        return []
    return collected_on(address, today or timezone.localdate())

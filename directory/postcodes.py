"""Where a UK postcode is: its centre, from the postcode table (``manage.py import_postcodes``).

Tidying postcodes and measuring distances needs no table and is shared by every app, so it lives
in ``core.geo``.
"""

from core.geo import normalise_postcode

from .models import Postcode


def locate_postcode(postcode: str | None) -> tuple[float, float] | None:
    """The (latitude, longitude) of a postcode's centre, or None when unknown or malformed."""

    normalised = normalise_postcode(postcode)
    if normalised is None:
        return None
    row = Postcode.objects.filter(postcode=normalised).values_list("latitude", "longitude").first()
    return tuple(row) if row else None

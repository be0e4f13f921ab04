"""Where a UK postcode is: its centre, from the postcode table (``manage.py import_postcodes``).

Tidying postcodes and measuring distances needs no table and is shared by every app, so it lives
in ``core.geo``. A district ("NB2") or sector ("NB2 4") is placed at the mean of the centres of
the postcodes in it (``PostcodeArea``), worked out once whenever postcodes are loaded.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from core.geo import is_full_postcode, normalise_postcode, normalise_postcode_area

from .models import Postcode, PostcodeArea

BATCH = 5000


def locate_postcode(postcode: str | None) -> tuple[float, float] | None:
    """The (latitude, longitude) of a postcode's centre, or None when unknown or malformed."""

    normalised = normalise_postcode(postcode)
    if normalised is None:
        return None
    row = Postcode.objects.filter(postcode=normalised).values_list("latitude", "longitude").first()
    return tuple(row) if row else None


def locate_place(text: str | None) -> tuple[float, float] | None:
    """The middle of a full postcode, a sector or a district; None when unknown or malformed."""

    place = normalise_postcode_area(text)
    if place is None:
        return None
    if is_full_postcode(place):
        return locate_postcode(place)
    row = PostcodeArea.objects.filter(code=place).values_list("latitude", "longitude").first()
    return tuple(row) if row else None


def area_codes(postcode: str) -> tuple[str, str]:
    """ "NB2 4AA" -> ("NB2", "NB2 4"): the district and sector a full postcode is in."""
    outward, inward = postcode.split(" ")
    return outward, f"{outward} {inward[0]}"


def area_centres(rows: Iterable[tuple[str, float, float]]) -> list[PostcodeArea]:
    """Districts and sectors, each at the mean of its postcodes' centres."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for postcode, latitude, longitude in rows:
        if not is_full_postcode(postcode):
            continue
        for code in area_codes(postcode):
            total = sums[code]
            total[0] += latitude
            total[1] += longitude
            total[2] += 1
    return [
        PostcodeArea(code=code, latitude=lat / count, longitude=lon / count, postcodes=int(count))
        for code, (lat, lon, count) in sorted(sums.items())
    ]


def rebuild_areas() -> int:
    """Work out every district's and sector's middle again from the postcode table."""
    rows = Postcode.objects.values_list("postcode", "latitude", "longitude").iterator(
        chunk_size=BATCH
    )
    areas = area_centres(rows)
    with transaction.atomic():
        PostcodeArea.objects.all().delete()
        PostcodeArea.objects.bulk_create(areas, batch_size=BATCH)
    return len(areas)

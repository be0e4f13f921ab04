"""UK postcodes: tidy what residents type, find a postcode's centre, and measure distances.

Looking a postcode up needs the postcode table (``manage.py import_postcodes``); tidying and
checking its shape needs nothing.
"""

import math
import re

# Outward code (area + district) then inward code (sector + unit), e.g. "NB1 1AA", "SW1A 2AA".
POSTCODE_SHAPE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")

EARTH_RADIUS_KM = 6371.0088


def normalise_postcode(text):
    """Return the postcode in its standard form ("NB1 1AA"), or None when it can't be one."""
    if not text:
        return None
    compact = re.sub(r"[\s\-]", "", str(text)).upper()
    match = POSTCODE_SHAPE.match(compact)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def locate_postcode(postcode):
    """The (latitude, longitude) of a postcode's centre, or None when unknown or malformed."""
    from .models import Postcode

    normalised = normalise_postcode(postcode)
    if normalised is None:
        return None
    row = Postcode.objects.filter(postcode=normalised).values_list("latitude", "longitude").first()
    return tuple(row) if row else None


def haversine_km(a, b):
    """Great-circle distance in kilometres between two (latitude, longitude) points."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def bounding_box(point, radius_km):
    """A (min_lat, max_lat, min_lon, max_lon) box that contains every point within radius_km.

    Used to let the database discard far-away locations before the exact distance is computed.
    """
    lat, lon = point
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat))
    return (lat - dlat, lat + dlat, lon - dlon, lon + dlon)

"""UK postcodes and distances on the earth, written once for every app.

Residents type postcodes into directory searches, e-forms and the search box; each of those used
to tidy them its own way, so "NB1-1AA" was found by one and refused by the others. Distances were
measured three ways too, with three earth radii. Everything here is pure (no database, no Django),
so any app may import it; finding where a postcode *is* needs the postcode table and stays in
``directory.postcodes``.

What counts as a postcode is its shape only: an outward code (area letters and district, e.g.
"NB1", "SW1A") then an inward code (sector digit and two unit letters, e.g. "1AA"). Royal Mail's
finer letter rules (no Q, V or X first, no C, I, K, M, O or V in the unit...) are not enforced:
whether a postcode exists is the postcode table's question, and a shape check that rejects real
or demo postcodes (the demo council's "NB" area, "NB7 8ML") would be worse than one that lets a
typo through to "We can't find that postcode". The one non-standard postcode still in use, Girobank's
"GIR 0AA", is accepted. BFPO numbers ("BFPO 123") are not postcodes and are refused; forces
addresses also have ordinary "BF1" postcodes, which are accepted.

Residents looking for somewhere near them often type only the first part of their postcode
("NB2"), or the first part and a digit ("NB2 4"), because they don't want to give their address
or don't remember it. ``normalise_postcode_area`` accepts those too, as a postcode district or
sector whose middle ``directory.postcodes.locate_place`` finds; forms that need an address keep
``normalise_postcode``, which accepts full postcodes only.
"""

import math
import re

# The IUGG mean radius of the earth. Any one radius is an approximation of the ellipsoid
# (distances are good to about 0.5%); what matters is that every app uses the same one, so a
# service "2.0 km away" in the directory is not "2.1 km away" in search.
EARTH_RADIUS_KM = 6371.0088

# What residents put between the parts: spaces of any kind, hyphens and the dashes that phones
# substitute for them.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")

# Outward code: one or two area letters, a district digit, then an optional digit or letter
# (A9, A99, AA9, AA99, A9A, AA9A). Inward code: a sector digit and two unit letters.
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
_GIROBANK = ("GIR", "0AA")
_OUTWARD = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
# A sector typed without a space ("NB24A"): district, sector digit, perhaps one unit letter.
_COMPACT_SECTOR = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9])[A-Z]?")
_SECTOR_PART = re.compile(r"([0-9])[A-Z]?")


def normalise_postcode(text: object) -> str | None:
    """The postcode in its standard form ("NB1 1AA"), or None when ``text`` can't be one.

    Case, spaces and hyphens are forgiven because residents type "nb11aa" and "NB1-1AA" and mean
    "NB1 1AA"; anything else (letters where a digit must be, a missing inward code) is refused so
    the caller can say so next to the field.
    """
    if text is None:
        return None
    compact = _SEPARATORS.sub("", str(text)).upper()
    if (compact[:3], compact[3:]) == _GIROBANK:
        return " ".join(_GIROBANK)
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def normalise_postcode_area(text: object) -> str | None:
    """A full postcode ("NB1 1AA"), a sector ("NB2 4") or a district ("NB2"), or None.

    A full postcode comes back as ``normalise_postcode`` gives it. Otherwise the outward code
    alone is a district, and the outward code with the sector digit is a sector; one letter of
    the unit after it ("NB2 4A") is forgiven and dropped, since a sector is the nearest place it
    can name. Without a space, a run like "NB24" is read as the district NB24 (districts may
    have two digits), never as a sector.
    """
    full = normalise_postcode(text)
    if full is not None:
        return full
    if text is None:
        return None
    parts = [part for part in _SEPARATORS.split(str(text).upper()) if part]
    if len(parts) == 1:
        if _OUTWARD.fullmatch(parts[0]):
            return parts[0]
        match = _COMPACT_SECTOR.fullmatch(parts[0])
        return f"{match.group(1)} {match.group(2)}" if match else None
    if len(parts) == 2 and _OUTWARD.fullmatch(parts[0]):
        match = _SECTOR_PART.fullmatch(parts[1])
        return f"{parts[0]} {match.group(1)}" if match else None
    return None


def is_full_postcode(text: str) -> bool:
    """True for a full postcode as the normalisers write it ("NB1 1AA"), not a district or sector."""
    return normalise_postcode(text) == text


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance in kilometres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    # Rounding can push h a hair above 1 for points on opposite sides of the earth.
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def bounding_box(point: tuple[float, float], radius_km: float) -> tuple[float, float, float, float]:
    """A (min_lat, max_lat, min_lon, max_lon) box holding every point within radius_km of point.

    It lets the database discard far-away rows with an indexable range filter before the exact
    distance is computed, so it must never be too small. The widest longitude of a circle on a
    sphere is reached north or south of its centre, and is a little more than radius / (R cos lat);
    using the exact value keeps places on the circle's edge inside. Near a pole the circle may
    take in every longitude. Longitudes are not wrapped at ±180° (the UK is nowhere near it).
    """
    lat, lon = point
    angle = radius_km / EARTH_RADIUS_KM  # the radius as an angle at the earth's centre
    dlat = math.degrees(angle)
    spread = math.sin(min(angle, math.pi / 2)) / max(math.cos(math.radians(lat)), 1e-12)
    dlon = 180.0 if spread >= 1 else math.degrees(math.asin(spread))
    return (lat - dlat, lat + dlat, lon - dlon, lon + dlon)

"""The map on location questions: what it needs, the places a resident can search for, and the
words a pin is described in.

The map is an enhancement. Every location question can be answered by describing the place in
words, with or without JavaScript; when JavaScript and Leaflet load, a map lets the resident put
a pin on the place, and a street or postcode search moves the map there. Residents never see
coordinates: a pin is "Pin placed near 12 Mill Lane" (the nearest known address) or "Pin placed
on the map". Staff see the coordinates and a link to the point on a map.

Where a postcode is belongs to the directory (its postcode table), on the same floor as eforms:
the site hands over a function (``register_postcode_locator``, see ``CmsConfig.ready``). Streets
and addresses are eforms' own ``AddressPoint`` rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from core.geo import distance_km, normalise_postcode

from .models import AddressPoint

# The UK as a box, for a pin when the council's area is not configured.
UK_BOUNDS = (49.8, -8.7, 60.9, 1.8)  # south, west, north, east
UK_CENTRE = (54.5, -3.0)
# How far the nearest known address may be for a pin to be "near" it.
NEAR_METRES = 100
# How many places a search offers; a longer query is refused.
MAX_PLACES = 5
MAX_QUERY = 100

Locator = Callable[[str], tuple[float, float] | None]
_postcode_locator: Locator | None = None


def register_postcode_locator(locator: Locator) -> None:
    """``locator(postcode) -> (latitude, longitude) | None``; the last registration wins."""
    global _postcode_locator
    _postcode_locator = locator


@dataclass(frozen=True)
class Place:
    name: str  # in residents' words: "Mill Lane, Northbrook", "NB1 1AA"
    latitude: float
    longitude: float

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "latitude": self.latitude, "longitude": self.longitude}


class PlaceQueryError(ValueError):
    """A search that cannot be run, with the message the resident reads."""


def area_bounds() -> tuple[float, float, float, float]:
    """The council's area as (south, west, north, east); the UK when it is not configured."""
    return getattr(settings, "SIGNPOST_MAP_BOUNDS", None) or UK_BOUNDS


def in_area(latitude: float, longitude: float) -> bool:
    south, west, north, east = area_bounds()
    return south <= latitude <= north and west <= longitude <= east


def area_configured() -> bool:
    return bool(getattr(settings, "SIGNPOST_MAP_BOUNDS", None))


def leaflet_installed() -> bool:
    """Leaflet is in node_modules (``make install`` runs ``npm ci`` when npm is there)."""
    dist = getattr(settings, "LEAFLET_DIST", None)
    return dist is not None and (Path(dist) / "leaflet.js").is_file()


def map_options() -> dict[str, object] | None:
    """What the map script needs, or None when there is no map (no Leaflet or no tiles)."""
    tiles = getattr(settings, "SIGNPOST_MAP_TILE_URL", "")
    if not tiles or not leaflet_installed():
        return None
    centre = getattr(settings, "SIGNPOST_MAP_CENTRE", None)
    zoom = 16
    if centre is None:
        south, west, north, east = area_bounds()
        centre = ((south + north) / 2, (west + east) / 2) if area_configured() else UK_CENTRE
        zoom = 13 if area_configured() else 5
    return {
        "tiles": tiles,
        "attribution": getattr(settings, "SIGNPOST_MAP_ATTRIBUTION", ""),
        "centre": f"{centre[0]},{centre[1]}",
        "zoom": zoom,
        "bounds": ",".join(str(n) for n in area_bounds()) if area_configured() else "",
    }


def _title(text: str) -> str:
    """ "MILL LANE" -> "Mill Lane": gazetteer streets are in capitals."""
    return text.title() if text.isupper() else text


def _postcode_place(postcode: str) -> Place | None:
    found = _postcode_locator(postcode) if _postcode_locator is not None else None
    if found is None:
        # Without the postcode table, the middle of the known addresses with that postcode.
        points = [
            (lat, lng)
            for lat, lng in AddressPoint.objects.filter(postcode=postcode).values_list(
                "latitude", "longitude"
            )
            if lat is not None and lng is not None
        ]
        if not points:
            return None
        found = (
            sum(lat for lat, _lng in points) / len(points),
            sum(lng for _lat, lng in points) / len(points),
        )
    return Place(postcode, round(found[0], 6), round(found[1], 6))


def _street_places(text: str) -> list[Place]:
    """Addresses whose first line holds the words ("12 High Street"), then streets ("Mill Lane")."""
    words = " ".join(re.sub(r"[^\w\s'-]", " ", text).split())
    if not words:
        return []
    located = AddressPoint.objects.filter(latitude__isnull=False, longitude__isnull=False)
    places: list[Place] = []
    if any(ch.isdigit() for ch in words):
        for point in located.filter(line_1__icontains=words).order_by("line_1")[:MAX_PLACES]:
            if point.latitude is not None and point.longitude is not None:  # filtered; for mypy
                places.append(
                    Place(f"{point.line_1}, {point.town}", point.latitude, point.longitude)
                )
    streets: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for street, town, lat, lng in located.filter(street__icontains=words).values_list(
        "street", "town", "latitude", "longitude"
    ):
        if lat is not None and lng is not None:  # filtered above; for mypy
            streets.setdefault((street, town), []).append((lat, lng))
    for (street, town), points in sorted(streets.items()):
        points.sort()
        middle = points[len(points) // 2]  # a real point on the street, not an average off it
        places.append(Place(f"{_title(street)}, {town}", middle[0], middle[1]))
    return places[:MAX_PLACES]


def find_places(query: object) -> tuple[list[Place], str]:
    """The places a search names, and a message for the resident when there are none.

    Raises PlaceQueryError for a search that cannot be run (empty, too long).
    """
    text = " ".join(str(query or "").split())
    if not text:
        raise PlaceQueryError(_("Enter a street name or postcode"))
    if len(text) > MAX_QUERY:
        raise PlaceQueryError(_("Enter a street name or postcode of 100 characters or fewer"))
    postcode = normalise_postcode(text)
    if postcode is not None:
        place = _postcode_place(postcode)
        if place is None:
            return [], _("We could not find that postcode. Check it, or describe where it is.")
        if not in_area(place.latitude, place.longitude):
            return [], _("That postcode is outside our area. Check it, or describe where it is.")
        return [place], ""
    places = [p for p in _street_places(text) if in_area(p.latitude, p.longitude)]
    if not places:
        return [], _("We could not find that street. Check the spelling, or describe where it is.")
    return places, ""


def nearest_address(latitude: float, longitude: float) -> AddressPoint | None:
    """The known address nearest the point, if it is within NEAR_METRES."""
    # About 0.001 degrees of latitude is 111 metres; the box is generous and then measured.
    reach = 0.002
    candidates = AddressPoint.objects.filter(
        latitude__range=(latitude - reach, latitude + reach),
        longitude__range=(longitude - 2 * reach, longitude + 2 * reach),
    )
    best: tuple[float, str, AddressPoint] | None = None
    for point in candidates:
        if point.latitude is None or point.longitude is None:
            continue
        metres = distance_km((latitude, longitude), (point.latitude, point.longitude)) * 1000
        if metres <= NEAR_METRES and (best is None or (metres, point.uprn) < best[:2]):
            best = (metres, point.uprn, point)
    return best[2] if best else None


def describe_pin(latitude: float, longitude: float) -> str:
    """A pin in residents' words: never its coordinates."""
    near = nearest_address(latitude, longitude)
    if near is not None:
        return _("Pin placed near %(address)s") % {"address": near.line_1}
    return _("Pin placed on the map")


def map_link(latitude: float, longitude: float) -> str:
    """Where staff see the pin on a map (SIGNPOST_MAP_LINK_URL)."""
    template = getattr(settings, "SIGNPOST_MAP_LINK_URL", "")
    return template.format(lat=latitude, lng=longitude) if template else ""

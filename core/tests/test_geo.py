"""Postcode tidying and distances: the one behaviour every app relies on."""

import math

import pytest

from core.geo import (
    EARTH_RADIUS_KM,
    bounding_box,
    distance_km,
    is_full_postcode,
    normalise_postcode,
    normalise_postcode_area,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        # Every outward shape: A9, A99, AA9, AA99, A9A, AA9A.
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 1AA", "W1A 1AA"),
        ("EC1A 1BB", "EC1A 1BB"),
        # What residents type.
        ("nb11aa", "NB1 1AA"),
        (" NB1  1AA ", "NB1 1AA"),
        ("NB1-1AA", "NB1 1AA"),
        ("nb1 - 1aa", "NB1 1AA"),
        ("NB1\u20131AA", "NB1 1AA"),  # en dash, as phones autocorrect a hyphen
        ("NB1\u00a01AA", "NB1 1AA"),  # non-breaking space, pasted from a letter
        ("NB1\t1AA\n", "NB1 1AA"),
        ("N B 1 1 A A", "NB1 1AA"),
        ("sw1a2aa", "SW1A 2AA"),
        ("NB111AA", "NB11 1AA"),
        # Girobank's postcode, and forces addresses' real postcodes.
        ("GIR 0AA", "GIR 0AA"),
        ("gir0aa", "GIR 0AA"),
        ("BF1 4FB", "BF1 4FB"),
        # The demo council's postcodes, whatever Royal Mail's letter rules say.
        ("NB7 8ML", "NB7 8ML"),
        ("NB3 3CC", "NB3 3CC"),
    ],
)
def test_postcodes_are_put_in_standard_form(raw: str, expected: str) -> None:
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "-",
        "NB1",  # an outward code alone
        "NB1 1A",
        "NB1 1AAA",
        "NB1 AA1",
        "1NB 1AA",
        "NBC1 1AA",  # three area letters
        "NB123 1AA",  # district too long
        "NB1.1AA",  # only spaces and hyphens are forgiven
        "NB1 1AA please",
        "BFPO 123",  # a BFPO number is not a postcode
        "GIR 0AB",
        "\u00d1B1 1AA",  # letters outside A-Z
        12345,
    ],
)
def test_anything_else_is_refused(raw: object) -> None:
    assert normalise_postcode(raw) is None


@pytest.mark.parametrize("raw", ["nb11aa", "NB1-1AA", "ec1a1bb", "gir 0aa"])
def test_normalising_twice_changes_nothing(raw: str) -> None:
    once = normalise_postcode(raw)
    assert normalise_postcode(once) == once


def test_distance_along_a_meridian_and_the_equator() -> None:
    one_degree = EARTH_RADIUS_KM * math.pi / 180
    assert distance_km((51.0, -0.1), (52.0, -0.1)) == pytest.approx(one_degree, rel=1e-12)
    assert distance_km((0.0, 10.0), (0.0, 11.0)) == pytest.approx(one_degree, rel=1e-12)
    assert distance_km((0.0, 0.0), (90.0, 0.0)) == pytest.approx(90 * one_degree, rel=1e-12)


def test_distance_is_zero_at_the_same_place_and_symmetric() -> None:
    here, there = (51.5600, -0.1050), (51.5712, -0.0931)
    assert distance_km(here, here) == 0
    assert distance_km(here, there) == distance_km(there, here)


def test_distance_london_to_paris() -> None:
    # About 343.5 km as the crow flies; the mean radius is within 0.5% of the ellipsoid.
    assert distance_km((51.5074, -0.1278), (48.8566, 2.3522)) == pytest.approx(343.5, abs=0.5)


def test_distance_to_the_antipodes_does_not_fail_on_rounding() -> None:
    assert distance_km((51.5, -0.1), (-51.5, 179.9)) == pytest.approx(
        math.pi * EARTH_RADIUS_KM, rel=1e-9
    )


def destination(start: tuple[float, float], bearing_deg: float, km: float) -> tuple[float, float]:
    """The point ``km`` from ``start`` on ``bearing_deg``, by the spherical direct formula."""
    lat1, lon1, bearing = map(math.radians, (*start, bearing_deg))
    angle = km / EARTH_RADIUS_KM
    lat2 = math.asin(
        math.sin(lat1) * math.cos(angle) + math.cos(lat1) * math.sin(angle) * math.cos(bearing)
    )
    lon2 = lon1 + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(lat1),
        math.cos(angle) - math.sin(lat1) * math.sin(lat2),
    )
    return math.degrees(lat2), math.degrees(lon2)


@pytest.mark.parametrize("centre", [(51.56, -0.105), (60.15, -1.15), (-33.9, 18.4)])
@pytest.mark.parametrize("radius_km", [0.05, 2.5, 50.0, 500.0])
def test_bounding_box_holds_every_point_on_the_circle(
    centre: tuple[float, float], radius_km: float
) -> None:
    min_lat, max_lat, min_lon, max_lon = bounding_box(centre, radius_km)
    for bearing in range(0, 360, 1):
        lat, lon = destination(centre, bearing, radius_km * (1 - 1e-9))
        assert min_lat <= lat <= max_lat and min_lon <= lon <= max_lon, bearing


def test_bounding_box_is_no_bigger_than_it_must_be() -> None:
    centre, radius_km = (51.56, -0.105), 10.0
    min_lat, max_lat, min_lon, max_lon = bounding_box(centre, radius_km)
    assert distance_km(centre, (max_lat, centre[1])) == pytest.approx(radius_km, rel=1e-9)
    assert distance_km(centre, (min_lat, centre[1])) == pytest.approx(radius_km, rel=1e-9)
    widest = max(destination(centre, bearing / 10, radius_km)[1] for bearing in range(3600))
    assert max_lon == pytest.approx(widest, abs=1e-6)
    assert centre[1] - min_lon == pytest.approx(max_lon - centre[1], rel=1e-12)


def test_bounding_box_near_a_pole_takes_every_longitude() -> None:
    _min_lat, max_lat, min_lon, max_lon = bounding_box((89.95, 0.0), 10.0)
    assert (min_lon, max_lon) == (-180.0, 180.0)
    assert max_lat > 90


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("NB2", "NB2"),
        ("nb2", "NB2"),
        ("NB2 4", "NB2 4"),
        ("nb2-4", "NB2 4"),
        ("NB2 4A", "NB2 4"),
        ("NB24A", "NB2 4"),
        ("NB24", "NB24"),
        ("SW1A", "SW1A"),
        ("SW1A 2", "SW1A 2"),
        ("nb2 4aa", "NB2 4AA"),
        ("NB", None),
        ("NB2 A", None),
        ("NB2 4 AA X", None),
        ("banana", None),
        ("BFPO", None),
        ("", None),
        (None, None),
    ],
)
def test_the_first_part_of_a_postcode_is_a_district_or_sector(raw, expected):
    assert normalise_postcode_area(raw) == expected
    if expected is not None:
        assert is_full_postcode(expected) == (len(expected.split(" ")[-1]) == 3 and " " in expected)

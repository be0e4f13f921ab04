"""Reading postcode files: the ONS Postcode Directory (ONSPD) CSV and OS Code-Point Open.

ONSPD has a header row and gives latitude/longitude (columns ``pcds``, ``lat``, ``long``;
``doterm`` marks terminated postcodes, which we skip; 99.999999 means "no grid reference").
Code-Point Open has no header and gives British National Grid eastings/northings (columns
postcode, positional quality, eastings, northings, …), which we convert to WGS84.
"""

import csv
import math

from core.geo import normalise_postcode


def read_onspd(handle):
    """Yield (postcode, lat, lon) from an ONSPD-style CSV. Rows without a position are skipped."""
    reader = csv.DictReader(handle)
    fields = {name.lower(): name for name in reader.fieldnames or []}
    postcode_field = next(
        (fields[name] for name in ("pcds", "pcd", "pcd2", "postcode") if name in fields), None
    )
    if postcode_field is None or "lat" not in fields or "long" not in fields:
        raise ValueError(
            "The file has no pcds, lat and long columns: is it the ONS Postcode Directory CSV?"
        )
    terminated_field = fields.get("doterm")
    for row in reader:
        if terminated_field and (row.get(terminated_field) or "").strip():
            continue
        postcode = normalise_postcode(row[postcode_field])
        try:
            lat, lon = float(row[fields["lat"]]), float(row[fields["long"]])
        except (TypeError, ValueError):
            continue
        if postcode is None or lat > 90 or lat < -90:
            continue
        yield postcode, lat, lon


def read_codepoint(handle):
    """Yield (postcode, lat, lon) from Code-Point Open CSV rows (no header)."""
    for row in csv.reader(handle):
        if len(row) < 4:
            continue
        postcode = normalise_postcode(row[0])
        try:
            easting, northing = float(row[2]), float(row[3])
        except ValueError:
            continue  # a header row, if someone added one
        if postcode is None or (easting == 0 and northing == 0):
            continue
        lat, lon = osgb36_grid_to_wgs84(easting, northing)
        yield postcode, round(lat, 6), round(lon, 6)


def osgb36_grid_to_wgs84(easting, northing):
    """British National Grid metres -> WGS84 (lat, lon) in degrees, to within about 5 metres.

    Inverse Transverse Mercator on the Airy 1830 ellipsoid, then a Helmert transformation from
    OSGB36 to WGS84 (Ordnance Survey's published seven parameters).
    """
    a, b = 6377563.396, 6356256.909  # Airy 1830
    f0 = 0.9996012717
    lat0, lon0 = math.radians(49), math.radians(-2)
    n0, e0 = -100000, 400000
    e2 = 1 - (b * b) / (a * a)
    n = (a - b) / (a + b)

    lat, m = lat0, 0.0
    while True:
        lat = (northing - n0 - m) / (a * f0) + lat
        m = (
            b
            * f0
            * (
                (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * (lat - lat0)
                - (3 * n + 3 * n**2 + 21 / 8 * n**3) * math.sin(lat - lat0) * math.cos(lat + lat0)
                + (15 / 8 * n**2 + 15 / 8 * n**3)
                * math.sin(2 * (lat - lat0))
                * math.cos(2 * (lat + lat0))
                - 35 / 24 * n**3 * math.sin(3 * (lat - lat0)) * math.cos(3 * (lat + lat0))
            )
        )
        if abs(northing - n0 - m) < 0.00001:
            break

    sin_lat, cos_lat, tan_lat = math.sin(lat), math.cos(lat), math.tan(lat)
    nu = a * f0 / math.sqrt(1 - e2 * sin_lat**2)
    rho = a * f0 * (1 - e2) / (1 - e2 * sin_lat**2) ** 1.5
    eta2 = nu / rho - 1
    sec_lat = 1 / cos_lat
    vii = tan_lat / (2 * rho * nu)
    viii = tan_lat / (24 * rho * nu**3) * (5 + 3 * tan_lat**2 + eta2 - 9 * tan_lat**2 * eta2)
    ix = tan_lat / (720 * rho * nu**5) * (61 + 90 * tan_lat**2 + 45 * tan_lat**4)
    x = sec_lat / nu
    xi = sec_lat / (6 * nu**3) * (nu / rho + 2 * tan_lat**2)
    xii = sec_lat / (120 * nu**5) * (5 + 28 * tan_lat**2 + 24 * tan_lat**4)
    xiia = sec_lat / (5040 * nu**7) * (61 + 662 * tan_lat**2 + 1320 * tan_lat**4 + 720 * tan_lat**6)
    de = easting - e0
    lat_osgb = lat - vii * de**2 + viii * de**4 - ix * de**6
    lon_osgb = lon0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7

    # OSGB36 geodetic -> cartesian (Airy 1830)
    nu = a / math.sqrt(1 - e2 * math.sin(lat_osgb) ** 2)
    x1 = nu * math.cos(lat_osgb) * math.cos(lon_osgb)
    y1 = nu * math.cos(lat_osgb) * math.sin(lon_osgb)
    z1 = (1 - e2) * nu * math.sin(lat_osgb)

    # Helmert OSGB36 -> WGS84
    tx, ty, tz = 446.448, -125.157, 542.060
    s = -20.4894e-6
    rx, ry, rz = (math.radians(value / 3600) for value in (0.1502, 0.2470, 0.8421))
    x2 = tx + (1 + s) * x1 - rz * y1 + ry * z1
    y2 = ty + rz * x1 + (1 + s) * y1 - rx * z1
    z2 = tz - ry * x1 + rx * y1 + (1 + s) * z1

    # cartesian -> WGS84 geodetic (GRS80)
    a2, b2 = 6378137.000, 6356752.3141
    e2w = 1 - (b2 * b2) / (a2 * a2)
    p = math.sqrt(x2**2 + y2**2)
    lat_w = math.atan2(z2, p * (1 - e2w))
    for _ in range(10):
        nu_w = a2 / math.sqrt(1 - e2w * math.sin(lat_w) ** 2)
        lat_w = math.atan2(z2 + e2w * nu_w * math.sin(lat_w), p)
    lon_w = math.atan2(y2, x2)
    return math.degrees(lat_w), math.degrees(lon_w)

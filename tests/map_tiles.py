"""Map tiles for browser tests: a few small PNGs drawn here, served by the live server.

The test settings point SIGNPOST_MAP_TILE_URL at /static/test-tiles/{z}/{x}/{y}.png, a folder
the static files finders serve (MAP_TEST_TILES). Drawing them keeps the tests off the internet
and the repository free of image files. Each tile is pale with a grid and its own numbers, so a
screenshot shows that tiles loaded and which.
"""

import math
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw

TILE = 256


def tile_for(latitude, longitude, zoom):
    """The (x, y) of the Web Mercator tile holding a point at a zoom level."""
    n = 2**zoom
    x = int((longitude + 180.0) / 360.0 * n)
    lat = math.radians(latitude)
    y = int((1.0 - math.asinh(math.tan(lat)) / math.pi) / 2.0 * n)
    return x, y


def draw_tiles(folder, centre, zooms=(15, 16, 17, 18), reach=3):
    """Tiles around ``centre`` at each zoom, ``reach`` tiles each way. Returns how many."""
    count = 0
    for zoom in zooms:
        cx, cy = tile_for(*centre, zoom)
        for x in range(cx - reach, cx + reach + 1):
            for y in range(cy - reach, cy + reach + 1):
                path = Path(folder) / str(zoom) / str(x) / f"{y}.png"
                count += 1
                if path.exists():
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                image = Image.new("RGB", (TILE, TILE), (232, 238, 228))
                draw = ImageDraw.Draw(image)
                for step in range(0, TILE, 64):
                    draw.line([(step, 0), (step, TILE)], fill=(200, 205, 198))
                    draw.line([(0, step), (TILE, step)], fill=(200, 205, 198))
                draw.text((8, 8), f"{zoom}/{x}/{y}", fill=(90, 90, 90))
                image.save(path, optimize=True)
    return count


def demo_tiles():
    """The test tiles around the demo council's map centre; returns their URL template."""
    draw_tiles(settings.MAP_TEST_TILES, settings.SIGNPOST_MAP_CENTRE)
    return settings.SIGNPOST_MAP_TILE_URL

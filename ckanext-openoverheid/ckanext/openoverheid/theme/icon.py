"""The app icon of the manifest, drawn here so that it takes the theme colour: a white ring (the O of
"open") on a square of that colour, with the margin maskable icons need."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw

SIZES = (192, 512)


@lru_cache(maxsize=8)
def app_icon_png(size: int, colour: str) -> bytes:
    """A ``size``×``size`` PNG: a white ring centred on ``colour`` (``#rrggbb``), inside the maskable safe zone."""
    image = Image.new("RGB", (size, size), colour)
    centre = (size - 1) / 2
    outer, inner = size * 0.30, size * 0.19  # the ring stays within the central 80 % a launcher may crop to
    draw = ImageDraw.Draw(image)
    draw.ellipse((centre - outer, centre - outer, centre + outer, centre + outer), fill="white")
    draw.ellipse((centre - inner, centre - inner, centre + inner, centre + inner), fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

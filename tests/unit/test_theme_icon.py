"""The manifest's app icon (theme/icon.py), without CKAN: drawn in the theme colour."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ckanext.openoverheid.theme.icon import SIZES, app_icon_png


@pytest.mark.parametrize("size", SIZES)
def test_the_icon_is_a_white_ring_on_the_theme_colour_within_the_safe_zone(size):
    image = Image.open(io.BytesIO(app_icon_png(size, "#00664f")))
    assert image.format == "PNG" and image.size == (size, size)
    middle = size // 2
    green, white = (0, 102, 79), (255, 255, 255)
    assert image.getpixel((0, 0)) == green  # the square
    assert image.getpixel((middle, middle)) == green  # inside the ring
    assert image.getpixel((middle, middle - round(size * 0.25))) == white  # the ring
    # nothing white outside the central 80 % a launcher may crop to
    edge = round(size * 0.1)
    assert all(image.getpixel((x, y)) == green for x in range(size) for y in (edge, size - 1 - edge))

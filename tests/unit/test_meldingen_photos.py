"""Photos are checked by content and re-encoded without metadata: the GPS position of a phone
photo must never reach the public."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ckanext.openoverheid.meldingen.photos import PhotoError, clean_photo

GPS_IFD = 0x8825
# The declared defaults of ckanext.openoverheid.meldingen.photo_max_size and photo_max_pixels.
LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_pixels": 40_000_000}


def _jpeg_with_gps(size=(3000, 2000), orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[0x0110] = "TestPhone 12"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 5.0, 26.0), 3: "E", 4: (5.0, 7.0, 15.0)}
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 30)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _image(fmt: str, size=(40, 30), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (1, 2, 3) if mode == "RGB" else (1, 2, 3, 100)).save(out, format=fmt)
    return out.getvalue()


def test_gps_and_camera_data_are_removed_and_the_photo_shrunk():
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the input really has GPS
    clean = clean_photo(original, **LIMITS)
    image = Image.open(io.BytesIO(clean.data))
    assert image.format == "JPEG"
    assert max(image.size) == 2048 and image.size == (clean.width, clean.height)
    assert not image.getexif()  # no EXIF at all, so no GPS, model or time
    assert b"Exif" not in clean.data[:4096] and b"TestPhone" not in clean.data
    assert "exif" not in image.info and "xmp" not in image.info
    thumb = Image.open(io.BytesIO(clean.thumbnail))
    assert max(thumb.size) == 400 and not thumb.getexif()


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    clean = clean_photo(_jpeg_with_gps(size=(300, 200), orientation=6), **LIMITS)  # "rotate 90° clockwise"
    assert (clean.width, clean.height) == (200, 300)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "JPEG"])
def test_jpeg_png_and_webp_are_accepted_by_content(fmt):
    clean = clean_photo(_image(fmt), **LIMITS)
    assert clean.original_format == fmt
    assert Image.open(io.BytesIO(clean.data)).format == "JPEG"


def test_transparency_becomes_white():
    clean = clean_photo(_image("PNG", mode="RGBA"), **LIMITS)
    pixel = Image.open(io.BytesIO(clean.data)).convert("RGB").getpixel((5, 5))
    assert all(channel > 150 for channel in pixel)


@pytest.mark.parametrize(
    "data",
    [
        _image("GIF"),
        _image("BMP"),
        b"<html><script>alert(1)</script></html>",
        b"%PDF-1.4 not a photo",
    ],
)
def test_other_files_are_refused_whatever_their_name(data):
    with pytest.raises(PhotoError, match="not a JPEG, PNG or WebP"):
        clean_photo(data, **LIMITS)


def test_a_truncated_photo_is_refused():
    data = _jpeg_with_gps(size=(400, 300))
    with pytest.raises(PhotoError, match="damaged"):
        clean_photo(data[: len(data) // 2], **LIMITS)


def test_size_and_pixel_limits():
    with pytest.raises(PhotoError, match="too large"):
        clean_photo(_jpeg_with_gps(size=(400, 300)), **{**LIMITS, "max_bytes": 1000})
    with pytest.raises(PhotoError, match="too many pixels"):
        clean_photo(_image("PNG", size=(200, 200)), **{**LIMITS, "max_pixels": 10_000})
    with pytest.raises(PhotoError, match="empty"):
        clean_photo(b"", **LIMITS)


def test_a_decompression_bomb_is_refused_before_decoding():
    # A small PNG that claims 30000 x 30000 pixels: refused from its header, never decoded.
    bomb = io.BytesIO()
    Image.new("1", (30000, 30000)).save(bomb, format="PNG", optimize=True)
    assert len(bomb.getvalue()) < 1_000_000
    with pytest.raises(PhotoError):
        clean_photo(bomb.getvalue(), **LIMITS)

"""The app icon of the manifest, drawn here so that it takes the theme colour: a white ring (the O of
"open") on a square of that colour, with the margin maskable icons need. Plain PNG, no image library."""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache

SIZES = (192, 512)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@lru_cache(maxsize=8)
def app_icon_png(size: int, colour: str) -> bytes:
    """A ``size``×``size`` PNG: a white ring centred on ``colour`` (``#rrggbb``), inside the maskable safe zone."""
    background = bytes(_rgb(colour))
    white = b"\xff\xff\xff"
    centre = (size - 1) / 2
    outer, inner = size * 0.30, size * 0.19  # the ring stays within the central 80 % a launcher may crop to
    rows = []
    for y in range(size):
        dy2 = (y - centre) ** 2
        row = bytearray(b"\x00")  # filter type: none
        for x in range(size):
            distance2 = (x - centre) ** 2 + dy2
            row += white if inner * inner <= distance2 <= outer * outer else background
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = zlib.compress(b"".join(rows), 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")

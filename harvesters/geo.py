"""Coordinates as municipal feeds give them: RD New, WGS84 in either order, WKT.

RD New (EPSG:28992) is converted with the approximation series published by Schreutelkamp and
Strang van Hees ("Benaderingsformules voor de transformatie tussen RD- en WGS84-kaartcoördinaten",
2001), accurate to about a metre inside the Netherlands, which is plenty for a map pin and needs no
PROJ. Feeds mix up latitude and longitude often enough that an order is never trusted: a pair is
read as (lat, lon) only when it falls inside the Netherlands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "WktGeometry",
    "haversine_m",
    "in_netherlands",
    "is_rd",
    "latlon_from_pair",
    "parse_latlon",
    "parse_wkt",
    "rd_to_wgs84",
    "representative_point",
    "to_wgs84",
]

# Reference point: the Onze Lieve Vrouwetoren in Amersfoort.
_X0, _Y0 = 155_000.0, 463_000.0
_PHI0, _LAM0 = 52.15517440, 5.38720621

# (p, q, coefficient) for dX**p * dY**q, dX and dY in units of 100 km; results in arc seconds.
_K = (
    (0, 1, 3235.65389), (2, 0, -32.58297), (0, 2, -0.24750), (2, 1, -0.84978), (0, 3, -0.06550),
    (2, 2, -0.01709), (1, 0, -0.00738), (4, 0, 0.00530), (2, 3, -0.00039), (4, 1, 0.00033),
    (1, 1, -0.00012),
)  # fmt: skip
_L = (
    (1, 0, 5260.52916), (1, 1, 105.94684), (1, 2, 2.45656), (3, 0, -0.81885), (1, 3, 0.05594),
    (3, 1, -0.05607), (0, 1, 0.01199), (3, 2, -0.00256), (1, 4, 0.00128), (0, 2, 0.00022),
    (2, 0, -0.00022), (5, 0, 0.00026),
)  # fmt: skip

# The area where RD New is defined (EPSG:28992 bounds, rounded outwards).
_RD_X = (-7_000.0, 300_000.0)
_RD_Y = (289_000.0, 629_000.0)

EARTH_RADIUS_M = 6_371_008.8


def rd_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(lat, lon) in WGS84 degrees for RD New ``x`` (east) and ``y`` (north) in metres."""
    dx = (x - _X0) * 1e-5
    dy = (y - _Y0) * 1e-5
    lat = _PHI0 + sum(k * dx**p * dy**q for p, q, k in _K) / 3600.0
    lon = _LAM0 + sum(v * dx**p * dy**q for p, q, v in _L) / 3600.0
    return lat, lon


def is_rd(x: float, y: float) -> bool:
    """True when (x, y) lies in the area where RD New coordinates are defined."""
    return _RD_X[0] <= x <= _RD_X[1] and _RD_Y[0] <= y <= _RD_Y[1]


def in_netherlands(lat: float, lon: float) -> bool:
    """A rough box around the European Netherlands: latitude 50–54, longitude 3–8."""
    return 50.0 <= lat <= 54.0 and 3.0 <= lon <= 8.0


def latlon_from_pair(a: float, b: float) -> tuple[float, float] | None:
    """(lat, lon) from two WGS84 numbers in unknown order, or None when neither order is in NL."""
    if in_netherlands(a, b):
        return a, b
    if in_netherlands(b, a):
        return b, a
    return None


def to_wgs84(a: float, b: float) -> tuple[float, float] | None:
    """(lat, lon) from a pair that may be WGS84 in either order or RD New (x, y); None otherwise."""
    pair = latlon_from_pair(a, b)
    if pair is not None:
        return pair
    if is_rd(a, b):
        lat, lon = rd_to_wgs84(a, b)
        return (lat, lon) if in_netherlands(lat, lon) else None
    return None


_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_PAIR = re.compile(rf"^\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*$")


def parse_latlon(text: str | None) -> tuple[float, float] | None:
    """(lat, lon) from text like ``"52.09 5.12"``, ``"5.12,52.09"`` or ``"POINT(5.12 52.09)"``.

    Either order and RD New are accepted; None when the text holds no point in the Netherlands.
    """
    if not text or not text.strip():
        return None
    match = _PAIR.match(text)
    if match:
        return to_wgs84(float(match.group(1)), float(match.group(2)))
    try:
        point = representative_point(text)
    except ValueError:
        return None
    return to_wgs84(*point) if point is not None else None


# --- WKT ------------------------------------------------------------------------------------------

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class WktGeometry:
    """A parsed WKT geometry: its type and its coordinates as (x, y) in the order written.

    ``polygons`` holds, per polygon, its rings (outer ring first); points and lines are kept as
    one-ring "polygons" so that every geometry has the same shape.
    """

    kind: str
    polygons: tuple[tuple[Ring, ...], ...]
    srid: int | None = None

    @property
    def is_empty(self) -> bool:
        return not any(ring for polygon in self.polygons for ring in polygon)


_WKT_HEAD = re.compile(
    r"^\s*(?:SRID=(\d+)\s*;\s*)?(POINT|MULTIPOINT|LINESTRING|MULTILINESTRING|POLYGON|MULTIPOLYGON)"
    r"\s*(?:Z|M|ZM)?\s*(EMPTY|\(.*\))\s*$",
    re.IGNORECASE | re.DOTALL,
)
_TOKEN = re.compile(rf"\(|\)|,|{_NUMBER}")


def _nest(body: str) -> list[Any]:
    """Turn ``((1 2, 3 4), (5 6))`` into nested lists whose leaves are coordinate lists."""
    stack: list[list[Any]] = [[]]
    coords: list[float] = []
    for token in _TOKEN.findall(body):
        if token == "(":
            stack.append([])
        elif token in (")", ","):
            if coords:
                stack[-1].append(tuple(coords))
                coords = []
            if token == ")":
                if len(stack) == 1:
                    raise ValueError("unbalanced parentheses")
                done = stack.pop()
                stack[-1].append(done)
        else:
            coords.append(float(token))
    if len(stack) != 1 or coords:
        raise ValueError("unbalanced parentheses")
    return stack[0]


def _ring(items: Sequence[Any]) -> Ring:
    points: list[tuple[float, float]] = []
    for item in items:
        if isinstance(item, list):  # MULTIPOINT((1 2), (3 4))
            points.extend(_ring(item))
        elif len(item) < 2:
            raise ValueError("a coordinate needs at least x and y")
        else:
            points.append((float(item[0]), float(item[1])))
    return tuple(points)


def parse_wkt(text: str) -> WktGeometry:
    """Parse WKT or EWKT (``SRID=28992;POLYGON((...))``); Z and M values are dropped.

    Raises ValueError for text that is not one of the supported geometry types.
    """
    match = _WKT_HEAD.match(text or "")
    if not match:
        raise ValueError(f"not a WKT point, line or polygon: {text[:60]!r}")
    srid = int(match.group(1)) if match.group(1) else None
    kind = match.group(2).upper()
    if match.group(3).upper() == "EMPTY":
        return WktGeometry(kind, (), srid)
    tree = _nest(match.group(3))
    if len(tree) != 1 or not isinstance(tree[0], list):
        raise ValueError(f"malformed {kind}")
    body = tree[0]
    polygons: tuple[tuple[Ring, ...], ...]
    if kind in ("POINT", "LINESTRING", "MULTIPOINT"):
        polygons = ((_ring(body),),)
    elif kind in ("POLYGON", "MULTILINESTRING"):
        rings = tuple(_ring(r) for r in body)
        polygons = (rings,) if kind == "POLYGON" else tuple((r,) for r in rings)
    else:  # MULTIPOLYGON
        polygons = tuple(tuple(_ring(r) for r in polygon) for polygon in body)
    if kind == "POINT" and len(polygons[0][0]) != 1:
        raise ValueError("a POINT has exactly one coordinate")
    return WktGeometry(kind, polygons, srid)


def _ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (shoelace formula), relative to its first point for precision."""
    x0, y0 = ring[0]
    area2 = cx = cy = 0.0
    for (xa, ya), (xb, yb) in zip(ring, ring[1:] + ring[:1], strict=True):
        xa, ya, xb, yb = xa - x0, ya - y0, xb - x0, yb - y0
        cross = xa * yb - xb * ya
        area2 += cross
        cx += (xa + xb) * cross
        cy += (ya + yb) * cross
    if area2 == 0:
        return 0.0, x0, y0
    return area2 / 2, x0 + cx / (3 * area2), y0 + cy / (3 * area2)


def representative_point(wkt: str) -> tuple[float, float] | None:
    """One (x, y) for a WKT geometry, in the order written: the point itself, the area-weighted
    centroid of polygons (holes subtracted), or the mean vertex of points and lines.

    None for an empty geometry; ValueError for text that is not WKT.
    """
    geometry = parse_wkt(wkt)
    if geometry.is_empty:
        return None
    if geometry.kind in ("POLYGON", "MULTIPOLYGON"):
        total = sx = sy = 0.0
        for polygon in geometry.polygons:
            for index, ring in enumerate(polygon):
                if len(ring) < 3:
                    continue
                area, cx, cy = _ring_area_centroid(ring)
                area = abs(area) if index == 0 else -abs(area)
                total += area
                sx += cx * area
                sy += cy * area
        if total > 0:
            return sx / total, sy / total
    points = [point for polygon in geometry.polygons for point in polygon[0]]
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlam = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))

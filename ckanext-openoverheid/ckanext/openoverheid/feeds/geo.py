"""Where a dataset is, for GeoRSS: a point and/or a box from its ``spatial_coverage``.

The schema lets publishers type a centroid and a bounding box as GeoJSON or WKT. GeoJSON is always
(lon, lat) in WGS84. WKT is read the GeoSPARQL/CRS84 way, x = longitude, y = latitude; RD New
(EPSG:28992, metres) is recognised by its SRID or its range and converted; a pair that only lies in
the Netherlands when read the other way round is swapped, as Dutch publishers often write WKT in
(lat, lon). Anything unreadable gives no location rather than an error: a feed is no validator.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from harvesters.geo import in_netherlands, is_rd, parse_wkt, rd_to_wgs84

RD_NEW = 28992
LatLon = tuple[float, float]
Box = tuple[float, float, float, float]  # south, west, north, east


@dataclass(frozen=True)
class Location:
    """A point (lat, lon) and/or a box (south, west, north, east), both WGS84 degrees."""

    point: LatLon | None = None
    box: Box | None = None


def _valid(lat: float, lon: float) -> bool:
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


def _latlon(x: float, y: float, srid: int | None = None) -> LatLon | None:
    """(lat, lon) for a WKT or GeoJSON coordinate (x, y)."""
    if srid == RD_NEW or not _valid(y, x):
        return rd_to_wgs84(x, y) if is_rd(x, y) else None
    if not in_netherlands(y, x) and in_netherlands(x, y):
        return x, y
    return y, x


def _geojson_positions(geometry: Any) -> Iterator[tuple[float, float]]:
    """Every (x, y) of a GeoJSON geometry, feature or collection, however deeply nested."""
    if isinstance(geometry, Mapping):
        if geometry.get("type") == "FeatureCollection":
            for feature in geometry.get("features") or []:
                yield from _geojson_positions(feature)
        elif geometry.get("type") == "Feature":
            yield from _geojson_positions(geometry.get("geometry"))
        elif geometry.get("type") == "GeometryCollection":
            for part in geometry.get("geometries") or []:
                yield from _geojson_positions(part)
        else:
            yield from _geojson_positions(geometry.get("coordinates"))
    elif isinstance(geometry, list | tuple):
        if len(geometry) >= 2 and all(isinstance(v, int | float) and not isinstance(v, bool) for v in geometry[:2]):
            yield float(geometry[0]), float(geometry[1])
        else:
            for part in geometry:
                yield from _geojson_positions(part)


def points_of(text: str | None) -> list[LatLon]:
    """The coordinates of a GeoJSON or WKT text as (lat, lon); empty when it is neither."""
    if not text or not str(text).strip():
        return []
    text = str(text).strip()
    if text.startswith("{"):
        try:
            positions = list(_geojson_positions(json.loads(text)))
        except (ValueError, RecursionError):
            return []
        srid = None
    else:
        try:
            geometry = parse_wkt(text)
        except ValueError:
            return []
        positions = [point for polygon in geometry.polygons for ring in polygon for point in ring]
        srid = geometry.srid
    converted = (_latlon(x, y, srid) for x, y in positions)
    return [point for point in converted if point is not None]


def _box(points: Iterable[LatLon]) -> Box | None:
    points = list(points)
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return min(lats), min(lons), max(lats), max(lons)


def location_of(spatial_coverage: Any) -> Location | None:
    """The location of a dataset from its ``spatial_coverage`` (a list of {text, uri, bbox, centroid}).

    The point is the first centroid (the mean of its coordinates when it is not a single point); the
    box covers every bounding box given. A box without a centroid gives no invented point: GeoRSS
    then carries the box alone.
    """
    if isinstance(spatial_coverage, str):
        try:
            spatial_coverage = json.loads(spatial_coverage)
        except ValueError:
            return None
    if isinstance(spatial_coverage, Mapping):
        spatial_coverage = [spatial_coverage]
    if not isinstance(spatial_coverage, list):
        return None
    point: LatLon | None = None
    box_points: list[LatLon] = []
    for coverage in spatial_coverage:
        if not isinstance(coverage, Mapping):
            continue
        if point is None:
            centroid = points_of(coverage.get("centroid"))
            if centroid:
                point = (sum(p[0] for p in centroid) / len(centroid), sum(p[1] for p in centroid) / len(centroid))
        box_points.extend(points_of(coverage.get("bbox")))
    box = _box(box_points)
    if point is None and box is None:
        return None
    return Location(point=point, box=box)

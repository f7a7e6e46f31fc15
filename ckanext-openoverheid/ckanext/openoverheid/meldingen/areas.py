"""Which municipality handles a point: areas per organisation, from configuration.

Two forms, both keyed by CKAN organisation name:

* ``ckanext.openoverheid.meldingen.areas``: space-separated ``name=min_lon,min_lat,max_lon,max_lat``
  boxes (WGS84), quick to write for a demo or a test;
* ``ckanext.openoverheid.meldingen.areas_file``: a GeoJSON FeatureCollection whose features carry
  ``properties.organization`` and a Polygon or MultiPolygon geometry (a municipal boundary, e.g. from
  PDOK's Bestuurlijke Gebieden) or only a ``bbox``.

Boxes and polygons are tried in the order given; the first that contains the point wins, so put
small areas before large ones. Pure code: the caller passes the configuration in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs
Polygon = tuple[Ring, ...]  # outer ring, then holes


class AreaConfigError(ValueError):
    """The area configuration cannot be read; the message says which entry and how to fix it."""


@dataclass(frozen=True)
class Area:
    organization: str
    bbox: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
    polygons: tuple[Polygon, ...] = ()

    def contains(self, lat: float, lon: float) -> bool:
        min_lon, min_lat, max_lon, max_lat = self.bbox
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            return False
        if not self.polygons:
            return True
        return any(_in_polygon(polygon, lon, lat) for polygon in self.polygons)

    @property
    def centre(self) -> tuple[float, float]:
        """(lat, lon) of the middle of the box: where the map starts for this municipality."""
        min_lon, min_lat, max_lon, max_lat = self.bbox
        return (min_lat + max_lat) / 2, (min_lon + max_lon) / 2


def _in_ring(ring: Ring, x: float, y: float) -> bool:
    """Even-odd ray casting; points on an edge may fall either way, which is fine for a map pin."""
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _in_polygon(polygon: Polygon, x: float, y: float) -> bool:
    outer, *holes = polygon
    return _in_ring(outer, x, y) and not any(_in_ring(hole, x, y) for hole in holes)


def _bbox_of(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _check_bbox(values: Sequence[float], where: str) -> tuple[float, float, float, float]:
    if len(values) != 4:
        raise AreaConfigError(f"{where}: a box needs four numbers min_lon,min_lat,max_lon,max_lat")
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in values)
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        raise AreaConfigError(
            f"{where}: {list(values)} is not a box in WGS84 degrees (min_lon,min_lat,max_lon,max_lat, "
            "longitude first; for the Netherlands roughly 3-8 and 50-54)"
        )
    return min_lon, min_lat, max_lon, max_lat


def parse_boxes(text: str) -> list[Area]:
    """``gemeente-utrecht=4.97,52.02,5.20,52.14 gemeente-zwolle=...`` → areas."""
    areas = []
    for entry in (text or "").split():
        name, sep, numbers = entry.partition("=")
        where = f"ckanext.openoverheid.meldingen.areas entry {entry!r}"
        if not sep or not name:
            raise AreaConfigError(f"{where}: write organisation=min_lon,min_lat,max_lon,max_lat")
        try:
            values = [float(v) for v in numbers.split(",")]
        except ValueError:
            raise AreaConfigError(f"{where}: the box must be four numbers separated by commas") from None
        areas.append(Area(organization=name, bbox=_check_bbox(values, where)))
    return areas


def _ring(coordinates: Any, where: str) -> Ring:
    try:
        ring = tuple((float(point[0]), float(point[1])) for point in coordinates)
    except (TypeError, ValueError, IndexError):
        raise AreaConfigError(f"{where}: a ring must be a list of [lon, lat] pairs") from None
    if len(ring) < 3:
        raise AreaConfigError(f"{where}: a ring needs at least three points")
    return ring


def parse_geojson(data: Mapping[str, Any], source: str = "areas_file") -> list[Area]:
    """Areas from a GeoJSON FeatureCollection (see the module docstring)."""
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        raise AreaConfigError(f"{source}: expected a GeoJSON FeatureCollection")
    areas = []
    for index, feature in enumerate(data.get("features") or [], start=1):
        properties = feature.get("properties") or {}
        name = properties.get("organization") or properties.get("organisatie")
        where = f"{source}, feature {index}"
        if not name:
            raise AreaConfigError(f"{where}: properties.organization must name the CKAN organisation")
        geometry = feature.get("geometry") or {}
        polygons: list[Polygon] = []
        if geometry.get("type") == "Polygon":
            polygons.append(tuple(_ring(r, where) for r in geometry.get("coordinates") or []))
        elif geometry.get("type") == "MultiPolygon":
            for part in geometry.get("coordinates") or []:
                polygons.append(tuple(_ring(r, where) for r in part))
        elif geometry:
            raise AreaConfigError(f"{where}: geometry must be a Polygon or MultiPolygon, not {geometry.get('type')}")
        if polygons:
            bbox = _bbox_of(point for polygon in polygons for point in polygon[0])
        elif feature.get("bbox"):
            bbox = _check_bbox(feature["bbox"], where)
        else:
            raise AreaConfigError(f"{where}: give a Polygon/MultiPolygon geometry or a bbox")
        areas.append(Area(organization=str(name), bbox=bbox, polygons=tuple(polygons)))
    return areas


def load_areas(boxes: str = "", geojson_path: str = "") -> list[Area]:
    """All configured areas: the boxes first, then the file's features."""
    areas = parse_boxes(boxes)
    if geojson_path:
        path = Path(geojson_path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise AreaConfigError(f"ckanext.openoverheid.meldingen.areas_file: cannot read {path} ({error})") from None
        except ValueError as error:
            raise AreaConfigError(f"{path} is not valid JSON ({error})") from None
        areas.extend(parse_geojson(data, str(path)))
    return areas


def responsible(areas: Sequence[Area], lat: float, lon: float) -> str | None:
    """The organisation whose area holds the point, or None."""
    return next((area.organization for area in areas if area.contains(lat, lon)), None)

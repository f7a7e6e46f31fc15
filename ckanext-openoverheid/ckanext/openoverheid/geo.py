"""Distances in SQL, for every "around a point" search (meldingen, vergunningen): one formula, one box.

A box around the point narrows the rows first (an index on ``lat``/``lon`` can serve it), then the
great-circle distance, computed in SQL with the haversine of ``harvesters.geo.haversine_m``, decides;
so the radius is a true circle, results can be sorted by distance, and LIMIT/OFFSET apply in the
database. PostGIS is not needed for radii of metres to kilometres.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func

from harvesters.geo import EARTH_RADIUS_M, haversine_m

__all__ = ["Box", "bounding_box", "distance_sql", "distance_sql_text", "haversine_m"]

METRES_PER_DEGREE_LAT = 111_320.0
# The box is made 1% larger than the circle: the exact distance decides anyway, and a point just on the
# circle must never fall out through rounding.
_BOX_MARGIN = 1.01


class Box(NamedTuple):
    """A WGS84 box: latitudes and longitudes in degrees."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def bounding_box(lat: float, lon: float, radius_m: float) -> Box:
    """A box that holds every point within ``radius_m`` metres of (``lat``, ``lon``)."""
    dlat = radius_m * _BOX_MARGIN / METRES_PER_DEGREE_LAT
    dlon = radius_m * _BOX_MARGIN / (METRES_PER_DEGREE_LAT * max(0.01, math.cos(math.radians(lat))))
    return Box(lat - dlat, lat + dlat, lon - dlon, lon + dlon)


def distance_sql(lat_column: Any, lon_column: Any, lat: float, lon: float) -> ColumnElement[float]:
    """The metres from (``lat``, ``lon``) to the point in two columns, as an SQLAlchemy expression."""
    h = (func.power(func.sin(func.radians(lat_column - lat) / 2), 2)
         + math.cos(math.radians(lat)) * func.cos(func.radians(lat_column))
         * func.power(func.sin(func.radians(lon_column - lon) / 2), 2))
    return 2 * EARTH_RADIUS_M * func.asin(func.least(1.0, func.sqrt(h)))


def distance_sql_text(lat_column: str = "lat", lon_column: str = "lon", lat_param: str = ":lat",
                      lon_param: str = ":lon") -> str:
    """The same distance as SQL text, for statements written as text: the point comes as two bound
    parameters (never as values in the text), the columns are names the caller controls."""
    return (
        f"({2 * EARTH_RADIUS_M} * asin(least(1.0, sqrt("
        f"power(sin(radians({lat_column} - {lat_param}) / 2), 2)"
        f" + cos(radians({lat_param})) * cos(radians({lat_column}))"
        f" * power(sin(radians({lon_column} - {lon_param}) / 2), 2)))))"
    )

"""Filters over the permits of every vergunningen dataset, and the parameterised SQL that applies them.

Each harvest source fills its own DataStore table (one per municipality), so a search across the
country is a ``UNION ALL`` over those tables. Table names are resource ids we looked up ourselves
and check to be UUIDs; every value a user typed is a bound parameter, never part of the SQL text.

"Around a point" is a bounding box (which the ``lat``/``lon`` index can use) narrowed down by the
haversine distance computed in SQL, so the radius is a true circle and the answer can be sorted by
distance. Plain module: no CKAN, no Flask; the action in ``logic/action.py`` runs what this builds.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from harvesters.vergunningen.record import Fase, Soort

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE_LAT = 111_320.0
DEFAULT_RADIUS_M = 1_000
MAX_RADIUS_M = 25_000
DEFAULT_LIMIT = 50
MAX_LIMIT = 1_000

SOORTEN: tuple[str, ...] = tuple(s.value for s in Soort)
FASEN: tuple[str, ...] = tuple(f.value for f in Fase)

# The columns of a vergunningen table, in the order the harvester creates them.
COLUMNS = (
    "identifier", "title", "soort", "fase", "document_date", "published_date", "modified",
    "einde_bezwaartermijn", "straat", "huisnummer", "postcode", "woonplaats", "gemeente", "lat", "lon", "url",
)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_PC6 = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})$")
_PC4 = re.compile(r"^[1-9][0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it where it is shown."""
    return message


class Order(Enum):
    """How results are sorted: newest first (feeds, lists) or nearest first (around a point)."""

    DATE = "datum"
    DISTANCE = "afstand"


class FilterError(ValueError):
    """Some filters are not usable. ``errors`` maps each parameter to a message (an English msgid)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Point:
    """A WGS84 point in the Netherlands (and a margin around it)."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Filters:
    """What a caller asked for, checked and normalised. ``straal`` (metres) only counts with a point."""

    gemeente: str | None = None
    postcode: str | None = None
    soort: tuple[str, ...] = ()
    fase: tuple[str, ...] = ()
    sinds: datetime.date | None = None
    point: Point | None = None
    straal: int = DEFAULT_RADIUS_M
    dataset: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    order: Order = Order.DATE

    def as_params(self) -> dict[str, Any]:
        """The filters as query parameters again (for links to the next page, the feeds, the API)."""
        params: dict[str, Any] = {}
        if self.gemeente:
            params["gemeente"] = self.gemeente
        if self.postcode:
            params["postcode"] = self.postcode
        if self.soort:
            params["soort"] = list(self.soort)
        if self.fase:
            params["fase"] = list(self.fase)
        if self.sinds:
            params["sinds"] = self.sinds.isoformat()
        if self.point:
            params.update(lat=f"{self.point.lat:.6f}", lon=f"{self.point.lon:.6f}", straal=self.straal)
        if self.dataset:
            params["dataset"] = self.dataset
        return params


@dataclass(frozen=True)
class Table:
    """The DataStore table of one vergunningen dataset."""

    resource_id: str
    dataset: str

    def __post_init__(self) -> None:
        if not _UUID.match(self.resource_id):
            raise ValueError(f"not a DataStore resource id: {self.resource_id!r}")


@dataclass(frozen=True)
class SqlQuery:
    """SQL text with named ``:parameters`` and their values, for ``sqlalchemy.text``."""

    text: str
    params: dict[str, Any] = field(default_factory=dict)


# --- parsing what a caller sent ----------------------------------------------------------------------


def normalise_postcode(value: str) -> str | None:
    """``3512 ah`` → ``3512AH``, ``3512`` → ``3512``; anything else → None."""
    value = value.strip()
    match = _PC6.match(value)
    if match:
        return f"{match.group(1)}{match.group(2).upper()}"
    if _PC4.match(value):
        return value
    return None


def _values(args: Mapping[str, Any], key: str) -> list[str]:
    """All values of a parameter: repeated (``soort=a&soort=b``), comma-separated or a list."""
    raw = args.get(key)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    values: list[str] = []
    for item in items:
        values.extend(part.strip() for part in str(item).split(",") if part.strip())
    return values


def _single(args: Mapping[str, Any], key: str) -> str | None:
    """The first value of a single-valued parameter, stripped; None when absent or empty."""
    raw = args.get(key)
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else None
    text = str(raw).strip() if raw is not None else ""
    return text or None


def _number(text: str | None, kind: type[int] | type[float]) -> int | float | None:
    if text is None:
        return None
    try:
        value = kind(text.replace(",", ".") if kind is float else text)
    except ValueError:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def parse_filters(
    args: Mapping[str, Any], *, max_limit: int = MAX_LIMIT, default_limit: int = DEFAULT_LIMIT
) -> Filters:
    """Check and normalise the filters of a request; raise FilterError naming every bad parameter.

    ``args`` maps parameter names to a string or a list of strings (Flask's ``args.to_dict(flat=False)``
    or an action's data_dict). Unknown parameters are ignored, as CKAN's own APIs do.
    """
    errors: dict[str, str] = {}

    gemeente = _single(args, "gemeente")
    if gemeente is not None and len(gemeente) > 100:
        errors["gemeente"] = N_("Municipality name is too long (at most 100 characters).")

    postcode = None
    raw_postcode = _single(args, "postcode")
    if raw_postcode is not None:
        postcode = normalise_postcode(raw_postcode)
        if postcode is None:
            errors["postcode"] = N_("Postcode must be four digits (3512) or four digits and two letters (3512AH).")

    soort = tuple(dict.fromkeys(value.lower() for value in _values(args, "soort")))
    if any(value not in SOORTEN for value in soort):
        errors["soort"] = N_(
            "Unknown permit kind (soort): use bouw, kap, sloop, omgevings, reclame, milieu, evenementen, "
            "verkeersbesluit or overig."
        )
    fase = tuple(dict.fromkeys(value.lower() for value in _values(args, "fase")))
    if any(value not in FASEN for value in fase):
        errors["fase"] = N_("Unknown phase (fase): use aanvraag, verleend, geweigerd, ingetrokken or onbekend.")

    sinds = None
    raw_sinds = _single(args, "sinds")
    if raw_sinds is not None:
        try:
            sinds = datetime.date.fromisoformat(raw_sinds)
        except ValueError:
            errors["sinds"] = N_("Date must be written as YYYY-MM-DD, e.g. 2026-01-31.")

    point = None
    raw_lat, raw_lon = _single(args, "lat"), _single(args, "lon")
    if raw_lat is not None or raw_lon is not None:
        lat, lon = _number(raw_lat, float), _number(raw_lon, float)
        if lat is None or lon is None:
            errors["lat"] = N_("Give both lat and lon as decimal degrees (WGS84), e.g. lat=52.09&lon=5.12.")
        elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["lat"] = N_("lat must lie between -90 and 90 and lon between -180 and 180.")
        else:
            point = Point(float(lat), float(lon))

    straal = DEFAULT_RADIUS_M
    raw_straal = _single(args, "straal")
    if raw_straal is not None:
        value = _number(raw_straal, int)
        if value is None or not 1 <= value <= MAX_RADIUS_M:
            errors["straal"] = N_("Radius (straal) must be a whole number of metres from 1 to 25000.")
        else:
            straal = int(value)
        if point is None and "lat" not in errors:
            errors["straal"] = N_("A radius (straal) needs a point: give lat and lon as well.")

    dataset = _single(args, "dataset")
    if dataset is not None and not _NAME.match(dataset):
        errors["dataset"] = N_("Dataset must be the name of a dataset, e.g. vergunningen-utrecht.")

    limit = default_limit
    raw_limit = _single(args, "limit")
    if raw_limit is not None:
        value = _number(raw_limit, int)
        if value is None or not 1 <= value <= max_limit:
            errors["limit"] = N_("limit must be a whole number from 1 to the maximum of this endpoint.")
        else:
            limit = int(value)
    offset = 0
    raw_offset = _single(args, "offset")
    if raw_offset is not None:
        value = _number(raw_offset, int)
        if value is None or value < 0:
            errors["offset"] = N_("offset must be a whole number, 0 or more.")
        else:
            offset = int(value)

    order = Order.DISTANCE if point is not None else Order.DATE
    raw_order = _single(args, "sorteer")
    if raw_order is not None:
        try:
            order = Order(raw_order)
        except ValueError:
            errors["sorteer"] = N_("sorteer must be datum or afstand.")
        if order is Order.DISTANCE and point is None:
            errors["sorteer"] = N_("Sorting by distance needs a point: give lat and lon as well.")

    if errors:
        raise FilterError(errors)
    return Filters(
        gemeente=gemeente, postcode=postcode, soort=soort, fase=fase, sinds=sinds, point=point, straal=straal,
        dataset=dataset, limit=limit, offset=offset, order=order,
    )


# --- geometry -----------------------------------------------------------------------------------------


def bounding_box(point: Point, radius_m: float) -> tuple[float, float, float, float]:
    """(lat_min, lat_max, lon_min, lon_max) of a box that holds the whole circle, with 1% to spare.

    The SQL computes the same haversine distance as ``harvesters.geo.haversine_m``."""
    dlat = radius_m * 1.01 / METRES_PER_DEGREE_LAT
    dlon = radius_m * 1.01 / (METRES_PER_DEGREE_LAT * max(0.01, math.cos(math.radians(point.lat))))
    return point.lat - dlat, point.lat + dlat, point.lon - dlon, point.lon + dlon


_DISTANCE_SQL = (
    f"({2 * EARTH_RADIUS_M} * asin(least(1.0, sqrt("
    "power(sin(radians(lat - :lat) / 2), 2)"
    " + cos(radians(:lat)) * cos(radians(lat)) * power(sin(radians(lon - :lon) / 2), 2)))))"
)


# --- SQL ------------------------------------------------------------------------------------------------


def _conditions(filters: Filters, params: dict[str, Any]) -> list[str]:
    """WHERE clauses shared by every table; values go into ``params``."""
    where: list[str] = []
    if filters.gemeente:
        where.append("lower(gemeente) = lower(:gemeente)")
        params["gemeente"] = filters.gemeente
    if filters.postcode:
        if len(filters.postcode) == 6:
            where.append("postcode = :postcode")
            params["postcode"] = filters.postcode
        else:
            where.append("postcode LIKE :postcode_pattern")
            params["postcode_pattern"] = f"{filters.postcode}__"
    if filters.soort:
        names = _bind_list("soort", filters.soort, params)
        where.append(f"soort IN ({names})")
    if filters.fase:
        names = _bind_list("fase", filters.fase, params)
        where.append(f"fase IN ({names})")
    if filters.sinds:
        where.append("coalesce(published_date, document_date) >= :sinds")
        params["sinds"] = filters.sinds
    if filters.point:
        lat_min, lat_max, lon_min, lon_max = bounding_box(filters.point, filters.straal)
        where.append("lat BETWEEN :lat_min AND :lat_max AND lon BETWEEN :lon_min AND :lon_max")
        params.update(lat=filters.point.lat, lon=filters.point.lon, lat_min=lat_min, lat_max=lat_max,
                      lon_min=lon_min, lon_max=lon_max, straal=filters.straal)
    return where


def _bind_list(prefix: str, values: Sequence[str], params: dict[str, Any]) -> str:
    names = []
    for index, value in enumerate(values):
        params[f"{prefix}_{index}"] = value
        names.append(f":{prefix}_{index}")
    return ", ".join(names)


def _union(tables: Iterable[Table], filters: Filters, params: dict[str, Any]) -> str:
    """One SELECT a table, glued with UNION ALL; the distance column is NULL without a point."""
    where = _conditions(filters, params)
    where_sql = f" WHERE {' AND '.join(where)}" if where else ""
    distance = _DISTANCE_SQL if filters.point else "CAST(NULL AS double precision)"
    columns = ", ".join(COLUMNS)
    parts = []
    for index, table in enumerate(tables):
        params[f"dataset_{index}"] = table.dataset
        parts.append(
            f'SELECT {columns}, CAST(:dataset_{index} AS text) AS dataset, {distance} AS afstand '
            f'FROM "{table.resource_id}"{where_sql}'
        )
    return " UNION ALL ".join(parts)


def _selected(tables: Sequence[Table], filters: Filters, params: dict[str, Any]) -> str:
    """The union with the radius applied (afstand is only known after the inner SELECT)."""
    radius = " WHERE afstand <= :straal" if filters.point else ""
    return f"SELECT * FROM ({_union(tables, filters, params)}) AS vergunningen{radius}"


def _only(tables: Sequence[Table], filters: Filters) -> list[Table]:
    return [t for t in tables if filters.dataset is None or t.dataset == filters.dataset]


def search_sql(tables: Sequence[Table], filters: Filters) -> SqlQuery | None:
    """The rows asked for, one page of them; None when there is no table to search."""
    tables = _only(tables, filters)
    if not tables:
        return None
    params: dict[str, Any] = {"limit": filters.limit, "offset": filters.offset}
    if filters.order is Order.DISTANCE:
        order_by = "afstand ASC, identifier ASC"
    else:
        order_by = "coalesce(published_date, document_date) DESC NULLS LAST, modified DESC NULLS LAST, identifier ASC"
    text = f"{_selected(tables, filters, params)} ORDER BY {order_by} LIMIT :limit OFFSET :offset"
    return SqlQuery(text, params)


def count_sql(tables: Sequence[Table], filters: Filters) -> SqlQuery | None:
    """How many rows match in all, for paging."""
    tables = _only(tables, filters)
    if not tables:
        return None
    params: dict[str, Any] = {}
    return SqlQuery(f"SELECT count(*) AS total FROM ({_selected(tables, filters, params)}) AS matched", params)


def facets_sql(tables: Sequence[Table]) -> SqlQuery | None:
    """Which kinds and phases occur, with counts, so the map's filter lists offer only real values."""
    if not tables:
        return None
    parts = [f'SELECT soort, fase FROM "{t.resource_id}"' for t in tables]
    text = (
        f"SELECT soort, fase, count(*) AS aantal FROM ({' UNION ALL '.join(parts)}) AS alle "
        "GROUP BY soort, fase ORDER BY soort, fase"
    )
    return SqlQuery(text, {})


def postcode_centre_sql(tables: Sequence[Table], postcode: str) -> SqlQuery | None:
    """The mean position of the permits in a PC4/PC6 area: a centre for the map without a geocoder."""
    filters = Filters(postcode=postcode)
    if not tables:
        return None
    params: dict[str, Any] = {}
    where = " AND ".join([*_conditions(filters, params), "lat IS NOT NULL", "lon IS NOT NULL"])
    parts = [f'SELECT lat, lon FROM "{t.resource_id}" WHERE {where}' for t in tables]
    return SqlQuery(
        f"SELECT avg(lat) AS lat, avg(lon) AS lon, count(*) AS aantal FROM ({' UNION ALL '.join(parts)}) AS p",
        params,
    )


def address_sql(tables: Sequence[Table], street: str, number: str | None, place: str | None) -> SqlQuery | None:
    """Where a street (and number, and place) lies according to the permits we hold."""
    if not tables:
        return None
    params: dict[str, Any] = {"straat": street}
    where = ["lower(straat) = lower(:straat)", "lat IS NOT NULL", "lon IS NOT NULL"]
    if number:
        where.append("lower(huisnummer) = lower(:huisnummer)")
        params["huisnummer"] = number
    if place:
        where.append("(lower(woonplaats) = lower(:plaats) OR lower(gemeente) = lower(:plaats))")
        params["plaats"] = place
    parts = [f'SELECT lat, lon FROM "{t.resource_id}" WHERE {" AND ".join(where)}' for t in tables]
    return SqlQuery(
        f"SELECT avg(lat) AS lat, avg(lon) AS lon, count(*) AS aantal FROM ({' UNION ALL '.join(parts)}) AS a",
        params,
    )

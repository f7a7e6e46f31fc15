"""The parameterised SQL that applies ``Filters`` (``filters.py``) to the permits of every vergunningen dataset.

Each harvest source fills its own DataStore table (one per municipality), so a search across the
country is a ``UNION ALL`` over those tables. Table names are resource ids we looked up ourselves
and check to be UUIDs; every value a user typed is a bound parameter, never part of the SQL text.

"Around a point" is a bounding box narrowed down by the haversine distance, both in SQL (``geo.py``), so
the radius is a true circle and the answer can be sorted by distance. Plain module: no CKAN, no Flask;
the action in ``logic/action.py`` runs what this builds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.openoverheid import geo
from ckanext.openoverheid.vergunningen.filters import Filters, Order

# The columns of a vergunningen table, in the order the harvester creates them.
COLUMNS = (
    "identifier", "title", "soort", "fase", "document_date", "published_date", "modified",
    "einde_bezwaartermijn", "straat", "huisnummer", "postcode", "woonplaats", "gemeente", "lat", "lon", "url",
)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


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
        lat_min, lat_max, lon_min, lon_max = geo.bounding_box(filters.point.lat, filters.point.lon, filters.straal)
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
    distance = geo.distance_sql_text() if filters.point else "CAST(NULL AS double precision)"
    columns = ", ".join(COLUMNS)
    parts = []
    for index, table in enumerate(tables):
        params[f"dataset_{index}"] = table.dataset
        parts.append(
            f'SELECT {columns}, CAST(:dataset_{index} AS text) AS dataset, {distance} AS afstand '
            f'FROM "{table.resource_id}"{where_sql}'
        )
    return " UNION ALL ".join(parts)


# One notice, one row: when two sources harvested the same notice (a municipality's own source and a
# regional one, or a source set up twice) it is in two tables with the same identifier. Within one
# table the identifier is the primary key, so a single table needs no de-duplication. The most
# recently modified copy wins; on a tie the first dataset by name, so the answer is always the same.
_ONE_ROW_PER_NOTICE = "DISTINCT ON (identifier)"
_NEWEST_COPY_FIRST = "ORDER BY identifier, modified DESC NULLS LAST, dataset"


def _selected(tables: Sequence[Table], filters: Filters, params: dict[str, Any]) -> str:
    """The union with the radius applied (afstand is only known after the inner SELECT), one row a notice."""
    radius = " WHERE afstand <= :straal" if filters.point else ""
    if len(tables) == 1:
        return f"SELECT * FROM ({_union(tables, filters, params)}) AS vergunningen{radius}"
    return (f"SELECT {_ONE_ROW_PER_NOTICE} * FROM ({_union(tables, filters, params)}) AS vergunningen{radius} "
            f"{_NEWEST_COPY_FIRST}")


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
    selected = _selected(tables, filters, params)
    text = f"SELECT * FROM ({selected}) AS gekozen ORDER BY {order_by} LIMIT :limit OFFSET :offset"
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
    parts = [f'SELECT identifier, soort, fase, modified, CAST(:dataset_{index} AS text) AS dataset '
             f'FROM "{t.resource_id}"' for index, t in enumerate(tables)]
    params = {f"dataset_{index}": t.dataset for index, t in enumerate(tables)}
    union = " UNION ALL ".join(parts)
    notices = union
    if len(tables) > 1:
        notices = f"SELECT {_ONE_ROW_PER_NOTICE} * FROM ({union}) AS alle {_NEWEST_COPY_FIRST}"
    text = (
        f"SELECT soort, fase, count(*) AS aantal FROM ({notices}) AS uniek "
        "GROUP BY soort, fase ORDER BY soort, fase"
    )
    return SqlQuery(text, params)


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

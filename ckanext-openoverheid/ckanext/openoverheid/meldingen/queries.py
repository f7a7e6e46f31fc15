"""Finding meldingen in the database: one filter object for the list page, the map, Open311, the
feeds and the open data, so they cannot disagree about what matches.

Distances: a box around the point narrows the rows in SQL (indexed lat/lon), then the exact
great-circle distance decides; PostGIS is not needed for radii of metres to kilometres.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ckanext.openoverheid.meldingen.model import Melding
from harvesters.geo import haversine_m

METRES_PER_DEGREE_LAT = 111_320.0


@dataclass
class Filters:
    """What to look for. Empty lists and None mean "any"."""

    ids: Sequence[int] = ()
    service_codes: Sequence[str] = ()
    statuses: Sequence[str] = ()
    organization_ids: Sequence[str] = ()
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    near: tuple[float, float, float] | None = None  # lat, lon, radius in metres
    # Hidden meldingen are left out, except those of these organisations (their staff asks).
    hidden_visible_for: Sequence[str] = ()
    only_hidden: bool = False
    newest_first: bool = True
    order_by_updated: bool = False
    limit: int = 50
    offset: int = 0
    with_updates: bool = True
    exclude_ids: Sequence[int] = field(default_factory=tuple)


def box_around(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """A (min_lon, min_lat, max_lon, max_lat) box that holds every point within ``radius_m``."""
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlon = radius_m / (METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def _statement(filters: Filters):  # -> Select
    stmt = select(Melding)
    if filters.ids:
        stmt = stmt.where(Melding.id.in_(list(filters.ids)))
    if filters.exclude_ids:
        stmt = stmt.where(Melding.id.not_in(list(filters.exclude_ids)))
    if filters.service_codes:
        stmt = stmt.where(Melding.service_code.in_(list(filters.service_codes)))
    if filters.statuses:
        stmt = stmt.where(Melding.status.in_(list(filters.statuses)))
    if filters.organization_ids:
        stmt = stmt.where(Melding.organization_id.in_(list(filters.organization_ids)))
    if filters.start is not None:
        stmt = stmt.where(Melding.requested >= filters.start)
    if filters.end is not None:
        stmt = stmt.where(Melding.requested <= filters.end)
    boxes = [b for b in (filters.bbox, box_around(*filters.near) if filters.near else None) if b]
    for min_lon, min_lat, max_lon, max_lat in boxes:
        stmt = stmt.where(Melding.lon.between(min_lon, max_lon), Melding.lat.between(min_lat, max_lat))
    if filters.only_hidden:
        stmt = stmt.where(Melding.hidden.is_(True), Melding.organization_id.in_(list(filters.hidden_visible_for)))
    elif filters.hidden_visible_for:
        stmt = stmt.where(
            Melding.hidden.is_(False) | Melding.organization_id.in_(list(filters.hidden_visible_for))
        )
    else:
        stmt = stmt.where(Melding.hidden.is_(False))
    column = Melding.updated if filters.order_by_updated else Melding.requested
    stmt = stmt.order_by(column.desc() if filters.newest_first else column.asc(), Melding.id.desc())
    return stmt


def search(session: Session, filters: Filters) -> tuple[int, list[Melding]]:
    """(number of matches, the page of matches) for ``filters``."""
    stmt = _statement(filters)
    if filters.with_updates:
        stmt = stmt.options(selectinload(Melding.updates))
    if filters.near:
        lat, lon, radius = filters.near
        candidates = [
            m for m in session.scalars(stmt).all() if haversine_m(lat, lon, m.lat, m.lon) <= radius
        ]
        return len(candidates), candidates[filters.offset : filters.offset + filters.limit]
    count = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = session.scalars(stmt.limit(filters.limit).offset(filters.offset)).all()
    return int(count), list(page)


def distance_m(melding: Melding, lat: float, lon: float) -> float:
    return haversine_m(lat, lon, melding.lat, melding.lon)

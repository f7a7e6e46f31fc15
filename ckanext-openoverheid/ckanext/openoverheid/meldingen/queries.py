"""Finding meldingen in the database: one filter object for the list page, the map, Open311, the
feeds and the open data, so they cannot disagree about what matches.

Distances: a box around the point, then the exact great-circle distance, both in SQL (``geo.py``), so
LIMIT and OFFSET apply in the database and a page costs the same however many meldingen the circle holds.

Pages are named tuples of plain columns (``records.MeldingRow``), not ORM objects: a list of up to
a thousand meldingen is only read, and building mapped objects (or reading SQLAlchemy rows by
attribute name) would cost more than the query itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ckan.model import group_table
from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.orm import Session

from ckanext.openoverheid import geo
from ckanext.openoverheid.meldingen.model import Melding, MeldingUpdate
from ckanext.openoverheid.meldingen.records import PUBLIC_KINDS, MeldingFields, MeldingRow

# Core tables, not the mapped classes: the statements here only read, and through the ORM the same
# query costs a good part more Python than it costs PostgreSQL.
melding_table = Melding.__table__
update_table = MeldingUpdate.__table__

# The columns of records.MeldingRow, in its order (its status_notes comes from _latest_notes).
ROW_COLUMNS = (
    *(melding_table.c[name] for name in MeldingRow._fields if name in melding_table.c),
    group_table.c.name.label("organization_name"),
    group_table.c.title.label("organization_title"),
)
UPDATE_COLUMNS = tuple(
    update_table.c[name] for name in ("id", "melding_id", "kind", "status_from", "status_to", "text", "photo",
                                              "photo_thumbnail", "photo_hidden", "created")
)


SORT_COLUMNS = ("requested", "updated", "due")


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
    # The order: by SORT_COLUMNS[order_by], newest (or latest due) first unless ascending.
    order_by: str = "requested"
    newest_first: bool = True
    limit: int = 50
    offset: int = 0
    exclude_ids: Sequence[int] = field(default_factory=tuple)


def _where(stmt: Select[Any], filters: Filters) -> Select[Any]:
    m = melding_table.c
    if filters.ids:
        stmt = stmt.where(m.id.in_(list(filters.ids)))
    if filters.exclude_ids:
        stmt = stmt.where(m.id.not_in(list(filters.exclude_ids)))
    if filters.service_codes:
        stmt = stmt.where(m.service_code.in_(list(filters.service_codes)))
    if filters.statuses:
        stmt = stmt.where(m.status.in_(list(filters.statuses)))
    if filters.organization_ids:
        stmt = stmt.where(m.organization_id.in_(list(filters.organization_ids)))
    if filters.start is not None:
        stmt = stmt.where(m.requested >= filters.start)
    if filters.end is not None:
        stmt = stmt.where(m.requested <= filters.end)
    if filters.bbox:
        min_lon, min_lat, max_lon, max_lat = filters.bbox
        stmt = stmt.where(m.lon.between(min_lon, max_lon), m.lat.between(min_lat, max_lat))
    if filters.near:
        lat, lon, radius = filters.near
        box = geo.bounding_box(lat, lon, radius)
        stmt = stmt.where(m.lon.between(box.min_lon, box.max_lon), m.lat.between(box.min_lat, box.max_lat),
                          geo.distance_sql(m.lat, m.lon, lat, lon) <= radius)
    if filters.only_hidden:
        stmt = stmt.where(m.hidden.is_(True), m.organization_id.in_(list(filters.hidden_visible_for)))
    elif filters.hidden_visible_for:
        stmt = stmt.where(m.hidden.is_(False) | m.organization_id.in_(list(filters.hidden_visible_for)))
    else:
        stmt = stmt.where(m.hidden.is_(False))
    return stmt


def count(session: Session, filters: Filters) -> int:
    """How many meldingen match ``filters`` (all pages)."""
    return int(session.scalar(_where(select(func.count()).select_from(melding_table), filters)) or 0)


def _latest_notes() -> ColumnElement[str | None]:
    """The text of the melding's latest public response, in SQL: ``records.status_notes``."""
    u = update_table.c
    return (
        select(u.text)
        .where(u.melding_id == melding_table.c.id, u.kind == "update", u.text.is_not(None), u.text != "")
        .order_by(u.created.desc(), u.id.desc())
        .limit(1)
        .scalar_subquery()
        .label("status_notes")
    )


# Statements are immutable: the parts that never change are built once.
_WITH_ORGANIZATION = melding_table.outerjoin(group_table, group_table.c.id == melding_table.c.organization_id)
_PAGE = select(*ROW_COLUMNS).select_from(_WITH_ORGANIZATION)
_PAGE_WITH_NOTES = select(*ROW_COLUMNS, _latest_notes()).select_from(_WITH_ORGANIZATION)


def page(session: Session, filters: Filters, *, with_notes: bool = False) -> list[MeldingRow]:
    """The page of matches for ``filters``; with ``with_notes``, each with its ``status_notes``."""
    m = melding_table.c
    column = m[filters.order_by]
    order = column.desc() if filters.newest_first else column.asc()
    if filters.order_by == "due":
        order = order.nulls_last()  # meldingen without a target last, either way (only here: it keeps the index)
    stmt = _where(_PAGE_WITH_NOTES if with_notes else _PAGE, filters)
    stmt = stmt.order_by(order, m.id.desc())
    rows = session.execute(stmt.limit(filters.limit).offset(filters.offset)).all()  # one fetchall, not a fetch a row
    return [MeldingRow(*row) for row in rows]


def public_updates(session: Session, melding_ids: Sequence[int]) -> dict[int, list[Row[Any]]]:
    """The public history (updates of the kinds in ``PUBLIC_KINDS``) of each melding, oldest first."""
    history: dict[int, list[Row[Any]]] = {melding_id: [] for melding_id in melding_ids}
    if not melding_ids:
        return history
    u = update_table.c
    stmt = select(*UPDATE_COLUMNS).where(u.melding_id.in_(list(melding_ids)), u.kind.in_(PUBLIC_KINDS))
    for row in session.execute(stmt.order_by(u.created, u.id)).all():
        history[row.melding_id].append(row)
    return history


def distance_m(melding: MeldingFields, lat: float, lon: float) -> float:
    return geo.haversine_m(lat, lon, melding.lat, melding.lon)

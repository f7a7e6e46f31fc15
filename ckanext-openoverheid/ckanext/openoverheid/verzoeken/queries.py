"""The SQL of the request lists: filters from ``verzoek_list``'s parameters, one page and the count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ckanext.openoverheid.verzoeken.model import Status, Verzoek, VerzoekSteun

# The order of ``sort=status``: open first (as a handler reads the list), then answered.
STATUS_ORDER = (Status.ONTVANGEN, Status.IN_BEHANDELING, Status.GEPUBLICEERD, Status.AFGEWEZEN)
SORTS = {
    "steun": (Verzoek.support_count.desc(), Verzoek.confirmed.desc(), Verzoek.id.desc()),
    "nieuw": (Verzoek.confirmed.desc(), Verzoek.id.desc()),
    "oud": (Verzoek.confirmed.asc(), Verzoek.id.asc()),
    "status": (sa.case({s.value: i for i, s in enumerate(STATUS_ORDER)}, value=Verzoek.status, else_=99),
               Verzoek.confirmed.desc(), Verzoek.id.desc()),
    "bijgewerkt": (Verzoek.updated.desc(), Verzoek.id.desc()),
}


@dataclass
class Filters:
    soorten: Sequence[str] = ()
    statuses: Sequence[str] = ()
    organization_ids: Sequence[str] | None = None
    dataset_id: str | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    # The organisations whose hidden requests the user may see (their staff); None: everything (sysadmin).
    hidden_visible_for: Sequence[str] | None = field(default_factory=list)
    sort: str = "steun"
    limit: int = 50
    offset: int = 0


def _where(stmt: sa.Select[Any], filters: Filters) -> sa.Select[Any]:
    stmt = stmt.where(Verzoek.confirmed.is_not(None))
    if filters.hidden_visible_for is not None:
        stmt = stmt.where(sa.or_(Verzoek.hidden.is_(False),
                                 Verzoek.organization_id.in_(list(filters.hidden_visible_for))))
    if filters.soorten:
        stmt = stmt.where(Verzoek.soort.in_(list(filters.soorten)))
    if filters.statuses:
        stmt = stmt.where(Verzoek.status.in_(list(filters.statuses)))
    if filters.organization_ids is not None:
        stmt = stmt.where(Verzoek.organization_id.in_(list(filters.organization_ids)))
    if filters.dataset_id:
        stmt = stmt.where(Verzoek.dataset_id == filters.dataset_id)
    if filters.text:
        like = "%" + filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(sa.or_(Verzoek.titel.ilike(like, escape="\\"), Verzoek.toelichting.ilike(like, escape="\\")))
    if filters.bbox:
        min_lon, min_lat, max_lon, max_lat = filters.bbox
        stmt = stmt.where(Verzoek.lat.between(min_lat, max_lat), Verzoek.lon.between(min_lon, max_lon))
    return stmt


def page(session: Session, filters: Filters) -> list[Verzoek]:
    stmt = _where(sa.select(Verzoek), filters).order_by(*SORTS.get(filters.sort, SORTS["steun"]))
    return list(session.scalars(stmt.limit(filters.limit).offset(filters.offset)))


def count(session: Session, filters: Filters) -> int:
    return int(session.scalar(_where(sa.select(sa.func.count(Verzoek.id)), filters)) or 0)


def recount_support(session: Session, verzoek_id: int) -> None:
    """``support_count`` from the confirmed supporters (in the caller's transaction)."""
    confirmed = (sa.select(sa.func.count(VerzoekSteun.id))
                 .where(VerzoekSteun.verzoek_id == verzoek_id, VerzoekSteun.confirmed.is_not(None))
                 .scalar_subquery())
    session.execute(sa.update(Verzoek).where(Verzoek.id == verzoek_id).values(support_count=confirmed))


def packages_by_id(session: Session, ids: Sequence[str | None]) -> dict[str, model.Package]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return {p.id: p for p in session.query(model.Package).filter(model.Package.id.in_(wanted))}


def groups_by_id(session: Session, ids: Sequence[str | None]) -> dict[str, model.Group]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return {g.id: g for g in session.query(model.Group).filter(model.Group.id.in_(wanted))}

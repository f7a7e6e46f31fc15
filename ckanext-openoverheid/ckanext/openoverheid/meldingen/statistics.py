"""The dashboard's figures of one municipality over a period, counted by PostgreSQL.

Which meldingen: those of the organisation **reported** in the period (``Period.bounds``: local days).
Hidden meldingen count: they are reports the municipality received and handled too (hiding is about
what the public sees); the report export marks them and leaves out their address.

- per category and status: how many;
- per category and overall (``ROLLUP``): reported, closed (``Melding.closed`` set: closed now), the
  median and 90th percentile of the time to solve (``closed - requested``, ``percentile_cont``, in
  days), and how many closed ones had a target (``due``) and how many of those were closed by then;
  a melding without ``due`` has no target and is left out of that share;
- the "is it solved?" answers (``MeldingFeedback``) about the period's meldingen, per category;
- the reports in cells of about ``cell_m`` metres, for the heat map.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, and_, case, cast, func, select
from sqlalchemy.orm import Session

from ckanext.openoverheid.meldingen.model import Melding, MeldingFeedback
from ckanext.openoverheid.meldingen.period import Period

SECONDS_PER_DAY = 86400.0
METRES_PER_DEGREE_LATITUDE = 111_320.0

m = Melding.__table__.c
f = MeldingFeedback.__table__.c


@dataclass
class CategoryFigures:
    """One category (``service_code``), or all of them (``service_code`` None)."""

    service_code: str | None
    reported: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    closed: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    closed_with_target: int = 0
    within_target: int = 0
    solved_yes: int = 0
    solved_no: int = 0

    @property
    def share_within_target(self) -> float | None:
        """Of the closed meldingen that had a target, the part closed by then (0–1)."""
        return self.within_target / self.closed_with_target if self.closed_with_target else None


@dataclass(frozen=True)
class Cell:
    """A rectangle of the heat map (south-west and north-east corners) and its number of reports."""

    south: float
    west: float
    north: float
    east: float
    count: int


@dataclass(frozen=True)
class Report:
    """One melding of the export: no description, no contact data, no user names."""

    id: int
    service_code: str
    status: str
    requested: datetime.datetime
    closed: datetime.datetime | None
    due: datetime.datetime | None
    lat: float
    lon: float
    address: str | None
    hidden: bool

    @property
    def within_target(self) -> bool | None:
        if self.closed is None or self.due is None:
            return None
        return self.closed <= self.due

    @property
    def days_to_solve(self) -> float | None:
        if self.closed is None:
            return None
        return (self.closed - self.requested).total_seconds() / SECONDS_PER_DAY


def _in(organization_id: str, period: Period) -> Any:
    start, after = period.bounds()
    return and_(m.organization_id == organization_id, m.requested >= start, m.requested < after)


def _days(seconds: Any) -> float | None:
    return None if seconds is None else float(seconds) / SECONDS_PER_DAY


def figures(session: Session, organization_id: str, period: Period) -> tuple[list[CategoryFigures], CategoryFigures]:
    """The figures per category (those with reports, by code) and overall."""
    where = _in(organization_id, period)
    solve_seconds = func.extract("epoch", m.closed - m.requested)
    is_closed = m.closed.is_not(None)
    with_target = and_(is_closed, m.due.is_not(None))
    totals = select(
        m.service_code,
        func.count(),
        func.count(m.closed),
        func.percentile_cont(0.5).within_group(solve_seconds).filter(is_closed),
        func.percentile_cont(0.9).within_group(solve_seconds).filter(is_closed),
        func.count().filter(with_target),
        func.count().filter(and_(with_target, m.closed <= m.due)),
    ).where(where).group_by(func.rollup(m.service_code))
    by_code: dict[str | None, CategoryFigures] = {}
    for code, reported, closed, median, p90, targeted, within in session.execute(totals):
        by_code[code] = CategoryFigures(code, int(reported), {}, int(closed), _days(median), _days(p90),
                                        int(targeted), int(within))
    overall = by_code.pop(None, None) or CategoryFigures(None)
    statuses = select(m.service_code, m.status, func.count()).where(where).group_by(m.service_code, m.status)
    for code, status, count in session.execute(statuses):
        by_code[code].statuses[status] = int(count)
        overall.statuses[status] = overall.statuses.get(status, 0) + int(count)
    answers = (
        select(f.service_code, func.count().filter(f.solved.is_(True)), func.count().filter(f.solved.is_(False)))
        .select_from(MeldingFeedback.__table__.join(Melding.__table__, m.id == f.melding_id))
        .where(where).group_by(f.service_code)
    )
    for code, yes, no in session.execute(answers):
        category = by_code.setdefault(code, CategoryFigures(code))  # answered under a category changed since
        category.solved_yes, category.solved_no = int(yes), int(no)
        overall.solved_yes += int(yes)
        overall.solved_no += int(no)
    return [by_code[code] for code in sorted(c for c in by_code if c is not None)], overall


def cell_size(cell_m: float, latitude: float) -> tuple[float, float]:
    """(degrees of latitude, degrees of longitude) of a cell about ``cell_m`` metres square there."""
    height = cell_m / METRES_PER_DEGREE_LATITUDE
    return height, height / max(math.cos(math.radians(latitude)), 0.01)


def cells(session: Session, organization_id: str, period: Period, *, cell_m: float = 250.0,
          latitude: float = 52.1) -> list[Cell]:
    """The period's reports counted in cells of about ``cell_m`` metres (measured at ``latitude``)."""
    height, width = cell_size(cell_m, latitude)
    row = func.floor(m.lat / height)
    column = func.floor(m.lon / width)
    stmt = (select(cast(row, Float), cast(column, Float), func.count())
            .where(_in(organization_id, period)).group_by(row, column).order_by(func.count().desc(), row, column))
    return [Cell(r * height, c * width, (r + 1) * height, (c + 1) * width, int(count))
            for r, c, count in session.execute(stmt)]


def reports(session: Session, organization_id: str, period: Period) -> list[Report]:
    """The period's meldingen, oldest first, with only what the export may hold."""
    stmt = (select(m.id, m.service_code, m.status, m.requested, m.closed, m.due, m.lat, m.lon,
                   case((m.hidden.is_(True), None), else_=m.address), m.hidden)
            .where(_in(organization_id, period)).order_by(m.requested, m.id))
    return [Report(*row) for row in session.execute(stmt)]

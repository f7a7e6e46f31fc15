"""Response targets: by when a melding should be handled, from the moment it was reported.

Days are counted in Europe/Amsterdam, the municipality's calendar, whatever the server's zone. A
target of N days ends at the end of the Nth day after the report day (23:59:59 there), so a report
is on time all through its due day. Working days skip Saturdays, Sundays and the Dutch public
holidays that the ``holidays`` library knows (``holidays.Netherlands``). Nothing here knows CKAN.
"""

from __future__ import annotations

import datetime
import enum
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays

ZONE = ZoneInfo("Europe/Amsterdam")
END_OF_DAY = datetime.time(23, 59, 59)


class DayKind(enum.Enum):
    """How the days of a target count; the values are the words of the categories file."""

    WORKING = "werkdagen"
    CALENDAR = "kalenderdagen"


@dataclass(frozen=True)
class Target:
    """``days`` days of ``kind`` after the report day."""

    days: int
    kind: DayKind


@functools.lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Netherlands(years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def due_day(reported_on: datetime.date, target: Target) -> datetime.date:
    """The last day of ``target`` for a report made on ``reported_on`` (a day in Amsterdam)."""
    if target.kind is DayKind.CALENDAR:
        return reported_on + datetime.timedelta(days=target.days)
    day, counted = reported_on, 0
    while counted < target.days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def due(reported: datetime.datetime, target: Target) -> datetime.datetime:
    """The moment a report made at ``reported`` (aware; a naive one is taken as UTC) is due: the end
    of its due day in Amsterdam, returned in UTC."""
    if reported.tzinfo is None:
        reported = reported.replace(tzinfo=datetime.UTC)
    day = due_day(reported.astimezone(ZONE).date(), target)
    return datetime.datetime.combine(day, END_OF_DAY, tzinfo=ZONE).astimezone(datetime.UTC)


def is_overdue(due_at: datetime.datetime | None, now: datetime.datetime, *, is_open: bool) -> bool:
    """Whether an open report is past its due moment; a closed one, or one without a target, never is."""
    if due_at is None or not is_open:
        return False
    if due_at.tzinfo is None:
        due_at = due_at.replace(tzinfo=datetime.UTC)
    return now > due_at

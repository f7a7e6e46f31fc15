"""The period of the dashboard: whole days in Europe/Amsterdam, from the dates a person types.

Pure: no CKAN, no database. Messages are English msgids (marked with ``N_`` for extraction); the
action translates them, so this module can be tested without a request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEFAULT_DAYS = 30
MAX_DAYS = 366  # a (leap) year; the report export holds every melding of the period in memory
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated where it is shown."""
    return message


BAD_DATE = N_("Enter a date as YYYY-MM-DD, for example 2026-03-31.")
OUT_OF_RANGE = N_("Enter a date between 1900 and 2999.")
END_BEFORE_START = N_("The end date is before the start date.")
TOO_LONG = N_("Choose a period of at most %(days)s days.")


class PeriodError(ValueError):
    """The typed dates do not make a period. ``errors``: field (``start_date``/``end_date``) → msgid."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, tz: datetime.tzinfo = AMSTERDAM) -> tuple[datetime.datetime, datetime.datetime]:
        """Midnight at the start and midnight after the end, in ``tz``: ``start <= requested < end``.

        Days across a change of summer time are 23 or 25 hours long; local midnights count them right."""
        begin = datetime.datetime.combine(self.start, datetime.time(), tzinfo=tz)
        after = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
        return begin, after


def default_period(today: datetime.date) -> Period:
    """The last ``DEFAULT_DAYS`` days, today included."""
    return Period(today - datetime.timedelta(days=DEFAULT_DAYS - 1), today)


def _date(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError({"": BAD_DATE}) from None
    if not EARLIEST <= day <= LATEST:
        raise PeriodError({"": OUT_OF_RANGE})
    return day


def parse_period(start: str | None, end: str | None, today: datetime.date) -> Period:
    """The period of two typed dates (``YYYY-MM-DD``); a missing one is taken from the default period
    (a missing start: ``DEFAULT_DAYS`` before the end). Every problem is named in one ``PeriodError``."""
    errors: dict[str, str] = {}
    days: dict[str, datetime.date] = {}
    for field, value in (("start_date", start), ("end_date", end)):
        if value is None or not str(value).strip():
            continue
        try:
            days[field] = _date(str(value))
        except PeriodError as error:
            errors[field] = error.errors[""]
    if errors:
        raise PeriodError(errors)
    end_day = days.get("end_date") or max(today, days.get("start_date", today))
    start_day = days.get("start_date") or default_period(end_day).start
    if end_day < start_day:
        raise PeriodError({"end_date": END_BEFORE_START})
    period = Period(start_day, end_day)
    if period.days > MAX_DAYS:
        raise PeriodError({"end_date": TOO_LONG})
    return period


def percentile(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's ``percentile_cont``: linear interpolation between the closest ranks.

    The statistics ask PostgreSQL; this is the same rule in Python, to test the expected figures by."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)

"""When a waste-collection reminder is due: the evening before, from the reminder time until midnight,
in local time (summer and winter time alike), for tomorrow's collections only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ckanext.openoverheid.attenderingen.sources.afvalkalender import Collection, due_collections, reminder_day

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SEVEN_PM = dt.time(19, 0)
MONDAY = dt.date(2026, 7, 6)
COLLECTIONS = [Collection(MONDAY, "gft"), Collection(MONDAY, "papier"), Collection(MONDAY, "gft"),
               Collection(MONDAY + dt.timedelta(days=1), "restafval"), Collection(MONDAY - dt.timedelta(days=1), "pmd")]


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


def test_nothing_is_due_before_the_reminder_time_on_the_evening_before():
    assert due_collections(COLLECTIONS, local(MONDAY - dt.timedelta(days=1), 18, 59), SEVEN_PM, AMSTERDAM) == []


def test_tomorrows_collections_are_due_from_the_reminder_time_until_midnight_once_each():
    sunday = MONDAY - dt.timedelta(days=1)
    expected = [Collection(MONDAY, "gft"), Collection(MONDAY, "papier")]
    assert due_collections(COLLECTIONS, local(sunday, 19, 0), SEVEN_PM, AMSTERDAM) == expected
    assert due_collections(COLLECTIONS, local(sunday, 23, 59), SEVEN_PM, AMSTERDAM) == expected


def test_on_the_day_itself_only_the_next_days_collections_are_due():
    assert due_collections(COLLECTIONS, local(MONDAY, 8, 0), SEVEN_PM, AMSTERDAM) == []
    assert due_collections(COLLECTIONS, local(MONDAY, 20, 0), SEVEN_PM, AMSTERDAM) == [
        Collection(MONDAY + dt.timedelta(days=1), "restafval")]


def test_utc_times_are_read_in_local_time_summer_and_winter():
    # 17:30 UTC is 19:30 in Amsterdam in July (CEST) but 18:30 in January (CET)
    july = dt.datetime(2026, 7, 5, 17, 30, tzinfo=dt.UTC)
    january = dt.datetime(2026, 1, 11, 17, 30, tzinfo=dt.UTC)
    assert reminder_day(july, SEVEN_PM, AMSTERDAM) == dt.date(2026, 7, 6)
    assert reminder_day(january, SEVEN_PM, AMSTERDAM) is None
    # 23:30 UTC on Sunday is already Monday 01:30 in Amsterdam: before Monday's reminder time
    assert reminder_day(dt.datetime(2026, 7, 5, 23, 30, tzinfo=dt.UTC), SEVEN_PM, AMSTERDAM) is None


def test_a_naive_time_is_utc():
    assert reminder_day(dt.datetime(2026, 7, 5, 17, 30), SEVEN_PM, AMSTERDAM) == dt.date(2026, 7, 6)


def test_another_reminder_time():
    sunday = MONDAY - dt.timedelta(days=1)
    assert due_collections(COLLECTIONS, local(sunday, 20, 59), dt.time(21, 0), AMSTERDAM) == []
    assert len(due_collections(COLLECTIONS, local(sunday, 21, 0), dt.time(21, 0), AMSTERDAM)) == 2

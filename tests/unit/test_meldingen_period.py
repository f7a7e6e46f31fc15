"""The dashboard's period and percentile rule (meldingen/period.py), without CKAN."""

from __future__ import annotations

import datetime

import pytest

from ckanext.openoverheid.meldingen.period import (
    AMSTERDAM,
    BAD_DATE,
    END_BEFORE_START,
    OUT_OF_RANGE,
    TOO_LONG,
    Period,
    PeriodError,
    parse_period,
    percentile,
)

TODAY = datetime.date(2026, 3, 31)


def test_without_dates_the_period_is_the_last_30_days_today_included():
    assert parse_period(None, "", TODAY) == Period(datetime.date(2026, 3, 2), TODAY)
    assert parse_period(None, None, TODAY).days == 30


def test_one_date_fills_in_the_other():
    assert parse_period(None, "2026-01-31", TODAY) == Period(datetime.date(2026, 1, 2), datetime.date(2026, 1, 31))
    assert parse_period("2026-03-20", None, TODAY) == Period(datetime.date(2026, 3, 20), TODAY)
    assert parse_period("2026-05-01", None, TODAY) == Period(datetime.date(2026, 5, 1), datetime.date(2026, 5, 1))


@pytest.mark.parametrize(("start", "end", "errors"), [
    ("31-03-2026", None, {"start_date": BAD_DATE}),
    ("2026-03-01", "2026-02-30", {"end_date": BAD_DATE}),
    ("nope", "0001-01-01", {"start_date": BAD_DATE, "end_date": OUT_OF_RANGE}),
    ("2026-03-10", "2026-03-09", {"end_date": END_BEFORE_START}),
    ("2025-01-01", "2026-01-02", {"end_date": TOO_LONG}),
])
def test_bad_dates_are_named_per_field(start, end, errors):
    with pytest.raises(PeriodError) as raised:
        parse_period(start, end, TODAY)
    assert raised.value.errors == errors


def test_a_leap_year_fits():
    assert parse_period("2028-01-01", "2028-12-31", TODAY).days == 366


def test_the_bounds_are_local_midnights_across_summer_time():
    begin, after = Period(datetime.date(2026, 3, 29), datetime.date(2026, 3, 29)).bounds()
    assert begin == datetime.datetime(2026, 3, 28, 23, 0, tzinfo=datetime.UTC)
    assert after == datetime.datetime(2026, 3, 29, 22, 0, tzinfo=datetime.UTC)  # a 23-hour day
    assert begin.tzinfo == AMSTERDAM


def test_percentile_interpolates_like_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.9) == 4.0
    assert percentile([10.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 10.0], 0.9) == pytest.approx(7.6)
    assert percentile([1.0, 2.0], 0.5) == 1.5

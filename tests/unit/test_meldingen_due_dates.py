"""Response targets: the due moment counted in Amsterdam's days, working days skipping weekends and
Dutch public holidays; and the categories file's ``termijn`` checked entry by entry."""

from __future__ import annotations

import datetime

import pytest

from ckanext.openoverheid.meldingen import categories
from ckanext.openoverheid.meldingen.categories import CategoryFileError, parse_categories
from ckanext.openoverheid.meldingen.targets import ZONE, DayKind, Target, due, due_day, is_overdue, is_working_day

WORKING_3 = Target(days=3, kind=DayKind.WORKING)


def _amsterdam(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=ZONE)


def _end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=ZONE)


def test_a_report_on_friday_with_three_working_days_is_due_at_the_end_of_wednesday():
    friday = _amsterdam(2026, 11, 27, 14, 30)
    expected = _end_of(datetime.date(2026, 12, 2))
    assert due(friday, WORKING_3) == expected
    assert due(friday, WORKING_3).tzinfo == datetime.UTC  # stored and shown in UTC, the same moment


def test_a_report_on_saturday_counts_from_monday():
    assert due_day(datetime.date(2026, 11, 28), WORKING_3) == datetime.date(2026, 12, 2)
    assert due_day(datetime.date(2026, 11, 29), WORKING_3) == datetime.date(2026, 12, 2)


def test_christmas_and_new_year_are_skipped():
    # Thursday 24 December 2026: Friday 25th is Christmas, the 26th a Saturday.
    assert due_day(datetime.date(2026, 12, 24), WORKING_3) == datetime.date(2026, 12, 30)
    # Wednesday 30 December: Friday 1 January is New Year's Day.
    assert due_day(datetime.date(2026, 12, 30), WORKING_3) == datetime.date(2027, 1, 5)


def test_easter_and_kings_day_are_skipped():
    # Thursday 25 March 2027: Good Friday (26th) and Easter Monday (29th) are public holidays.
    assert due_day(datetime.date(2027, 3, 25), WORKING_3) == datetime.date(2027, 4, 1)
    # Monday 26 April 2027: King's Day is Tuesday the 27th.
    assert due_day(datetime.date(2027, 4, 26), Target(days=1, kind=DayKind.WORKING)) == datetime.date(2027, 4, 28)
    assert not is_working_day(datetime.date(2027, 4, 27))
    assert is_working_day(datetime.date(2027, 4, 28))


def test_calendar_days_count_weekends_and_holidays():
    one_day = Target(days=1, kind=DayKind.CALENDAR)
    assert due(_amsterdam(2026, 12, 24, 23, 0), one_day) == _end_of(datetime.date(2026, 12, 25))
    assert due_day(datetime.date(2026, 11, 27), Target(days=3, kind=DayKind.CALENDAR)) == datetime.date(2026, 11, 30)


def test_the_day_of_the_report_is_amsterdams_not_utcs():
    # 23:30 UTC on Thursday 26 November is already Friday in Amsterdam.
    late_thursday_utc = datetime.datetime(2026, 11, 26, 23, 30, tzinfo=datetime.UTC)
    assert due(late_thursday_utc, WORKING_3) == _end_of(datetime.date(2026, 12, 2))
    # A naive moment is UTC, as the database gives it.
    assert due(late_thursday_utc.replace(tzinfo=None), WORKING_3) == _end_of(datetime.date(2026, 12, 2))


def test_the_end_of_day_follows_summer_time():
    summer = due(_amsterdam(2026, 7, 3, 9, 0), WORKING_3)  # Friday → Wednesday 8 July
    assert summer == datetime.datetime(2026, 7, 8, 21, 59, 59, tzinfo=datetime.UTC)


def test_only_an_open_report_past_its_due_moment_is_overdue():
    due_at = due(_amsterdam(2026, 11, 27, 14, 30), WORKING_3)
    on_the_day = _amsterdam(2026, 12, 2, 23, 59)
    after = _amsterdam(2026, 12, 3, 0, 0, 1)
    assert not is_overdue(due_at, on_the_day, is_open=True)
    assert is_overdue(due_at, after, is_open=True)
    assert not is_overdue(due_at, after, is_open=False)
    assert not is_overdue(None, after, is_open=True)
    assert is_overdue(due_at.replace(tzinfo=None), after, is_open=True)


def test_every_shipped_category_has_a_target():
    for category in categories.categories():
        assert category.target is not None and category.target.days >= 1, category.code
    assert categories.category("zwerfafval").target == WORKING_3


def _file(termijn: object) -> dict[str, object]:
    return {"categorieen": [{"code": "kuil", "naam": {"nl": "Kuil"}, "termijn": termijn}]}


def test_a_target_is_read_from_the_categories_file():
    (category,) = parse_categories(_file({"dagen": 1, "soort": "kalenderdagen"}))
    assert category.target == Target(days=1, kind=DayKind.CALENDAR)
    (without,) = parse_categories({"categorieen": [{"code": "kuil", "naam": {"nl": "Kuil"}}]})
    assert without.target is None


@pytest.mark.parametrize(
    ("termijn", "message"),
    [
        (3, "'termijn' must look like"),
        ({"dagen": 0, "soort": "werkdagen"}, "'termijn.dagen' must be a whole number from 1 to 365"),
        ({"dagen": "3", "soort": "werkdagen"}, "'termijn.dagen'"),
        ({"dagen": True, "soort": "werkdagen"}, "'termijn.dagen'"),
        ({"dagen": 400, "soort": "werkdagen"}, "'termijn.dagen'"),
        ({"dagen": 3}, "'termijn.soort' must be one of ['werkdagen', 'kalenderdagen']"),
        ({"dagen": 3, "soort": "weken"}, "'termijn.soort'"),
        ({"dagen": 3, "soort": "werkdagen", "uren": 4}, "knows only 'dagen' and 'soort', not ['uren']"),
    ],
)
def test_a_wrong_target_is_refused_naming_the_category(termijn: object, message: str):
    with pytest.raises(CategoryFileError) as error:
        parse_categories(_file(termijn))
    assert "category 1 (kuil)" in str(error.value)
    assert message in str(error.value)

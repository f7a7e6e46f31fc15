"""Which rows a fresh answer replaces (``store._stale``), and merging rows that share a key."""

from __future__ import annotations

import datetime as dt

import pytest

from ckanext.openoverheid.afvalkalender import store
from ckanext.openoverheid.afvalkalender.serialize import parse_alarm_time

TODAY = dt.date(2026, 6, 10)


def row(kind: str, day: str, label: str = "") -> dict:
    return {"postcode": "3512AH", "huisnummer": 13, "toevoeging": "", "afvaltype": kind, "datum": day,
            "provider_label": label or kind, "omschrijving": label or kind}


def test_a_moved_collection_is_stale_and_nothing_else():
    existing = [row("gft", "2026-06-16"), row("gft", "2026-06-30"), row("gft", "2026-07-14"),
                row("papier", "2026-06-20"), row("gft", "2026-12-29T00:00:00")]
    fresh = [row("gft", "2026-06-16"), row("gft", "2026-07-01"), row("gft", "2026-07-14")]
    # 06-30 moved to 07-01; papier is not in the answer; 12-29 lies after the answer's last gft date
    assert store._stale(existing, fresh, TODAY) == {"gft": ["2026-06-30"]}


def test_an_answer_of_next_dates_only_keeps_today():
    """Opzet answers the next date per stream: today's collection may be gone from it, a later row
    before the next date would have been the next date itself."""
    existing = [row("gft", "2026-06-10"), row("gft", "2026-06-17"), row("restafval", "2026-06-17")]
    fresh = [row("gft", "2026-06-24"), row("restafval", "2026-06-17")]
    assert store._stale(existing, fresh, TODAY) == {"gft": ["2026-06-17"]}


def test_the_first_future_date_moving_later_is_stale():
    existing = [row("gft", "2026-06-16"), row("gft", "2026-06-30")]
    fresh = [row("gft", "2026-06-17"), row("gft", "2026-06-30")]
    assert store._stale(existing, fresh, TODAY) == {"gft": ["2026-06-16"]}


def test_past_dates_are_never_stale():
    existing = [row("gft", "2026-06-02"), row("gft", "2026-06-09")]
    fresh = [row("gft", "2026-01-06"), row("gft", "2026-06-23")]
    assert store._stale(existing, fresh, TODAY) == {}


def test_rows_sharing_a_key_are_merged_with_both_labels():
    merged = store.merge_duplicates([row("overig", "2026-06-12", "Asbest"), row("overig", "2026-06-12", "Frituurvet"),
                                     row("overig", "2026-06-12", "Asbest"), row("gft", "2026-06-12")])
    assert [(r["afvaltype"], r["provider_label"]) for r in merged] == [("overig", "Asbest / Frituurvet"),
                                                                       ("gft", "gft")]


@pytest.mark.parametrize(("text", "expected"), [("19:00", dt.time(19)), ("7:05", dt.time(7, 5)), ("geen", None),
                                                ("GEEN", None)])
def test_reminder_times(text, expected):
    assert parse_alarm_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "19", "19.00", "morgen", ""])
def test_unreadable_reminder_times(text):
    with pytest.raises(ValueError, match="HH:MM"):
        parse_alarm_time(text)

"""The subscribable .ics, read back with the icalendar library."""

from __future__ import annotations

import datetime as dt
import random

import icalendar
import pytest

from harvesters.afvalkalender import Adres, Ophaalmoment, default_vocabulary
from harvesters.afvalkalender.ical_export import alarm_trigger, build_calendar, event_uid

ADRES = Adres("3512AH", 13, "A")
HOST = "data.gemeente-voorbeeld.example"
HARVESTED = dt.datetime(2026, 11, 30, 6, 15, 42, 123456, tzinfo=dt.UTC)
D = dt.date


def records() -> list[Ophaalmoment]:
    return [
        Ophaalmoment.at(ADRES, "restafval", D(2026, 12, 17), "GREY"),
        Ophaalmoment.at(ADRES, "gft", D(2026, 12, 10), "GREEN"),
        Ophaalmoment.at(ADRES, "gft", D(2026, 12, 10), "GREEN"),  # a repeat
        Ophaalmoment.at(ADRES, "kerstbomen", D(2027, 1, 9), "TREE"),
        Ophaalmoment.at(ADRES, "overig", D(2026, 12, 18), "Swill / etensresten"),
    ]


def build(items=None, **kwargs) -> bytes:
    options = {
        "adres": ADRES,
        "host": HOST,
        "calendar_name": "Afvalkalender 3512AH 13A",
        "labels": default_vocabulary().labels("nl"),
        "generated_at": HARVESTED,
        **kwargs,
    }
    return build_calendar(records() if items is None else items, **options)


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_calendar_properties():
    data = build()
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//")
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == "Afvalkalender 3512AH 13A"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:P1D\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:P1D\r\n" in data
    assert "DESCRIPTION" not in calendar and "X-WR-CALDESC" not in calendar


def test_calendar_description_says_where_the_dates_come_from():
    text = "Ophaaldagen van Gemeente Utrecht (bron: Afvalwijzer, nieuw; 2027)"
    calendar = icalendar.Calendar.from_ical(build(description=text))
    assert str(calendar["DESCRIPTION"]) == str(calendar["X-WR-CALDESC"]) == text


def test_one_whole_day_event_per_collection():
    found = events(build())
    assert [(e.decoded("DTSTART"), str(e["SUMMARY"])) for e in found] == [
        (D(2026, 12, 10), "Groente-, fruit- en tuinafval"),
        (D(2026, 12, 17), "Restafval"),
        (D(2026, 12, 18), "Swill / etensresten"),  # an unknown type shows the provider's label
        (D(2027, 1, 9), "Kerstbomen"),
    ]
    for event in found:
        start = event.decoded("DTSTART")
        assert type(start) is dt.date
        assert event.decoded("DTEND") == start + dt.timedelta(days=1)
        assert event.decoded("DTSTAMP") == HARVESTED.replace(microsecond=0)
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert event.categories == [str(event["SUMMARY"])]
    assert b"DTSTART;VALUE=DATE:20261210\r\n" in build()
    assert b"DTEND;VALUE=DATE:20261211\r\n" in build()


def test_uids_are_stable_and_unique():
    uids = [str(e["UID"]) for e in events(build())]
    assert uids == [
        f"3512AH-13A-20261210-gft@{HOST}",
        f"3512AH-13A-20261217-restafval@{HOST}",
        f"3512AH-13A-20261218-overig-swilletensresten@{HOST}",
        f"3512AH-13A-20270109-kerstbomen@{HOST}",
    ]
    shuffled = records()
    random.Random(4).shuffle(shuffled)
    assert [str(e["UID"]) for e in events(build(shuffled))] == uids


def test_output_is_byte_stable():
    assert build() == build()
    shuffled = records()[::-1]
    assert build(shuffled) == build()
    without_stamp = build(generated_at=None)
    assert without_stamp == build(generated_at=None)
    # without generated_at, DTSTAMP comes from the data, not from the clock
    assert events(without_stamp)[0].decoded("DTSTAMP") == dt.datetime(2026, 12, 10, tzinfo=dt.UTC)


def test_a_change_in_the_data_changes_the_bytes():
    moved = records()
    moved[0] = Ophaalmoment.at(ADRES, "restafval", D(2026, 12, 16), "GREY")
    assert build(moved) != build()


def test_the_alarm_rings_the_evening_before():
    for event in events(build()):
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert str(alarm["DESCRIPTION"]).startswith("Morgen: ")
        assert alarm.decoded("TRIGGER") == dt.timedelta(hours=-5)
        ring = dt.datetime.combine(event.decoded("DTSTART"), dt.time()) + alarm.decoded("TRIGGER")
        assert (ring.date(), ring.time()) == (event.decoded("DTSTART") - dt.timedelta(days=1), dt.time(19, 0))
    assert b"TRIGGER:-PT5H\r\n" in build()


@pytest.mark.parametrize(
    ("alarm_time", "trigger", "text"),
    [
        (dt.time(19, 0), dt.timedelta(hours=-5), b"-PT5H"),
        (dt.time(20, 30), dt.timedelta(hours=-3, minutes=-30), b"-PT3H30M"),
        (dt.time(0, 0), dt.timedelta(days=-1), b"-P1D"),
    ],
)
def test_alarm_times(alarm_time, trigger, text):
    assert alarm_trigger(alarm_time) == trigger
    data = build(alarm_time=alarm_time)
    assert b"TRIGGER:" + text + b"\r\n" in data


def test_no_alarm_when_asked():
    data = build(alarm_time=None)
    assert b"VALARM" not in data
    assert all(not e.walk("VALARM") for e in events(data))


def test_crlf_and_folded_lines():
    long = [Ophaalmoment.at(ADRES, "overig", D(2026, 12, 1), "Een heel lange omschrijving " * 6)]
    data = build(long)
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert str(events(data)[0]["SUMMARY"]) == ("Een heel lange omschrijving " * 6).strip()


def test_an_empty_calendar_is_still_a_calendar():
    data = build([])
    assert events(data) == []
    assert b"X-WR-CALNAME:Afvalkalender 3512AH 13A" in data


def test_unknown_labels_that_fold_together_get_distinct_uids():
    day = D(2026, 12, 1)
    items = [Ophaalmoment.at(ADRES, "overig", day, "Asbest!"), Ophaalmoment.at(ADRES, "overig", day, "Asbest?")]
    uids = [str(e["UID"]) for e in events(build(items))]
    assert len(set(uids)) == 2
    assert uids[0] == event_uid(items[0], HOST)


def test_refuses_other_addresses_and_bad_hosts():
    other = [Ophaalmoment.at(Adres("3512AH", 15), "gft", D(2026, 12, 1), "gft")]
    with pytest.raises(ValueError, match="3512AH 15"):
        build(other)
    with pytest.raises(ValueError, match="host"):
        build(host="geen host")
    with pytest.raises(ValueError, match="time zone"):
        build(generated_at=dt.datetime(2026, 11, 30))

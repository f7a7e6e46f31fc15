"""The tolerant .ics reader and the ical provider (municipal .ics files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from harvesters.afvalkalender import Adres, make_provider
from harvesters.afvalkalender.ics_reader import parse_ics_date, read_events
from harvesters.errors import FetchError, ParseError, UnsafeURLError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "afvalkalender"
ENDPOINT = "https://afval.gemeente-voorbeeld.example/ical"
TEMPLATE = "{endpoint}/{jaar}/{postcode}-{huisnummer}{toevoeging}.ics"
URL_2026 = ENDPOINT + "/2026/3512AH-13A.ics"
URL_2027 = ENDPOINT + "/2027/3512AH-13A.ics"
ADRES = Adres("3512AH", 13, "A")
DECEMBER = dt.date(2026, 12, 15)
JUNE = dt.date(2026, 6, 15)
D = dt.date


def read(name: str, **kwargs):
    return read_events((FIXTURES / name).read_bytes(), **kwargs)


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "params", "expected"),
    [
        ("20260505", {"VALUE": "DATE"}, D(2026, 5, 5)),
        ("20260505", {}, D(2026, 5, 5)),
        ("20260505T", {}, D(2026, 5, 5)),  # an empty time
        ("2026-05-05", {}, D(2026, 5, 5)),
        ("20260505", {"TZID": "Europe/Amsterdam", "VALUE": "DATE"}, D(2026, 5, 5)),
        ("20260505T000000", {}, D(2026, 5, 5)),  # floating: local as written
        ("20260505T235900", {}, D(2026, 5, 5)),
        # UTC: converted to Amsterdam (CEST = UTC+2 in May, CET = UTC+1 in winter)
        ("20260504T230000Z", {}, D(2026, 5, 5)),
        ("20260504T215959Z", {}, D(2026, 5, 4)),
        ("20260504T220000Z", {}, D(2026, 5, 5)),
        ("20261231T230000Z", {}, D(2027, 1, 1)),
        ("20261231T225959Z", {}, D(2026, 12, 31)),
        ("20260504T230000", {"TZID": "UTC"}, D(2026, 5, 5)),
        ("20260505T003000", {"TZID": "Europe/Amsterdam"}, D(2026, 5, 5)),
        ("20260505T003000", {"TZID": "/mozilla.org/20050126_1/Europe/Amsterdam"}, D(2026, 5, 5)),
        ("20260505T003000", {"TZID": "W. Europe Standard Time"}, D(2026, 5, 5)),  # unknown zone: as written
        ("20260504T200000", {"TZID": "America/New_York"}, D(2026, 5, 5)),
        ("20260504T230000+00:00", {}, D(2026, 5, 5)),
        ("20260504T230000Z", {"VALUE": "DATE"}, D(2026, 5, 4)),  # a date says so: no conversion
        ("morgen", {}, None),
        ("20261399", {}, None),
        ("", {}, None),
    ],
)
def test_parse_ics_date(value, params, expected):
    assert parse_ics_date(value, params) == expected


# --- the reader -----------------------------------------------------------------------------------


def test_a_well_formed_file_reads_like_icalendar_reads_it():
    ours = {(e.summary, e.datum) for e in read("ics_2026.ics")}
    theirs = set()
    for event in icalendar.Calendar.from_ical((FIXTURES / "ics_2026.ics").read_bytes()).walk("VEVENT"):
        start = event.decoded("dtstart")
        if isinstance(start, dt.datetime):
            start = start.astimezone(dt.timezone(dt.timedelta(hours=1))).date()  # CET in December
        theirs.add((str(event.get("summary")), start))
    assert ours == theirs
    assert ("Kerstbomen", D(2027, 1, 1)) in ours  # 23:00Z on 31 December is New Year's Day here


def test_the_common_malformations_are_read():
    events = read("ics_malformed.ics")
    assert [(e.uid, e.summary, e.datum) for e in events] == [
        ("a1", "GFT", D(2026, 5, 5)),  # DTSTART:20260505T
        ("a2", "Restafval", D(2026, 5, 12)),  # TZID with VALUE=DATE, CRLF amid LF
        ("a3", "Oud papier en karton", D(2026, 5, 19)),  # 23:00Z is the next local day
        ("a4", "Plastic, metalen en drankkartons", D(2026, 5, 26)),  # escaped comma
        ("a5", "Glas", D(2026, 6, 2)),  # unknown Windows TZID
        ("a6", "Textiel enkleding", D(2026, 6, 9)),  # a wrap without the leading space
        ("a7", "Snoeiafval \u2013 takken", D(2026, 6, 16)),  # Windows-1252, no END:VEVENT
        ("a8", "Luiers", D(2026, 6, 23)),  # the VALARM's SUMMARY is not the event's
        ("a9", "Kerstbomen", D(2026, 1, 7)),  # only CATEGORIES
        ("a1-again", "gft", D(2026, 5, 5)),  # a repeat (the provider deduplicates)
        ("a11", "Grof vuil", D(2026, 6, 30)),  # cut off before END:VEVENT and END:VCALENDAR
    ]  # a10 (DTSTART:morgen) is skipped


def test_recurring_events_are_expanded_within_the_window():
    events = read("ics_recurring.ics", window=(D(2026, 1, 1), D(2026, 12, 31)))
    gft = sorted(e.datum for e in events if e.summary == "GFT")
    assert gft[:3] == [D(2026, 1, 6), D(2026, 1, 20), D(2026, 2, 3)]
    assert D(2026, 7, 7) not in gft and D(2026, 7, 21) not in gft  # EXDATE
    assert D(2026, 7, 16) in gft  # RDATE
    assert gft[-1] == D(2026, 12, 22)
    assert len(gft) == 26 - 2 + 1
    assert [e.datum for e in events if e.summary == "Restafval"] == [D(2026, 1, 15), D(2026, 2, 15), D(2026, 3, 15)]


def test_an_empty_calendar_has_no_events():
    assert read("ics_empty_calendar.ics") == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ics_unusable.ics", "4 event"),
        ("ics_not_a_calendar.ics", "not an iCalendar file"),
        ("maintenance.html", "HTML page"),
    ],
)
def test_files_without_usable_events_are_parse_errors(name, message):
    with pytest.raises(ParseError, match=message):
        read(name, source_url="https://example/x.ics")


def test_text_input_and_bare_lf_are_fine():
    text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260505\nSUMMARY:GFT\nEND:VEVENT\nEND:VCALENDAR\n"
    assert [(e.summary, e.datum) for e in read_events(text)] == [("GFT", D(2026, 5, 5))]


def test_folded_lines_are_unfolded():
    data = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DA\r\n TE:20260505\r\n"
        b"SUMMARY:Rest\r\n\tafval\r\nEND:VEVENT\r\n"
    )
    assert [(e.summary, e.datum) for e in read_events(data)] == [("Restafval", D(2026, 5, 5))]


# --- the provider ---------------------------------------------------------------------------------


def provider(http, today=DECEMBER, **config):
    return make_provider("ical", ENDPOINT, {"url_template": TEMPLATE, **config}, http, today=lambda: today)


def test_december_fetches_this_and_next_year(fake_http):
    http = fake_http({("GET", URL_2026): "ics_2026.ics", ("GET", URL_2027): "ics_2027.ics"})
    records = provider(http).fetch(ADRES)
    assert [call.url for call in http.calls] == [URL_2026, URL_2027]
    assert "User-Agent" not in http.calls[0].headers
    assert [(r.datum.isoformat(), r.afvaltype) for r in records] == [
        ("2026-12-08", "gft"),
        ("2026-12-15", "pmd"),
        ("2026-12-22", "restafval"),
        ("2027-01-01", "kerstbomen"),  # in both files: once
        ("2027-01-05", "gft"),
        ("2027-01-12", "papier"),
    ]
    assert records[1].provider_label.startswith("Plastic verpakkingen, blik en drinkpakken (PMD)")


def test_next_year_not_published_yet_is_ignored(fake_http):
    http = fake_http({("GET", URL_2026): "ics_2026.ics", ("GET", URL_2027): FetchError("HTTP 404 (Not Found)")})
    records = provider(http).fetch(ADRES)
    assert len(records) == 4 and len(http.calls) == 2


def test_next_year_as_an_html_page_is_ignored(fake_http):
    http = fake_http({("GET", URL_2026): "ics_2026.ics", ("GET", URL_2027): "maintenance.html"})
    assert len(provider(http).fetch(ADRES)) == 4


def test_this_year_missing_is_an_error(fake_http):
    http = fake_http({("GET", URL_2026): FetchError("HTTP 404 (Not Found)")})
    with pytest.raises(FetchError):
        provider(http).fetch(ADRES)


def test_an_unsafe_next_year_url_is_not_ignored(fake_http):
    http = fake_http({("GET", URL_2026): "ics_2026.ics", ("GET", URL_2027): UnsafeURLError("refused")})
    with pytest.raises(UnsafeURLError):
        provider(http).fetch(ADRES)


def test_an_explicit_year_is_one_file_and_only_its_dates(fake_http):
    http = fake_http({("GET", URL_2026): "ics_2026.ics"})
    records = provider(http).fetch(ADRES, jaar=2026)
    assert len(http.calls) == 1
    assert [r.afvaltype for r in records] == ["gft", "pmd", "restafval"]  # the 1 January tree is 2027's


def test_outside_december_one_file(fake_http):
    http = fake_http({("GET", ENDPOINT + "/2026/3512AH-13A.ics"): "ics_malformed.ics"})
    records = provider(http, JUNE).fetch(ADRES)
    assert len(http.calls) == 1
    assert [(r.datum.isoformat(), r.afvaltype) for r in records] == [
        ("2026-01-07", "kerstbomen"),
        ("2026-05-05", "gft"),
        ("2026-05-12", "restafval"),
        ("2026-05-19", "papier"),
        ("2026-05-26", "pmd"),
        ("2026-06-02", "glas"),
        ("2026-06-09", "textiel"),
        ("2026-06-16", "snoeiafval"),
        ("2026-06-23", "luiers"),
        ("2026-06-30", "grofvuil"),
    ]


def test_without_a_template_the_endpoint_is_the_url_and_fetched_once(fake_http):
    url = "https://afval.example/kalender.ics"
    http = fake_http({("GET", url): "ics_2026.ics"})
    records = make_provider("ical", url, {}, http, today=lambda: DECEMBER).fetch(ADRES)
    assert len(http.calls) == 1 and len(records) == 4


def test_the_endpoint_itself_may_be_a_template(fake_http):
    http = fake_http({("GET", "https://afval.example/2026/3512AH/13A.ics"): "ics_2026.ics"})
    adapter = make_provider(
        "ical", "https://afval.example/{jaar}/{postcode}/{huisnummer}{toevoeging}.ics", {}, http, today=lambda: JUNE
    )
    assert len(adapter.fetch(ADRES)) == 3


@pytest.mark.parametrize(
    ("template", "message"),
    [("{endpoint}/{year}.ics", r"unknown placeholder\(s\) \{year\}"), ("{endpoint}/{jaar.ics", "not a valid template")],
)
def test_a_bad_template_is_refused_when_the_provider_is_made(fake_http, template, message):
    with pytest.raises(ValueError, match=message):
        make_provider("ical", ENDPOINT, {"url_template": template}, fake_http({}))

"""The Ximmio adapter, on fixture answers through a fake HTTP client."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from harvesters.afvalkalender import Adres, make_provider
from harvesters.afvalkalender.base import parse_local_date
from harvesters.errors import ParseError, SourceDiagnostic

ENDPOINT = "https://wasteapi.ximmio.example/"
FETCH = "https://wasteapi.ximmio.example/api/FetchAdress"
CALENDAR = "https://wasteapi.ximmio.example/api/GetCalendar"
COMPANY = "f8e2844a-095e-48f9-9f98-71fceb51d2c3"
ADRES = Adres("3512AH", 13, "A")
JUNE = dt.date(2026, 6, 15)
DECEMBER = dt.date(2026, 12, 15)
D = dt.date


def provider(http, today=DECEMBER, **config):
    return make_provider("ximmio", ENDPOINT, {"company_code": COMPANY, **config}, http, today=lambda: today)


def test_two_posts_with_the_address_and_a_span_into_next_year(fake_http):
    http = fake_http({("POST", FETCH): "ximmio_address.json", ("POST", CALENDAR): "ximmio_calendar_december.json"})
    provider(http, DECEMBER, community="Utrecht").fetch(ADRES)
    first, second = http.calls
    assert first.payload == {"companyCode": COMPANY, "postCode": "3512AH", "houseNumber": "13", "houseLetter": "A"}
    assert second.payload == {
        "companyCode": COMPANY,
        "uniqueAddressID": "1000123456",
        "startDate": "2026-01-01",
        "endDate": "2027-12-31",
        "community": "Utrecht",
    }
    assert all("User-Agent" not in call.headers for call in http.calls)


def test_outside_december_the_span_is_this_year(fake_http):
    http = fake_http({("POST", FETCH): "ximmio_address.json", ("POST", CALENDAR): "ximmio_calendar_december.json"})
    records = provider(http, JUNE).fetch(ADRES)
    assert http.calls[1].payload["endDate"] == "2026-12-31"
    assert http.calls[1].payload["community"] == ""
    assert {r.datum.year for r in records} == {2026}


def test_local_dates_deduplicated_and_sorted(fake_http):
    http = fake_http({("POST", FETCH): "ximmio_address.json", ("POST", CALENDAR): "ximmio_calendar_december.json"})
    records = provider(http).fetch(ADRES)
    assert [(r.datum.isoformat(), r.afvaltype, r.provider_label) for r in records] == [
        ("2026-12-08", "restafval", "GREY"),
        ("2026-12-15", "gft", "GREEN"),
        ("2026-12-18", "overig", "SWILL"),
        ("2026-12-22", "restafval", "GREY"),
        ("2026-12-29", "gft", "GREEN"),
        ("2026-12-31", "pmd", "PACKAGES"),  # not moved to 1 January, nor to the 30th
        ("2027-01-01", "pmd", "PACKAGES"),
        ("2027-01-05", "restafval", "GREY"),
        ("2027-01-12", "gft", "GREEN"),
        ("2027-01-16", "kerstbomen", "TREE"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-08-14T00:00:00", D(2026, 8, 14)),
        ("2026-12-31T23:30:00Z", D(2026, 12, 31)),  # a local date, never converted through UTC
        ("2026-08-14T00:00:00+02:00", D(2026, 8, 14)),
        ("2026-08-14", D(2026, 8, 14)),
        ("2026-02-30T00:00:00", None),
        ("14-08-2026", None),
        (None, None),
        (20260814, None),
    ],
)
def test_parse_local_date(value, expected):
    assert parse_local_date(value) == expected


def test_an_unknown_address_is_empty_after_one_request(fake_http):
    http = fake_http({("POST", FETCH): "ximmio_address_empty.json"})
    assert provider(http).fetch(ADRES) == []
    assert len(http.calls) == 1


def test_an_empty_calendar_is_empty(fake_http):
    http = fake_http({("POST", FETCH): "ximmio_address.json", ("POST", CALENDAR): "ximmio_calendar_empty.json"})
    assert provider(http).fetch(ADRES) == []


def test_an_error_answer_is_a_source_diagnostic(fake_http):
    http = fake_http({("POST", FETCH): "ximmio_error.json"})
    with pytest.raises(SourceDiagnostic, match="code 164") as caught:
        provider(http).fetch(ADRES)
    assert "company code" in str(caught.value)


def test_an_error_from_the_calendar_is_a_source_diagnostic(fake_http):
    http = fake_http({("POST", FETCH): "ximmio_address.json", ("POST", CALENDAR): "ximmio_error.json"})
    with pytest.raises(SourceDiagnostic, match="164"):
        provider(http).fetch(ADRES)


def test_an_html_page_is_a_parse_error(fake_http):
    http = fake_http({("POST", FETCH): "maintenance.html"})
    with pytest.raises(ParseError, match="HTML page"):
        provider(http).fetch(ADRES)


@pytest.mark.parametrize(
    "answer",
    [
        {"dataList": [{"Street": "Stationsplein"}], "status": True},
        {"status": True},
        {"dataList": "x", "status": True},
        ["x"],
    ],
)
def test_unexpected_address_answers_are_parse_errors(fake_http, answer):
    http = fake_http({("POST", FETCH): json.dumps(answer).encode()})
    with pytest.raises(ParseError):
        provider(http).fetch(ADRES)


def test_pickup_dates_that_are_all_unreadable_are_a_parse_error(fake_http):
    calendar = {"dataList": [{"pickupDates": ["morgen", ""], "_pickupTypeText": "GREEN"}], "status": True}
    http = fake_http({("POST", FETCH): "ximmio_address.json", ("POST", CALENDAR): json.dumps(calendar).encode()})
    with pytest.raises(ParseError, match="2 collection"):
        provider(http).fetch(ADRES)


def test_the_company_code_is_required(fake_http):
    with pytest.raises(ValueError, match="'company_code'"):
        make_provider("ximmio", ENDPOINT, {"community": "Utrecht"}, fake_http({}))

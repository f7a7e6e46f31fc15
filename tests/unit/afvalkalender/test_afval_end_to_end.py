"""The adapters through the real harvesters.http.HttpClient against a real server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from harvesters.afvalkalender import Adres, make_provider
from harvesters.errors import FetchError, ParseError, SourceDiagnostic, UnsafeURLError
from harvesters.http import DEFAULT_USER_AGENT, HttpClient

ADRES = Adres("3512AH", 13, "A")
DECEMBER = dt.date(2026, 12, 15)


@pytest.fixture
def http():
    with HttpClient(timeout=5, max_bytes=1_000_000, pause=0, allowed_private_hosts=["127.0.0.1"]) as client:
        yield client


def test_mijnafvalwijzer(local_server, http):
    local_server.serve("/webservices/appsinput/", "mijnafvalwijzer_december.json", content_type="text/html")
    provider = make_provider(
        "mijnafvalwijzer",
        local_server.url("/webservices/appsinput/"),
        {"apikey": "geheim"},
        http,
        today=lambda: DECEMBER,
    )
    records = provider.fetch(ADRES)
    assert len(records) == 12 and records[-1].afvaltype == "kerstbomen"
    (seen,) = local_server.seen
    assert seen.method == "GET"
    assert seen.query["postcode"] == ["3512AH"] and seen.query["huisnummer"] == ["13"]
    assert seen.query["toevoeging"] == ["A"] and seen.query["afvaldata"] == ["2026-12-15"]
    assert seen.query["method"] == ["postcodecheck"] and seen.query["apikey"] == ["geheim"]
    assert seen.headers["User-Agent"] == DEFAULT_USER_AGENT


def test_mijnafvalwijzer_nok_and_maintenance_page(local_server, http):
    provider = make_provider("mijnafvalwijzer", local_server.url("/api"), {"apikey": "geheim"}, http)
    local_server.serve("/api/", "mijnafvalwijzer_nok.json")
    with pytest.raises(SourceDiagnostic) as caught:
        provider.fetch(ADRES)
    assert "geheim" not in str(caught.value)
    local_server.serve("/api/", "maintenance.html")
    with pytest.raises(ParseError, match="HTML"):
        provider.fetch(ADRES)


def test_ximmio(local_server, http):
    local_server.serve("/api/FetchAdress", "ximmio_address.json")
    local_server.serve("/api/GetCalendar", "ximmio_calendar_december.json")
    provider = make_provider("ximmio", local_server.url(), {"company_code": "abc"}, http, today=lambda: DECEMBER)
    records = provider.fetch(ADRES)
    assert [r.datum for r in records][:2] == [dt.date(2026, 12, 8), dt.date(2026, 12, 15)]
    fetch, calendar = local_server.seen
    assert (fetch.method, fetch.path, calendar.path) == ("POST", "/api/FetchAdress", "/api/GetCalendar")
    assert json.loads(fetch.body) == {
        "companyCode": "abc",
        "postCode": "3512AH",
        "houseNumber": "13",
        "houseLetter": "A",
    }
    assert json.loads(calendar.body)["uniqueAddressID"] == "1000123456"
    assert fetch.headers["Content-Type"] == "application/json"
    assert fetch.headers["User-Agent"] == DEFAULT_USER_AGENT


def test_opzet(local_server, http):
    local_server.serve("/rest/adressen/3512AH-13", "opzet_adressen.json")
    local_server.serve("/rest/adressen/0344200000222222/afvalstromen", "opzet_afvalstromen.json")
    provider = make_provider("opzet", local_server.url(), {}, http, today=lambda: DECEMBER)
    assert len(provider.fetch(ADRES)) == 5


def test_ical_with_next_year_missing(local_server, http):
    local_server.serve("/ical/2026/3512AH-13A.ics", "ics_2026.ics")  # 2027 is a 404
    provider = make_provider(
        "ical",
        local_server.url("/ical"),
        {"url_template": "{endpoint}/{jaar}/{postcode}-{huisnummer}{toevoeging}.ics"},
        http,
        today=lambda: DECEMBER,
    )
    records = provider.fetch(ADRES)
    assert [r.afvaltype for r in records] == ["gft", "pmd", "restafval", "kerstbomen"]
    assert [s.path for s in local_server.seen] == ["/ical/2026/3512AH-13A.ics", "/ical/2027/3512AH-13A.ics"]


def test_ical_this_year_missing_is_a_fetch_error(local_server, http):
    provider = make_provider("ical", local_server.url("/{jaar}.ics"), {}, http, today=lambda: DECEMBER)
    with pytest.raises(FetchError, match="404"):
        provider.fetch(ADRES)


def test_a_private_address_is_refused_without_permission(local_server):
    with HttpClient(timeout=5, pause=0) as strict:
        provider = make_provider("opzet", local_server.url(), {}, strict)
        with pytest.raises(UnsafeURLError):
            provider.fetch(ADRES)
    assert local_server.seen == []

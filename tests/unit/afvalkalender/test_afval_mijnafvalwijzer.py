"""The mijnafvalwijzer adapter, on fixture answers through a fake HTTP client."""

from __future__ import annotations

import datetime as dt

import pytest

from harvesters.afvalkalender import Adres, MijnAfvalwijzer, make_provider
from harvesters.errors import FetchError, ParseError, SourceDiagnostic

ENDPOINT = "https://api.mijnafvalwijzer.example/webservices/appsinput/"
URL = ENDPOINT  # the adapter keeps the directory slash
ADRES = Adres("3512AH", 13, "A")
JUNE = dt.date(2026, 6, 15)
DECEMBER = dt.date(2026, 12, 15)
D = dt.date


def provider(http, today=DECEMBER):
    return make_provider("mijnafvalwijzer", ENDPOINT, {"apikey": "geheim123"}, http, today=lambda: today)


def test_request_parameters(fake_http):
    http = fake_http({("GET", URL): "mijnafvalwijzer_wrapped.json"})
    provider(http, JUNE).fetch(ADRES)
    (call,) = http.calls
    assert call.params == {
        "apikey": "geheim123",
        "method": "postcodecheck",
        "postcode": "3512AH",
        "street": "",
        "huisnummer": "13",
        "toevoeging": "A",
        "app_name": "afvalwijzer",
        "platform": "web",
        "afvaldata": "2026-06-15",
        "langs": "nl",
    }
    assert "User-Agent" not in call.headers  # the client's own User-Agent is used
    assert call.headers["Accept"].startswith("application/json")


def test_december_answers_both_years_deduplicated_and_sorted(fake_http):
    http = fake_http({("GET", URL): "mijnafvalwijzer_december.json"})
    records = provider(http, DECEMBER).fetch(ADRES)
    assert [(r.datum.isoformat(), r.afvaltype, r.provider_label) for r in records] == [
        ("2026-10-14", "snoeiafval", "takken"),
        ("2026-11-03", "textiel", "textiel"),
        ("2026-12-10", "gft", "gft"),
        ("2026-12-10", "pmd", "pmd"),
        ("2026-12-17", "restafval", "restafval"),
        ("2026-12-22", "papier", "papier"),
        ("2026-12-24", "gft", "gft"),
        ("2026-12-29", "overig", "Asbest op afspraak"),
        ("2027-01-05", "gft", "gft"),
        ("2027-01-05", "pmd", "pbd"),
        ("2027-01-07", "restafval", "restafval"),
        ("2027-01-09", "kerstbomen", "kerstbomen"),
    ]
    assert all((r.postcode, r.huisnummer, r.toevoeging) == ("3512AH", 13, "A") for r in records)
    assert len(http.calls) == 1  # ophaaldagenNext comes with the same answer


def test_outside_december_only_this_year(fake_http):
    http = fake_http({("GET", URL): "mijnafvalwijzer_december.json"})
    records = provider(http, JUNE).fetch(ADRES)
    assert records and {r.datum.year for r in records} == {2026}


def test_an_explicit_year_asks_from_its_first_day(fake_http):
    http = fake_http({("GET", URL): "mijnafvalwijzer_december.json"})
    records = provider(http, DECEMBER).fetch(ADRES, jaar=2027)
    assert http.calls[0].params["afvaldata"] == "2027-01-01"
    assert [r.datum for r in records] == [D(2027, 1, 5), D(2027, 1, 5), D(2027, 1, 7), D(2027, 1, 9)]


def test_wrapped_answer_with_next_year_not_published(fake_http):
    http = fake_http({("GET", URL): "mijnafvalwijzer_wrapped.json"})
    records = provider(http, JUNE).fetch(ADRES)
    assert [(r.datum, r.afvaltype) for r in records] == [
        (D(2026, 6, 16), "pmd"),
        (D(2026, 6, 16), "restafval"),
        (D(2026, 6, 23), "gft"),
        (D(2026, 7, 1), "papier"),
    ]


def test_nok_is_a_source_diagnostic_without_the_api_key(fake_http):
    http = fake_http({("GET", URL): "mijnafvalwijzer_nok.json"})
    with pytest.raises(SourceDiagnostic, match="No Afvaldata") as caught:
        provider(http).fetch(ADRES)
    assert "geheim123" not in str(caught.value)
    assert "geheim123" not in (caught.value.source_url or "")


@pytest.mark.parametrize("body", [b"[]", b"", b"  \n", b"{}", b'{"response":"OK","data":[]}'])
def test_empty_answers_are_no_collections(fake_http, body):
    http = fake_http({("GET", URL): body})
    assert provider(http).fetch(ADRES) == []


def test_fixture_empty_answer(fake_http):
    assert provider(fake_http({("GET", URL): "mijnafvalwijzer_empty.json"})).fetch(ADRES) == []


def test_an_html_page_is_a_parse_error(fake_http):
    http = fake_http({("GET", URL): "maintenance.html"})
    with pytest.raises(ParseError, match="HTML page"):
        provider(http).fetch(ADRES)


@pytest.mark.parametrize(
    "body", [b"{not json", b'"OK"', b'{"foo": 1}', b'{"ophaaldagen": {"response": "OK", "data": "x"}}']
)
def test_other_shapes_are_parse_errors(fake_http, body):
    with pytest.raises(ParseError):
        provider(fake_http({("GET", URL): body})).fetch(ADRES)


def test_items_without_readable_dates_are_a_parse_error(fake_http):
    http = fake_http({("GET", URL): "mijnafvalwijzer_no_dates.json"})
    with pytest.raises(ParseError, match="without a readable date"):
        provider(http).fetch(ADRES)


def test_fetch_errors_pass_through(fake_http):
    http = fake_http({("GET", URL): FetchError("HTTP 503", source_url=URL)})
    with pytest.raises(FetchError, match="503"):
        provider(http).fetch(ADRES)


@pytest.mark.parametrize("config", [{}, {"apikey": ""}, {"apikey": "  "}, {"apikey": None}])
def test_the_api_key_is_required(fake_http, config):
    with pytest.raises(ValueError, match="'apikey'"):
        make_provider("mijnafvalwijzer", ENDPOINT, config, fake_http({}))


def test_repr_hides_nothing_secret(fake_http):
    adapter = provider(fake_http({}))
    assert isinstance(adapter, MijnAfvalwijzer)
    assert adapter.name == "mijnafvalwijzer"
    assert "geheim123" not in repr(adapter)

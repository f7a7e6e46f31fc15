"""The Opzet adapter, on fixture answers through a fake HTTP client."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from harvesters.afvalkalender import Adres, make_provider
from harvesters.afvalkalender.opzet import pick_address
from harvesters.errors import ParseError

ENDPOINT = "https://afvalkalender.gemeente-voorbeeld.example"
ADDRESSES = ENDPOINT + "/rest/adressen/3512AH-13"
DECEMBER = dt.date(2026, 12, 15)
JUNE = dt.date(2026, 6, 15)


def streams(bag_id: str) -> str:
    return f"{ENDPOINT}/rest/adressen/{bag_id}/afvalstromen"


def provider(http, today=DECEMBER):
    return make_provider("opzet", ENDPOINT + "/", {}, http, today=lambda: today)


def test_the_address_then_its_streams(fake_http):
    http = fake_http(
        {("GET", ADDRESSES): "opzet_adressen.json", ("GET", streams("0344200000222222")): "opzet_afvalstromen.json"}
    )
    records = provider(http).fetch(Adres("3512AH", 13, "A"))
    assert [call.url for call in http.calls] == [ADDRESSES, streams("0344200000222222")]
    assert [(r.datum.isoformat(), r.afvaltype, r.provider_label) for r in records] == [
        ("2026-12-10", "gft", "Groente-, fruit- en tuinafval"),
        ("2026-12-17", "restafval", "Restafval"),
        ("2026-12-22", "papier", "Papier en karton"),
        ("2027-01-06", "pmd", "Plastic, metalen en drankkartons"),
        ("2027-01-09", "kerstbomen", "Kerstbomen"),
    ]  # glas and grofvuil have no date (null): not collected now
    assert {r.toevoeging for r in records} == {"A"}


def test_an_explicit_year_keeps_only_that_year(fake_http):
    http = fake_http(
        {("GET", ADDRESSES): "opzet_adressen.json", ("GET", streams("0344200000111111")): "opzet_afvalstromen.json"}
    )
    records = provider(http).fetch(Adres("3512AH", 13), jaar=2026)
    assert {r.datum.year for r in records} == {2026}
    assert len(records) == 3


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "afvalkalender"
ADDRESS_LIST = json.loads((FIXTURES / "opzet_adressen.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("suffix", "bag_id"),
    [
        ("", "0344200000111111"),
        ("A", "0344200000222222"),
        ("2", "0344200000333333"),
        ("BBIS", "0344200000444444"),
        ("B", "0344200000444444"),  # only the letter, and only one address has it
        ("BIS", "0344200000444444"),
        ("C", None),
        ("A2", None),
    ],
)
def test_pick_address(suffix, bag_id):
    chosen = pick_address(ADDRESS_LIST, suffix)
    assert (chosen["bagId"] if chosen else None) == bag_id


def test_a_bare_number_never_picks_a_neighbour():
    only_letters = [a for a in ADDRESS_LIST if a["huisletter"]]
    assert pick_address(only_letters, "") is None


@pytest.mark.parametrize("fixture", ["opzet_adressen_empty.json", "opzet_adressen.json"])
def test_an_unknown_address_is_empty_after_one_request(fake_http, fixture):
    http = fake_http({("GET", ADDRESSES): fixture})
    assert provider(http).fetch(Adres("3512AH", 13, "Z")) == []
    assert len(http.calls) == 1


def test_an_html_page_is_a_parse_error(fake_http):
    http = fake_http({("GET", ADDRESSES): "maintenance.html"})
    with pytest.raises(ParseError, match="HTML page"):
        provider(http).fetch(Adres("3512AH", 13))


@pytest.mark.parametrize(
    ("addresses", "stream_list"),
    [
        (b'{"error": "not found"}', b"[]"),
        (b'[{"huisletter": null, "huisnummerToevoeging": null}]', b"[]"),
        (b'[{"bagId": "1", "huisletter": null, "huisnummerToevoeging": null}]', b'{"x": 1}'),
        (
            b'[{"bagId": "1", "huisletter": null, "huisnummerToevoeging": null}]',
            b'[{"title": "GFT", "ophaaldatum": "10-12-2026"}]',
        ),
    ],
)
def test_unexpected_answers_are_parse_errors(fake_http, addresses, stream_list):
    http = fake_http({("GET", ADDRESSES): addresses, ("GET", streams("1")): stream_list})
    with pytest.raises(ParseError):
        provider(http).fetch(Adres("3512AH", 13))


def test_no_config_is_needed_and_unknown_keys_are_reported(fake_http):
    from harvesters.afvalkalender import PROVIDERS

    assert provider(fake_http({}), JUNE).name == "opzet"
    assert PROVIDERS["opzet"].unknown_keys({"apikey": "x"}) == ["apikey"]

"""Addresses, collection records and their deduplication."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from harvesters.afvalkalender.model import Adres, Ophaalmoment, deduplicate, normalise_postcode, parse_adres

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3511NV 250-A", ("3511NV", 250, "A")),
        ("3512 AH 13", ("3512AH", 13, "")),
        ("1234+ab 118 b", ("1234AB", 118, "B")),
        ("3512AH 13A", ("3512AH", 13, "A")),
        ("3512ah13", ("3512AH", 13, "")),
        ("  3512 AH, 13 ", ("3512AH", 13, "")),
        ("3512AH 13-2", ("3512AH", 13, "2")),
        ("3512AH 13 a 2", ("3512AH", 13, "A2")),
        ("3512AH 13/bis", ("3512AH", 13, "BIS")),
    ],
)
def test_parse_adres(text, expected):
    adres = parse_adres(text)
    assert (adres.postcode, adres.huisnummer, adres.toevoeging) == expected


@pytest.mark.parametrize(
    "text",
    ["", "hallo", "3512AH", "0123AB 1", "3512AH 0", "3512AH 13 !!", "3512AH 13 ABCDEFGH", "35123AH 1", "AB3512 13"],
)
def test_parse_adres_refuses_garbage_with_an_example(text):
    with pytest.raises(ValueError, match=r"e\.g\. '?35"):
        parse_adres(text)


@pytest.mark.parametrize(("text", "expected"), [("1234AB", "1234AB"), ("1234 ab", "1234AB"), ("1234+Ab", "1234AB")])
def test_normalise_postcode(text, expected):
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize("text", ["", "1234", "1234 A", "0234AB", "12345AB", "1234-AB"])
def test_normalise_postcode_refuses(text):
    with pytest.raises(ValueError, match="four digits and two letters"):
        normalise_postcode(text)


def test_adres_normalises_and_validates():
    assert Adres("3512 ah", "13", "-a") == Adres("3512AH", 13, "A")
    adres = Adres("3512AH", 13, "A")
    assert adres.key == "3512AH-13A"
    assert str(adres) == "3512AH 13A"
    with pytest.raises(ValueError, match="house number"):
        Adres("3512AH", True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="house number"):
        Adres("3512AH", 100000)


def test_ophaalmoment_to_dict_and_frozen():
    record = Ophaalmoment.at(Adres("3512AH", 13, "A"), "gft", D(2026, 12, 10), "GREEN")
    assert record.to_dict() == {
        "postcode": "3512AH",
        "huisnummer": 13,
        "toevoeging": "A",
        "afvaltype": "gft",
        "datum": "2026-12-10",
        "provider_label": "GREEN",
    }
    assert record.adres == Adres("3512AH", 13, "A")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.datum = D(2026, 12, 11)  # type: ignore[misc]


def test_deduplicate_removes_repeats_and_sorts():
    adres = Adres("3512AH", 13)
    records = [
        Ophaalmoment.at(adres, "restafval", D(2027, 1, 7), "restafval"),
        Ophaalmoment.at(adres, "gft", D(2026, 12, 24), "gft"),
        Ophaalmoment.at(adres, "pmd", D(2026, 12, 10), "pmd"),
        Ophaalmoment.at(adres, "gft", D(2026, 12, 10), "gft"),
        Ophaalmoment.at(adres, "gft", D(2026, 12, 24), "GFT-afval"),  # same collection, other label
        Ophaalmoment.at(adres, "gft", D(2026, 12, 10), "gft"),
    ]
    result = deduplicate(records)
    assert [(r.datum, r.afvaltype) for r in result] == [
        (D(2026, 12, 10), "gft"),
        (D(2026, 12, 10), "pmd"),
        (D(2026, 12, 24), "gft"),
        (D(2027, 1, 7), "restafval"),
    ]
    assert result[2].provider_label == "gft"  # the first one seen is kept
    assert deduplicate(reversed(records))[2].provider_label == "GFT-afval"
    assert deduplicate([]) == []


def test_deduplicate_keeps_different_unknown_types_apart():
    adres = Adres("3512AH", 13)
    day = D(2026, 5, 5)
    records = [
        Ophaalmoment.at(adres, "overig", day, "Asbest"),
        Ophaalmoment.at(adres, "overig", day, "Swill"),
        Ophaalmoment.at(adres, "overig", day, "asbest "),
    ]
    assert [r.provider_label for r in deduplicate(records)] == ["Asbest", "Swill"]


def test_deduplicate_keeps_addresses_apart():
    day = D(2026, 5, 5)
    records = [Ophaalmoment.at(Adres("3512AH", 13, x), "gft", day, "gft") for x in ("B", "A", "")]
    assert [r.toevoeging for r in deduplicate(records)] == ["", "A", "B"]

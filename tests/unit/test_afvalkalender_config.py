"""The config of an afvalkalender harvest source: what is accepted, what is refused and why."""

from __future__ import annotations

import json

import pytest

from ckanext.openoverheid.afvalkalender.config import parse_config, parse_postcode_range
from harvesters.afvalkalender.model import Adres

BASE = {"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "k", "adressen": ["3512AH 13"]}


def config(**changes):
    return json.dumps({**BASE, **changes})


def test_a_full_config_is_read_and_normalised():
    parsed = parse_config(config(adressen=["3512 ah 13", "3511NV 250-a", "3512AH 13"], postcodes=["3500-3585"],
                                 provider="MijnAfvalwijzer", pause=0, contact_email="afval@utrecht.example"))
    assert parsed.provider == "mijnafvalwijzer"
    assert parsed.adressen == (Adres("3512AH", 13), Adres("3511NV", 250, "A"))
    assert parsed.provider_options == {"apikey": "k"}
    assert parsed.pause == 0.0 and parsed.timeout == 30.0
    assert parsed.contact_email == "afval@utrecht.example"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("3500-3585", "3500AA", "3585ZZ"), ("3512", "3512AA", "3512ZZ"), ("3512ah", "3512AH", "3512AH"),
     ("3511 AA - 3511 ZZ", "3511AA", "3511ZZ")],
)
def test_postcode_ranges(text, low, high):
    area = parse_postcode_range(text)
    assert (area.low, area.high) == (low, high)
    assert low in area and high in area


def test_coverage_by_ranges_or_by_the_addresses_pc4():
    by_range = parse_config(config(postcodes=["3500-3585"]))
    assert by_range.covers(Adres("3584CS", 1))
    assert not by_range.covers(Adres("3600AA", 1))
    by_addresses = parse_config(config())
    assert by_addresses.covers(Adres("3512ZZ", 99)) and not by_addresses.covers(Adres("3513AA", 1))


def test_a_configured_address_outside_the_ranges_is_covered():
    parsed = parse_config(config(postcodes=["3500-3511"]))
    assert parsed.covers(Adres("3512AH", 13)) and not parsed.covers(Adres("3512AH", 15))


def test_the_narrowest_area_holding_an_address():
    parsed = parse_config(config(postcodes=["1000-9999", "3512", "3512AA-3512AZ"]))
    assert parsed.narrowest_area(Adres("3512AH", 13)) == 1, "one of its own addresses"
    assert parsed.narrowest_area(Adres("3512AB", 1)) == 26
    assert parsed.narrowest_area(Adres("3512BA", 1)) == 26 * 26
    assert parsed.narrowest_area(Adres("1000AA", 1)) == 9000 * 26 * 26
    assert parsed.narrowest_area(Adres("9999ZZ", 1)) == 9000 * 26 * 26
    assert parse_config(config()).narrowest_area(Adres("3512ZZ", 1)) == 26 * 26
    assert parse_config(config()).narrowest_area(Adres("3513AA", 1)) is None


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"provider": "rd4"}, '"provider" must be one of'),
        ({"gemeente": " "}, '"gemeente"'),
        ({"adressen": ["Domplein 1"]}, '"adressen"'),
        ({"adressen": "3512AH 13x!"}, '"adressen"'),
        ({"postcodes": ["0123-0200"]}, '"postcodes"'),
        ({"postcodes": ["3585-3500"]}, "runs backwards"),
        ({"apikey": None}, "'apikey'"),
        ({"companycode": "x"}, "unknown setting(s) companycode"),
        ({"timeout": 0}, '"timeout"'),
        ({"pause": True}, '"pause"'),
        ({"contact_email": "geen"}, '"contact_email"'),
        ({"adressen": []}, "at least one address"),
    ],
)
def test_mistakes_are_refused_with_what_to_change(changes, fragment):
    with pytest.raises(ValueError) as refused:
        parse_config(config(**changes))
    assert fragment in str(refused.value)


@pytest.mark.parametrize("text", ["", "  ", "[]", "{nope", '"Utrecht"'])
def test_no_json_object_is_refused(text):
    with pytest.raises(ValueError, match="e.g."):
        parse_config(text)


def test_an_ical_template_is_checked_when_the_source_is_saved():
    template = "{endpoint}/{jaar}/{postcode}-{huisnummer}.ics"
    good = parse_config(config(provider="ical", apikey=None, url_template=template))
    assert good.provider_options == {"url_template": template}
    with pytest.raises(ValueError, match="placeholder"):
        parse_config(config(provider="ical", apikey=None, url_template="{endpoint}/{straat}.ics"))

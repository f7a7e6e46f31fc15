"""The value lists in schemas/valuelists/ and their loader (valuelists.py), without CKAN."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
import yaml

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.openheid import policy

EU = "http://publications.europa.eu/resource/authority/"


def test_every_list_loads_with_unique_values_and_both_labels():
    assert set(valuelists.names()) >= {
        "access_rights", "dataset_statuses", "formats", "frequencies", "languages", "licenses", "themes", "woo_grounds",
    }
    for name in valuelists.names():
        value_list = valuelists.get(name)
        values = value_list.values()
        assert values and len(values) == len(set(values)), name
        for item in value_list:
            assert item["label"]["nl"] and item["label"]["en"], (name, item)


def test_access_rights_are_the_three_codes_with_eu_uris():
    access = valuelists.get("access_rights")
    assert tuple(access.values()) == policy.ACCESS_RIGHTS
    uris = {item["code"]: item["uri"] for item in access}
    assert uris == {
        "publiek": EU + "access-right/PUBLIC",
        "beperkt": EU + "access-right/RESTRICTED",
        "niet-publiek": EU + "access-right/NON_PUBLIC",
    }


def test_woo_grounds_match_the_policy_and_carry_juriconnect_references():
    grounds = valuelists.get("woo_grounds")
    assert tuple(grounds.values()) == policy.WOO_GROUNDS
    for item in grounds:
        reference = item["juriconnect"]
        assert reference.startswith("jci1.3:c:BWBR0045754&artikel="), item
        assert item["summary"]["nl"] and item["summary"]["en"], item
        assert item["kind"] == ("absoluut" if item["code"].startswith("5.1.1.") else "relatief")
    assert grounds.item("5.1.2.e")["juriconnect"] == "jci1.3:c:BWBR0045754&artikel=5.1&lid=2&onderdeel=e"
    assert grounds.item("5.1.5")["juriconnect"] == "jci1.3:c:BWBR0045754&artikel=5.1&lid=5"
    assert grounds.item("5.2")["juriconnect"] == "jci1.3:c:BWBR0045754&artikel=5.2"


def test_themes_are_the_top_level_of_the_taxonomie_beleidsagenda():
    themes = valuelists.get("themes")
    assert len(themes.values()) == 17
    assert all(re.fullmatch(r"http://standaarden\.overheid\.nl/owms/terms/[\w()]+", uri) for uri in themes.values())
    assert themes.label("http://standaarden.overheid.nl/owms/terms/Zorg_en_gezondheid") == "Zorg en gezondheid"
    assert themes.label("http://standaarden.overheid.nl/owms/terms/Zorg_en_gezondheid", "en") == "Care and health"


def test_languages_frequencies_and_formats_use_eu_authorities():
    assert all(uri.startswith(EU + "language/") for uri in valuelists.values("languages"))
    assert "http://publications.europa.eu/resource/authority/language/NLD" in valuelists.values("languages")
    assert all(uri.startswith(EU + "frequency/") for uri in valuelists.values("frequencies"))
    assert all(item["uri"].startswith(EU + "file-type/") for item in valuelists.get("formats"))


def test_statuses_are_the_donl_dataset_statuses():
    assert valuelists.values("dataset_statuses") == [
        f"http://data.overheid.nl/status/{code}"
        for code in ("beschikbaar", "in_onderzoek", "gepland", "niet_beschikbaar")
    ]


def test_formats_are_found_in_any_common_spelling():
    formats = valuelists.get("formats")
    for spelling, code in [("csv", "CSV"), ("text/csv", "CSV"), ("geojson", "GeoJSON"), ("Turtle", "TTL"),
                           (EU + "file-type/RDF_XML", "RDF"), ("OGC:WMS", "WMS"), ("  shapefile ", "SHP")]:
        item = formats.find(spelling)
        assert item is not None and item["code"] == code, spelling
    assert formats.find("FOO") is None and formats.find("") is None
    assert formats.item("csv") is None  # item() is exact: for stored values


def test_labels_fall_back_to_dutch_and_unknown_values_to_themselves():
    licences = valuelists.get("licenses")
    assert licences.label("cc-by", "en") == "CC BY 4.0 (attribution)"
    assert licences.label("cc-by", "fy") == "CC BY 4.0 (naamsvermelding)"
    assert licences.label("onbekende-licentie") == "onbekende-licentie"
    assert valuelists.label("access_rights", "niet-publiek") == "Niet openbaar"


def test_choices_carry_both_labels_unless_a_language_is_asked():
    choice = valuelists.choices("access_rights")[0]
    assert choice == {"value": "publiek", "label": {"nl": "Openbaar", "en": "Public"}}
    assert valuelists.choices("access_rights", "en")[0] == {"value": "publiek", "label": "Public"}


def test_licences_include_the_donl_ones_and_work_as_ckan_licence_ids():
    licences = valuelists.get("licenses")
    for code in ("cc-zero", "cc-by", "cc-by-sa", "publiek-domein", "odc-odbl", "geen-open-licentie"):
        assert code in licences, code
    assert licences.item("cc-by")["uri"] == "http://creativecommons.org/licenses/by/4.0/deed.nl"
    assert licences.item("geen-open-licentie")["uri"] == "http://standaarden.overheid.nl/owms/terms/geslotenlicentie"
    register = {entry["id"]: entry for entry in valuelists.ckan_licenses()}
    assert register["cc-zero"]["od_conformance"] == "approved"
    assert register["geen-open-licentie"]["od_conformance"] == "not reviewed"


def test_the_ckan_licence_file_is_written_from_the_value_list():
    written = resources.files(valuelists.PACKAGE).joinpath("licenses.json").read_text(encoding="utf-8")
    assert written == valuelists.ckan_licenses_json(), (
        "schemas/licenses.json is stale: run python -m ckanext.openoverheid.valuelists > schemas/licenses.json"
    )
    assert valuelists.ckan_licenses_url().startswith("file:///")
    assert json.loads(written)[0]["id"] == "cc-zero"


def test_an_unknown_list_is_an_error_naming_the_file():
    with pytest.raises(valuelists.ValueListError, match="schemas/valuelists/kleuren.yaml"):
        valuelists.get("kleuren")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "x", "items": []}, "non-empty 'items'"),
        ({"name": "x", "items": [{"label": {"nl": "a", "en": "a"}}]}, "needs a 'code'"),
        ({"name": "x", "value": "uri", "items": [{"code": "a", "label": {"nl": "a", "en": "a"}}]}, "needs a 'uri'"),
        ({"name": "x", "items": [{"code": "a", "label": {"nl": "a", "en": "a"}},
                                 {"code": "a", "label": {"nl": "b", "en": "b"}}]}, "appears twice"),
        ({"name": "x", "items": [{"code": "a", "label": {"nl": "a"}}]}, "needs a label in each of nl, en"),
        ("- gewoon een lijst", "expected a mapping"),
    ],
)
def test_a_malformed_list_is_refused_with_a_message_that_says_what_to_fix(data, message):
    text = yaml.safe_dump(data) if isinstance(data, dict) else data
    with pytest.raises(valuelists.ValueListError, match=re.escape(message)):
        valuelists._check("schemas/valuelists/x.yaml", yaml.safe_load(text))


def test_the_demo_content_uses_the_value_lists_and_has_valid_closures_of_each_kind():
    import datetime

    from ckanext.openoverheid.demo import data_text

    content = yaml.safe_load(data_text("demo.yaml"))
    single = {"license_id": "licenses", "metadata_language": "languages", "frequency": "frequencies",
              "dataset_status": "dataset_statuses", "access_rights": "access_rights"}
    multiple = {"theme": "themes", "language": "languages", "woo_grounds": "woo_grounds"}
    kinds = set()
    for dataset in content["datasets"]:
        name = dataset["name"]
        for field, list_name in single.items():
            assert dataset[field] in valuelists.get(list_name), (name, field)
        for field, list_name in multiple.items():
            values = dataset.get(field, [])
            order = valuelists.values(list_name)
            assert values == sorted(values, key=order.index), (name, field, "write lists in value-list order")
        for resource in dataset["resources"]:
            assert valuelists.get("formats").item(resource["format"]) is not None, (name, resource["format"])
        # the demo is static: its closures must be valid on the day it was written (review within 5 years)
        check = policy.check_closure(
            dataset["access_rights"], dataset.get("woo_grounds"), dataset.get("woo_motivation"),
            dataset.get("review_date"), today=datetime.date(2026, 11, 28),
        )
        assert check.ok and not check.warnings, (name, check.errors, check.warnings)
        closed = policy.is_closed(dataset["access_rights"])
        # a closed dataset's links never answer; a public one's resources are files the portal serves
        assert all(("geheim-demo" in resource.get("url", "")) == closed for resource in dataset["resources"]), name
        assert all(bool(resource.get("file")) != closed for resource in dataset["resources"]), name
        kinds.add(dataset["access_rights"])
    assert kinds == set(policy.ACCESS_RIGHTS)

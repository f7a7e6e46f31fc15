"""The DCAT-AP-DONL profile on plain dataset dicts: what reaches the graph, what never does, and
that parse_dataset reads our own output back into our field names."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyshacl
import pytest
import yaml
from ckan.plugins import toolkit as tk
from rdflib import BNode, Graph, Literal, URIRef

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.dcat.codes import woo_ground_code
from ckanext.openoverheid.dcat.namespaces import ADMS, ADMS_UNKNOWN_IPR, DCAT, DCT, ELI, FOAF, RDF, RDFS, SKOS, VCARD
from ckanext.openoverheid.dcat.profile import OpenOverheidDONLAP2Profile, OpenOverheidDONLProfile

ROOT = Path(__file__).resolve().parents[2]
SHAPES = Path(__file__).resolve().parents[1] / "fixtures" / "shapes"
SITE = "http://portaal.example.nl"
MARKER = "GEHEIMmarker0123456789"
EU_ACCESS = "http://publications.europa.eu/resource/authority/access-right/"
NLD = "http://publications.europa.eu/resource/authority/language/NLD"
THEME = "http://standaarden.overheid.nl/owms/terms/Bestuur"
STATUS = "http://data.overheid.nl/status/beschikbaar"
MOTIVATION = "De adressen van de opvanglocaties zijn bijzondere persoonsgegevens van kwetsbare bewoners."


@pytest.fixture(autouse=True)
def site_config() -> Iterator[None]:
    """The URIs the profile mints come from CKAN's config; set it as test.ini does, then restore it."""
    saved = {key: tk.config.get(key) for key in ("ckan.site_url", "ckanext.dcat.base_uri", "ckan.site_title")}
    tk.config.update({"ckan.site_url": SITE, "ckanext.dcat.base_uri": SITE, "ckan.site_title": "Open Overheid"})
    yield
    for key, value in saved.items():
        if value is None:
            tk.config.pop(key, None)
        else:
            tk.config[key] = value


class SchemingProfile(OpenOverheidDONLProfile):
    """The profile as CKAN runs it: with our scheming schema (read from the real file), which is what
    makes ckanext-dcat map contact, temporal and spatial coverage."""

    _dataset_schema = yaml.safe_load((ROOT / "schemas" / "dataset.yaml").read_text(encoding="utf-8"))


class SchemingAP2Profile(OpenOverheidDONLAP2Profile):
    """``openoverheid_donl_ap2`` as CKAN runs it."""

    _dataset_schema = SchemingProfile._dataset_schema


def dataset(**overrides: Any) -> dict[str, Any]:
    """A dataset dict shaped like package_show's output for our schema."""
    base: dict[str, Any] = {
        "id": "0b5c3f2e-0000-4000-8000-000000000001",
        "name": "speeltuinen-utrecht",
        "title": "Speeltuinen Utrecht",
        "notes": "Alle speeltuinen van de gemeente, met <b>kapotte HTML & tekens.",
        "title_en": "Playgrounds of Utrecht",
        "notes_en": "Every playground of the municipality.",
        "type": "dataset",
        "metadata_created": "2025-01-02T09:00:00.000001",
        "metadata_modified": "2025-03-04T10:11:12.131415",
        "owner_org": "org-1",
        "organization": {"id": "org-1", "name": "gemeente-utrecht", "title": "Gemeente Utrecht"},
        "identifier": "",
        "contact": [{"name": "Team Open Data", "email": "opendata@utrecht.nl", "url": "https://utrecht.nl/data"}],
        "license_id": "cc-by",
        "theme": [THEME],
        "tags": [{"name": "spelen"}],
        "language": [NLD],
        "metadata_language": NLD,
        "modified": "2025-02-01",
        "frequency": "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
        "temporal_coverage": [{"start": "2024-01-01", "end": "2024-12-31"}],
        "spatial_coverage": [
            {"uri": "http://sws.geonames.org/2745912/", "text": "Utrecht", "bbox": "", "centroid": ""}
        ],
        "dataset_status": STATUS,
        "access_rights": "publiek",
        "woo_grounds": [],
        "woo_motivation": "",
        "review_date": "",
        "closed_since": "",
        "resources": [
            {
                "id": "r-1",
                "package_id": "0b5c3f2e-0000-4000-8000-000000000001",
                "url": "https://data.utrecht.nl/speeltuinen.csv",
                "name": "Speeltuinen (CSV)",
                "description": "Eén rij per speeltuin",
                "format": "CSV",
                "license": "",
                "size": 2048,
                "mimetype": "",
            }
        ],
    }
    base.update(overrides)
    return base


def closed(access_rights: str = "niet-publiek", **overrides: Any) -> dict[str, Any]:
    return dataset(
        access_rights=access_rights,
        woo_grounds=["5.1.2.e", "5.1.1.d"],
        woo_motivation=MOTIVATION,
        review_date="2028-06-30",
        closed_since="2025-03-04",
        resources=[
            {
                "id": "r-2",
                "package_id": "0b5c3f2e-0000-4000-8000-000000000001",
                "url": f"https://data.utrecht.nl/{MARKER}/adressen.csv",
                "name": f"Adressen {MARKER}",
                "description": MARKER,
                "format": "CSV",
            }
        ],
        **overrides,
    )


def graph_of(dataset_dict: dict[str, Any], profile: type[OpenOverheidDONLProfile] = SchemingProfile,
             ) -> tuple[Graph, URIRef]:
    graph = Graph()
    ref = URIRef(f"{SITE}/dataset/{dataset_dict['id']}")
    profile(graph).graph_from_dataset(copy.deepcopy(dataset_dict), ref)
    return graph, ref


def shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(SHAPES / name)
    return graph


# --- access rights ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("access_rights", "eu_code"),
    [("publiek", "PUBLIC"), ("beperkt", "RESTRICTED"), ("niet-publiek", "NON_PUBLIC"), ("", "PUBLIC")],
)
def test_access_rights_become_one_eu_access_right_uri(access_rights, eu_code):
    is_open = access_rights in ("publiek", "")
    graph, ref = graph_of(dataset(access_rights=access_rights) if is_open else closed(access_rights))
    assert list(graph.objects(ref, DCT.accessRights)) == [URIRef(EU_ACCESS + eu_code)]
    assert (URIRef(EU_ACCESS + eu_code), RDF.type, DCT.RightsStatement) in graph
    assert (URIRef(EU_ACCESS + eu_code), SKOS.prefLabel, None) in graph


def test_an_unknown_access_value_counts_as_closed():
    graph, ref = graph_of(closed("geheimpje"))
    assert list(graph.objects(ref, DCT.accessRights)) == [URIRef(EU_ACCESS + "NON_PUBLIC")]
    assert list(graph.objects(ref, DCAT.distribution)) == []


def test_a_public_dataset_has_its_distributions_with_eu_file_type_and_iana_media_type():
    graph, ref = graph_of(dataset())
    [distribution] = graph.objects(ref, DCAT.distribution)
    assert graph.value(distribution, DCAT.accessURL) == URIRef("https://data.utrecht.nl/speeltuinen.csv")
    file_type = URIRef("http://publications.europa.eu/resource/authority/file-type/CSV")
    assert graph.value(distribution, DCT["format"]) == file_type
    assert (file_type, RDF.type, DCT.MediaTypeOrExtent) in graph
    media = URIRef("http://www.iana.org/assignments/media-types/text/csv")
    assert graph.value(distribution, DCAT.mediaType) == media
    assert (media, RDF.type, DCT.MediaType) in graph
    # the dataset's licence, as a URI, on the distribution and the dataset
    licence = URIRef("http://creativecommons.org/licenses/by/4.0/deed.nl")
    assert graph.value(distribution, DCT.license) == licence
    assert graph.value(ref, DCT.license) == licence
    assert (licence, DCT.type, ADMS_UNKNOWN_IPR) not in graph


@pytest.mark.parametrize(
    ("resource", "is_file"),
    [
        ({"url": "https://data.utrecht.nl/speeltuinen.csv", "format": "CSV"}, True),
        ({"url": "https://data.utrecht.nl/kaart", "format": "WMS"}, False),
        ({"url": "https://utrecht.nl/speeltuinen", "format": "HTML"}, False),
        ({"url": "https://data.utrecht.nl/iets", "format": "ONBEKEND"}, False),
        ({"url": f"{SITE}/dataset/x/resource/r-1/download/a.bin", "format": "", "url_type": "upload"}, True),
        ({"url": f"{SITE}/datastore/dump/r-1?format=csv", "format": "CSV"}, True),
    ],
)
def test_a_file_has_a_download_url_besides_its_access_url_and_a_service_only_an_access_url(resource, is_file):
    graph, ref = graph_of(dataset(resources=[dict(resource, id="r-1", name="R", license="")]))
    [distribution] = graph.objects(ref, DCAT.distribution)
    assert graph.value(distribution, DCAT.accessURL) == URIRef(resource["url"])
    assert graph.value(distribution, DCAT.downloadURL) == (URIRef(resource["url"]) if is_file else None)


def test_a_datastore_table_downloads_as_its_json_dump():
    dump = f"{SITE}/datastore/dump/r-1"
    graph, ref = graph_of(dataset(resources=[{"id": "r-1", "name": "Tabel", "url": dump, "url_type": "datastore",
                                              "format": "DataStore"}]))
    [distribution] = graph.objects(ref, DCAT.distribution)
    assert graph.value(distribution, DCAT.downloadURL) == URIRef(dump + "?format=json")


@pytest.mark.parametrize(("licence", "label"), [("cc-by", "Hergebruik: CC BY 4.0 (naamsvermelding)"),
                                                ("licentie-onbekend", None)])
def test_a_distribution_states_its_rights_from_a_known_licence(licence, label):
    graph, ref = graph_of(dataset(license_id=licence))
    [distribution] = graph.objects(ref, DCAT.distribution)
    statements = list(graph.objects(distribution, DCT.rights))
    if label is None:
        assert statements == []
        return
    [statement] = statements
    assert (statement, RDF.type, DCT.RightsStatement) in graph
    assert Literal(label, lang="nl") in set(graph.objects(statement, RDFS.label))


def test_a_known_size_becomes_the_byte_size():
    graph, ref = graph_of(dataset())
    [distribution] = graph.objects(ref, DCAT.distribution)
    assert graph.value(distribution, DCAT.byteSize).toPython() == 2048


@pytest.mark.parametrize("access_rights", ["beperkt", "niet-publiek"])
def test_a_closed_dataset_has_no_distribution_and_its_data_appears_in_no_format(access_rights):
    graph, ref = graph_of(closed(access_rights))
    assert list(graph.objects(ref, DCAT.distribution)) == []
    assert list(graph.subjects(RDF.type, DCAT.Distribution)) == []
    assert list(graph.objects(None, DCAT.accessURL)) == [] and list(graph.objects(None, DCAT.downloadURL)) == []
    for rdf_format in ("xml", "turtle", "json-ld", "nt"):
        assert MARKER not in graph.serialize(format=rdf_format)
    # but its metadata is all there
    assert Literal("Speeltuinen Utrecht", lang="nl") in set(graph.objects(ref, DCT.title))


def test_a_closed_dataset_whose_access_rights_are_only_in_the_extras_is_still_closed():
    data = closed()
    access = data.pop("access_rights")
    data["extras"] = [{"key": "access_rights", "value": access}]
    graph, ref = graph_of(data)
    assert list(graph.objects(ref, DCAT.distribution)) == []
    assert MARKER not in graph.serialize(format="turtle")


def test_the_woo_statement_carries_grounds_motivation_and_review_date():
    graph, ref = graph_of(closed())
    [statement] = graph.objects(ref, DCT.rights)
    assert (statement, RDF.type, DCT.RightsStatement) in graph
    label = str(graph.value(statement, RDFS.label))
    assert label.startswith("Niet openbaar op grond van de Wet open overheid") and "5.1.2.e" in label
    assert graph.value(statement, DCT.description) == Literal(MOTIVATION, lang="nl")

    grounds = {str(graph.value(ground, SKOS.notation)): ground for ground in graph.objects(statement, DCT.references)}
    assert set(grounds) == {"5.1.2.e", "5.1.1.d"}
    privacy = grounds["5.1.2.e"]
    assert privacy == URIRef("https://wetten.overheid.nl/jci1.3:c:BWBR0045754&artikel=5.1&lid=2&onderdeel=e")
    assert (privacy, RDF.type, ELI.LegalResource) in graph
    assert graph.value(privacy, DCT.identifier) == Literal("jci1.3:c:BWBR0045754&artikel=5.1&lid=2&onderdeel=e")
    labels = set(graph.objects(privacy, RDFS.label))
    assert Literal(valuelists.label("woo_grounds", "5.1.2.e", "nl"), lang="nl") in labels
    assert Literal(valuelists.label("woo_grounds", "5.1.2.e", "en"), lang="en") in labels

    period = graph.value(statement, DCT.valid)
    assert str(graph.value(period, DCAT.startDate)) == "2025-03-04"
    assert str(graph.value(period, DCAT.endDate)) == "2028-06-30"


def test_a_public_dataset_has_no_woo_statement():
    graph, ref = graph_of(dataset())
    assert list(graph.objects(ref, DCT.rights)) == []


# --- the other DONL fields ----------------------------------------------------------------------


def test_publisher_and_creator_are_the_organisation():
    graph, ref = graph_of(dataset())
    publisher = graph.value(ref, DCT.publisher)
    assert publisher == URIRef(f"{SITE}/organization/org-1") == graph.value(ref, DCT.creator)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert graph.value(publisher, FOAF.name) == Literal("Gemeente Utrecht")


def test_contact_point_is_a_vcard_and_falls_back_to_the_organisation():
    graph, ref = graph_of(dataset())
    [contact] = graph.objects(ref, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in graph
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:opendata@utrecht.nl")

    graph, ref = graph_of(dataset(contact=[]))
    [contact] = graph.objects(ref, DCAT.contactPoint)
    assert graph.value(contact, VCARD.fn) == Literal("Gemeente Utrecht")
    assert graph.value(contact, VCARD.hasURL) == URIRef(f"{SITE}/organization/gemeente-utrecht")


def test_status_themes_and_languages_are_typed_and_labelled():
    graph, ref = graph_of(dataset())
    assert graph.value(ref, ADMS.status) == URIRef(STATUS)
    assert (URIRef(STATUS), RDF.type, SKOS.Concept) in graph
    status_labels = set(graph.objects(URIRef(STATUS), SKOS.prefLabel))
    assert Literal(valuelists.label("dataset_statuses", STATUS), lang="nl") in status_labels
    assert list(graph.objects(ref, DCAT.theme)) == [URIRef(THEME)]
    assert Literal(valuelists.label("themes", THEME), lang="nl") in set(graph.objects(URIRef(THEME), SKOS.prefLabel))
    assert (URIRef(NLD), RDF.type, DCT.LinguisticSystem) in graph


def test_title_and_description_are_tagged_dutch_and_english():
    graph, ref = graph_of(dataset())
    assert set(graph.objects(ref, DCT.title)) == {Literal("Speeltuinen Utrecht", lang="nl"),
                                                  Literal("Playgrounds of Utrecht", lang="en")}
    assert Literal("Every playground of the municipality.", lang="en") in set(graph.objects(ref, DCT.description))
    alone, ref = graph_of(dataset(title_en="", notes_en=""))
    assert list(alone.objects(ref, DCT.title)) == [Literal("Speeltuinen Utrecht", lang="nl")]


def test_identifier_is_one_literal_and_the_dataset_uri_when_none_is_given():
    graph, ref = graph_of(dataset())
    assert list(graph.objects(ref, DCT.identifier)) == [Literal(str(ref))]
    graph, ref = graph_of(dataset(identifier="https://data.utrecht.nl/id/speeltuinen"))
    assert list(graph.objects(ref, DCT.identifier)) == [Literal("https://data.utrecht.nl/id/speeltuinen")]


def test_the_catalog_record_carries_the_metadata_language():
    graph, ref = graph_of(dataset())
    [record] = graph.subjects(FOAF.primaryTopic, ref)
    assert (record, RDF.type, DCAT.CatalogRecord) in graph
    assert graph.value(record, DCT.language) == URIRef(NLD)
    assert graph.value(record, DCT.modified) is not None


def test_a_format_outside_the_value_list_is_described_not_lost():
    data = dataset()
    data["resources"][0]["format"] = "Shapefile-zip-oud"
    graph, ref = graph_of(data)
    distribution = graph.value(ref, DCAT.distribution)
    described = graph.value(distribution, DCT["format"])
    assert isinstance(described, BNode)
    assert graph.value(described, RDFS.label) == Literal("Shapefile-zip-oud")


# --- validity -----------------------------------------------------------------------------------


def _public_and_closed(profile: type[OpenOverheidDONLProfile]) -> Graph:
    graph = Graph()
    for data in (dataset(hvd_category=["http://data.europa.eu/bna/c_ac64a52d"]),
                 closed(id="0b5c3f2e-0000-4000-8000-000000000002", name="opvang")):
        part, _ = graph_of(data, profile)
        graph += part
    return graph


def test_public_and_closed_datasets_conform_to_dcat_ap_3_shapes_and_ranges():
    conforms, _, report = pyshacl.validate(
        _public_and_closed(SchemingProfile), shacl_graph=shapes("dcat-ap-3.0.0/dcat-ap-SHACL.ttl",
                                                                "dcat-ap-3.0.0/range.ttl"), inference="rdfs")
    assert conforms, report


def test_the_ap2_profile_conforms_to_dcat_ap_2_shapes_and_ranges():
    conforms, _, report = pyshacl.validate(
        _public_and_closed(SchemingAP2Profile),
        shacl_graph=shapes("dcat-ap_2.1.1_shacl_shapes.ttl", "dcat-ap_2.1.1_shacl_range.ttl"))
    assert conforms, report


# --- round trip ---------------------------------------------------------------------------------

OUR_FIELDS = (
    "title", "notes", "title_en", "notes_en", "access_rights", "woo_grounds", "woo_motivation", "review_date",
    "closed_since",
    "theme", "language", "metadata_language", "modified", "frequency", "dataset_status", "license_id",
    "temporal_coverage",
)


@pytest.mark.parametrize("rdf_format", ["turtle", "xml", "json-ld"])
@pytest.mark.parametrize("make", [dataset, closed], ids=["publiek", "niet-publiek"])
def test_parse_dataset_reads_our_output_back(make, rdf_format):
    original = make()
    graph, ref = graph_of(original)
    harvested = Graph().parse(data=graph.serialize(format=rdf_format), format=rdf_format)
    parsed = SchemingProfile(harvested).parse_dataset({}, ref)

    for field in OUR_FIELDS:
        expected = original[field]
        if isinstance(expected, list) and field != "temporal_coverage":
            assert sorted(parsed.get(field) or []) == sorted(expected), field
        elif expected:
            assert parsed.get(field) == expected, field
    assert parsed["contact"] == original["contact"]
    assert parsed["spatial_coverage"][0]["uri"] == original["spatial_coverage"][0]["uri"]
    assert parsed["spatial_coverage"][0]["text"] == "Utrecht"
    assert {tag["name"] for tag in parsed["tags"]} == {"spelen"}
    assert parsed["publisher"][0]["name"] == "Gemeente Utrecht"
    if original["access_rights"] == "publiek":
        [resource] = parsed["resources"]
        assert resource["url"] == original["resources"][0]["url"]
        assert resource["format"] == "CSV"
        assert resource["mimetype"] == "text/csv"
        assert resource["license"] == "cc-by"
        assert resource["size"] == 2048
    else:
        assert parsed["resources"] == []


def test_parse_dataset_understands_a_woo_ground_given_only_as_a_wetten_overheid_link():
    graph, ref = graph_of(closed())
    for ground in list(graph.objects(None, SKOS.notation)):
        graph.remove((None, SKOS.notation, ground))
    graph.remove((None, DCT.identifier, Literal("jci1.3:c:BWBR0045754&artikel=5.1&lid=2&onderdeel=e")))
    parsed = SchemingProfile(graph).parse_dataset({}, ref)
    assert parsed["woo_grounds"] == ["5.1.1.d", "5.1.2.e"]


@pytest.mark.parametrize(
    ("notation", "reference", "code"),
    [
        ("5.2", None, "5.2"),
        (None, "jci1.3:c:BWBR0045754&artikel=5.1&lid=5", "5.1.5"),
        (None, "https://wetten.overheid.nl/jci1.3:c:BWBR0045754&artikel=5.1&lid=1&onderdeel=c", "5.1.1.c"),
        (None, "jci1.3:c:BWBR0045754&artikel=5.1&lid=2&onderdeel=i&z=2022-05-01", "5.1.2.i"),
        ("9.9", "jci1.3:c:BWBR0001840&artikel=10", None),  # not the Woo
    ],
)
def test_woo_ground_codes_from_notation_or_reference(notation, reference, code):
    assert woo_ground_code(notation, reference) == code


def test_characters_xml_cannot_carry_do_not_break_rdfxml():
    graph, ref = graph_of(dataset(title="Bel\x07letjes", notes="Tekst met \x0b verticale tab en <b>kapotte HTML",
                                  title_en="", notes_en=""))
    parsed = Graph().parse(data=graph.serialize(format="pretty-xml"), format="xml")
    assert parsed.value(ref, DCT.title) == Literal("Belletjes", lang="nl")
    assert str(parsed.value(ref, DCT.description)) == "Tekst met  verticale tab en <b>kapotte HTML"

"""The MQA score from small hand-made DCAT graphs: a complete dataset earns every indicator (405,
Excellent); one without its licence loses exactly the licence points (20 + 10); distribution-level
indicators earn their share of the distributions; unchecked and failing links earn nothing and say so."""

from __future__ import annotations

import datetime

from rdflib import Graph, URIRef

from ckanext.openoverheid.dcat.namespaces import DCT
from ckanext.openoverheid.quality import mqa
from ckanext.openoverheid.quality.compliance import validate

DATASET = URIRef("https://data.example.nl/dataset/bomen")
ACCESS = "https://data.example.nl/bomen"
DOWNLOAD = "https://data.example.nl/bomen.csv"
CHECKED = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)

COMPLETE = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{DATASET}> a dcat:Dataset ;
    dct:title "Bomen"@nl ; dct:description "Alle bomen."@nl ;
    dcat:keyword "bomen"@nl ;
    dcat:theme <http://standaarden.overheid.nl/owms/terms/Natuur_en_milieu> ;
    dct:spatial <https://identifier.overheid.nl/tooi/id/gemeente/gm0014> ;
    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2026-01-01"^^xsd:date ] ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
    dcat:contactPoint [ a vcard:Organization, vcard:Kind ; vcard:fn "Team Bomen" ;
                        vcard:hasEmail <mailto:bomen@example.nl> ] ;
    dct:publisher [ a foaf:Agent ; foaf:name "Gemeente Groningen" ] ;
    dct:issued "2026-01-05T10:00:00"^^xsd:dateTime ;
    dct:modified "2026-11-02T10:00:00"^^xsd:dateTime ;
    dcat:distribution <{DATASET}/csv> .

<{DATASET}/csv> a dcat:Distribution ;
    dcat:accessURL <{ACCESS}> ;
    dcat:downloadURL <{DOWNLOAD}> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
    dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;
    dct:license <http://creativecommons.org/publicdomain/zero/1.0/deed.nl> ;
    dct:rights [ a dct:RightsStatement ] ;
    dcat:byteSize "1024"^^xsd:decimal .

<http://standaarden.overheid.nl/owms/terms/Natuur_en_milieu> a <http://www.w3.org/2004/02/skos/core#Concept> ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "Natuur en milieu"@nl .
<https://identifier.overheid.nl/tooi/id/gemeente/gm0014> a dct:Location .
<http://publications.europa.eu/resource/authority/access-right/PUBLIC> a dct:RightsStatement .
<http://publications.europa.eu/resource/authority/file-type/CSV> a dct:MediaTypeOrExtent .
<http://www.iana.org/assignments/media-types/text/csv> a dct:MediaType .
<http://creativecommons.org/publicdomain/zero/1.0/deed.nl> a dct:LicenseDocument .
"""


def reachable(*urls: str) -> dict[str, mqa.LinkResult]:
    return {url: mqa.LinkResult(url, True, 200, CHECKED) for url in urls}


def complete() -> Graph:
    return Graph().parse(data=COMPLETE, format="turtle")


def test_a_complete_dataset_earns_every_indicator() -> None:
    report = mqa.score(complete(), DATASET, reachable(ACCESS, DOWNLOAD), conforms=True)
    assert report.missing == []
    assert all(i.earned == i.possible for i in report.indicators.values())
    assert (report.total, report.possible, report.band) == (405, 405, mqa.Band.EXCELLENT)


def test_the_report_names_every_indicator_with_its_points() -> None:
    report = mqa.score(complete(), DATASET, {}, conforms=True)
    points = {key: indicator.possible for key, indicator in report.indicators.items()}
    assert points == {
        "keyword": 30, "theme": 30, "spatial": 20, "temporal": 20,
        "access_url_reachable": 50, "download_url": 20, "download_url_reachable": 30,
        "format": 20, "media_type": 10, "format_vocabulary": 10, "non_proprietary": 20, "machine_readable": 20,
        "dcat_ap_compliance": 30,
        "license": 20, "license_vocabulary": 10, "access_rights": 10, "access_rights_vocabulary": 5,
        "contact_point": 20, "publisher": 10,
        "rights": 5, "byte_size": 5, "issued": 5, "modified": 5,
    }
    assert [d.possible for d in report.dimensions] == [100, 100, 110, 75, 20]


def test_a_dataset_stripped_of_its_licence_loses_exactly_the_licence_points() -> None:
    graph = complete()
    graph.remove((None, DCT.license, None))
    report = mqa.score(graph, DATASET, reachable(ACCESS, DOWNLOAD), conforms=True)
    assert report.total == 405 - 30
    assert {i.key for i in report.missing} == {"license", "license_vocabulary"}
    assert "licence" in report.indicators["license"].missing.text()


def test_a_licence_outside_the_vocabularies_loses_only_the_vocabulary_points() -> None:
    graph = complete()
    graph.remove((None, DCT.license, None))
    graph.add((URIRef(f"{DATASET}/csv"), DCT.license, URIRef("http://standaarden.overheid.nl/owms/terms/licentieonbekend")))
    report = mqa.score(graph, DATASET, reachable(ACCESS, DOWNLOAD), conforms=True)
    assert [i.key for i in report.missing] == ["license_vocabulary"]


def test_links_not_checked_yet_earn_nothing_and_say_so() -> None:
    report = mqa.score(complete(), DATASET, {}, conforms=True)
    assert report.total == 405 - 80
    assert report.indicators["access_url_reachable"].missing.text().startswith("Not checked yet")
    assert report.indicators["download_url_reachable"].earned == 0


def test_a_failing_link_says_when_it_was_checked() -> None:
    links = {**reachable(ACCESS), DOWNLOAD: mqa.LinkResult(DOWNLOAD, False, 404, CHECKED)}
    report = mqa.score(complete(), DATASET, links, conforms=True)
    message = report.indicators["download_url_reachable"].missing
    assert report.indicators["download_url_reachable"].earned == 0
    assert message.params["date"] == "2026-12-01" and "did not answer" in message.text()


def test_distribution_indicators_earn_the_share_of_distributions_that_meet_them() -> None:
    graph = complete().parse(data=f"""
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <{DATASET}> dcat:distribution <{DATASET}/xlsx> .
        <{DATASET}/xlsx> a dcat:Distribution ; dcat:accessURL <{ACCESS}> ;
            dct:format <http://publications.europa.eu/resource/authority/file-type/XLSX> ;
            dct:license <http://creativecommons.org/publicdomain/zero/1.0/deed.nl> .
    """, format="turtle")
    indicators = mqa.score(graph, DATASET, reachable(ACCESS, DOWNLOAD), conforms=True).indicators
    assert indicators["non_proprietary"].earned == 10  # XLSX counts as proprietary
    assert indicators["machine_readable"].earned == 20
    assert indicators["media_type"].earned == 5
    assert indicators["download_url"].earned == 10 and indicators["download_url_reachable"].earned == 15
    assert indicators["byte_size"].earned == 2  # 5 x 1/2 rounds to even
    assert "1 of 2" in indicators["download_url"].missing.text()


def test_a_dataset_without_distributions_earns_no_distribution_points() -> None:
    graph = complete()
    graph.remove((DATASET, None, URIRef(f"{DATASET}/csv")))
    report = mqa.score(graph, DATASET, {}, conforms=True)
    assert report.total == 30 + 30 + 20 + 20 + 30 + 10 + 5 + 20 + 10 + 5 + 5
    assert "no distributions" in report.indicators["format"].missing.text()


def test_a_closed_dataset_is_not_told_to_add_a_distribution() -> None:
    graph = complete()
    graph.remove((DATASET, None, URIRef(f"{DATASET}/csv")))
    graph.set((DATASET, DCT.accessRights,
               URIRef("http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC")))
    report = mqa.score(graph, DATASET, {}, conforms=True)
    assert report.indicators["format"].missing.msgid == mqa.CLOSED_WITHOUT_DISTRIBUTIONS
    assert not any(i.missing is not None and "add one" in i.missing.text() for i in report.indicators.values())


def test_bands_follow_the_mqa() -> None:
    assert [mqa.Band.of(n) for n in (405, 351, 350, 221, 220, 121, 120, 0)] == [
        mqa.Band.EXCELLENT, mqa.Band.EXCELLENT, mqa.Band.GOOD, mqa.Band.GOOD, mqa.Band.SUFFICIENT,
        mqa.Band.SUFFICIENT, mqa.Band.BAD, mqa.Band.BAD]


def test_the_shipped_shapes_find_a_dataset_without_a_title_non_compliant() -> None:
    assert validate(complete())[0]
    graph = complete()
    graph.remove((DATASET, DCT.title, None))
    conforms, text = validate(graph)
    assert not conforms and "title" in text


def test_the_portal_s_own_links_are_asked_at_its_internal_address() -> None:
    from ckanext.openoverheid.quality.links import own_address

    site, portal = "https://data.gemeente.nl", "http://127.0.0.1:5000"
    assert own_address(f"{site}/datastore/dump/x?format=csv", site, portal) == f"{portal}/datastore/dump/x?format=csv"
    assert own_address(site, site + "/", portal) == portal
    assert own_address("https://data.gemeente.nl.evil.example/x", site, portal) == (
        "https://data.gemeente.nl.evil.example/x")
    assert own_address("https://elders.nl/x.csv", site, portal) == "https://elders.nl/x.csv"


def test_dcat_ap_3_integer_byte_sizes_are_compliant_with_the_2_1_1_shapes() -> None:
    from rdflib import Literal

    from ckanext.openoverheid.dcat.namespaces import DCAT, XSD

    graph = complete()
    [distribution] = graph.subjects(DCAT.byteSize, None)
    graph.set((distribution, DCAT.byteSize, Literal(1024, datatype=XSD.nonNegativeInteger)))
    assert validate(graph)[0]

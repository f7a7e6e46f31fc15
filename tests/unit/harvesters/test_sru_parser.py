"""harvesters.vergunningen: reading KOOP SRU answers and Dutch notice titles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ckanext.openoverheid.demo.sru_sample import diagnostic_xml, sample_records_xml
from harvesters.errors import ParseError, RecordError, SourceDiagnostic
from harvesters.geo import haversine_m
from harvesters.vergunningen import Fase, Soort, Vergunning, fase_from_title, parse_response, soort_from
from harvesters.vergunningen.record import normalise_postcode, same_organisation

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vergunningen"


def page(name: str):
    return parse_response((FIXTURES / name).read_bytes(), source_url=f"https://sru.test/{name}")


def by_id(records: list[Vergunning]) -> dict[str, Vergunning]:
    return {record.identifier: record for record in records}


def test_first_page_is_read_completely():
    first = page("sru_page1.xml")
    assert first.number_of_records == 6
    assert first.next_record_position == 3
    assert first.errors == [] and first.diagnostics == []
    record = first.records[0]
    assert record == Vergunning(
        identifier="gmb-2026-10001",
        title="Aanvraag omgevingsvergunning, dakkapel, Voorstraat 13B, 3512AH Utrecht",
        soort=Soort.BOUW,
        fase=Fase.AANVRAAG,
        document_date=dt.date(2026, 1, 2),
        published_date=dt.date(2026, 1, 5),
        modified=dt.date(2026, 1, 5),
        einde_bezwaartermijn=None,
        straat="Voorstraat",
        huisnummer="13B",
        postcode="3512AH",
        woonplaats="Utrecht",
        gemeente="Utrecht",
        lat=52.09398,
        lon=5.12256,
        url="https://zoek.officielebekendmakingen.nl/gmb-2026-10001.html",
        creator="Utrecht",
        onderwerp="omgevingsvergunning",
        publicatienaam="Gemeenteblad",
    )


def test_modified_keeps_its_time_and_url_falls_back_to_html_item():
    second = page("sru_page1.xml").records[1]
    assert second.modified == dt.datetime(2026, 1, 7, 9, 30, 12)
    assert second.einde_bezwaartermijn == dt.date(2026, 2, 18)
    assert second.url.endswith("/html/gmb-2026-10002.html")
    assert (second.soort, second.fase) == (Soort.KAP, Fase.VERLEEND)


def test_other_prefixes_and_default_namespaces_are_read_alike():
    second = page("sru_page2.xml")
    assert second.next_record_position == 5
    records = by_id(second.records)
    assert set(records) == {"stcrt-2026-20003", "gmb-2026-10004"}
    sloop = records["gmb-2026-10004"]
    assert (sloop.soort, sloop.fase, sloop.creator) == (Soort.SLOOP, Fase.GEWEIGERD, "Gemeente Utrecht")
    assert (sloop.lat, sloop.lon) == (52.08505, 5.12198)

    last = page("sru_page3.xml")
    assert last.next_record_position is None
    assert [r.identifier for r in last.records] == ["gmb-2026-10005", "gmb-2026-10006"]
    assert last.records[0].fase is Fase.INGETROKKEN and last.records[0].soort is Soort.RECLAME


def test_locatiegebied_in_lon_lat_order_gives_its_centre():
    event = by_id(page("sru_page3.xml").records)["gmb-2026-10006"]
    assert event.lat == pytest.approx(52.0925) and event.lon == pytest.approx(5.114)
    assert event.url.endswith("gmb-2026-10006.xml")  # only gzd:url was there


def test_single_record_answer_with_several_points_takes_the_first():
    single = page("sru_single.xml")
    assert single.number_of_records == 1 and single.next_record_position is None
    (record,) = single.records
    assert (record.lat, record.lon) == (52.09102, 5.10157)
    assert (record.straat, record.huisnummer, record.postcode) == ("Kanaalstraat", "12", "3531CJ")
    assert record.modified == dt.datetime(2026, 2, 3, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert (record.soort, record.fase) == (Soort.BOUW, Fase.VERLEEND)


def test_pitfall_records_are_read_or_reported_one_by_one():
    pitfalls = page("sru_pitfalls.xml")
    records = by_id(pitfalls.records)
    assert set(records) == {"gmb-2026-40001", "gmb-2026-40002", "gmb-2026-40003", "gmb-2026-40006"}
    assert all(isinstance(e, RecordError) for e in pitfalls.errors)
    reported = {e.record_id: str(e) for e in pitfalls.errors}
    assert set(reported) == {"recordPosition 4", "gmb-2026-40005", "recordPosition 7"}
    assert "no dcterms:identifier" in reported["recordPosition 4"]
    assert "'2026-02-30'" in reported["gmb-2026-40005"] and "available" in reported["gmb-2026-40005"]
    assert "Record temporarily unavailable" in reported["recordPosition 7"]
    assert all(e.source_url == "https://sru.test/sru_pitfalls.xml" for e in pitfalls.errors)


def test_rd_only_geometry_is_converted():
    rd_only = by_id(page("sru_pitfalls.xml").records)["gmb-2026-40001"]
    assert haversine_m(rd_only.lat, rd_only.lon, 52.0906988, 5.1214040) < 2
    assert rd_only.soort is Soort.KAP  # "vellen van een houtopstand", although the subject is generic


def test_swapped_lat_lon_is_put_right():
    swapped = by_id(page("sru_pitfalls.xml").records)["gmb-2026-40002"]
    assert (swapped.lat, swapped.lon) == (52.094, 5.1351)
    assert swapped.postcode == "3572BE"  # from the title, there is no address block


def test_unicode_and_character_entities_in_titles():
    title = by_id(page("sru_pitfalls.xml").records)["gmb-2026-40003"].title
    assert title == (
        "Aanvraag omgevingsvergunning, verbouwing café \u2018De Wolff\u2019 & terras, "
        "Oudegracht 158\u2013160, 3511 AV Utrecht \u2014 naïve Súdwest-Fryslân test"
    )


def test_record_without_location_or_dates_keeps_none():
    bare = by_id(page("sru_pitfalls.xml").records)["gmb-2026-40006"]
    assert bare.lat is bare.lon is bare.modified is bare.published_date is bare.document_date is None
    assert (bare.soort, bare.fase) == (Soort.OVERIG, Fase.ONBEKEND)
    assert bare.to_dict()["modified"] is None


def test_diagnostic_answer_raises_source_diagnostic():
    with pytest.raises(SourceDiagnostic) as caught:
        page("sru_diagnostic.xml")
    message = str(caught.value)
    assert "Query syntax error" in message and 'dt.creator=="Utrecht' in message
    assert caught.value.source_url == "https://sru.test/sru_diagnostic.xml"


def test_non_fatal_diagnostic_is_kept_with_the_records():
    xml = sample_records_xml(1, "Utrecht").replace(
        b"<sru:numberOfRecords>",
        b'<sru:diagnostics><diag:diagnostic xmlns:diag="http://docs.oasis-open.org/ns/search-ws/diagnostic">'
        b"<diag:message>Sort not supported</diag:message></diag:diagnostic></sru:diagnostics><sru:numberOfRecords>",
    )
    result = parse_response(xml)
    assert result.diagnostics == ["Sort not supported"]
    assert len(result.records) == 1


def test_html_and_hostile_answers_are_parse_errors():
    with pytest.raises(ParseError, match="HTML page"):
        page("html_error.html")
    with pytest.raises(ParseError, match="declares entities"):
        page("xxe.xml")
    with pytest.raises(ParseError, match="declares entities"):
        page("billion_laughs.xml")


def test_xml_that_is_not_sru_is_a_parse_error():
    with pytest.raises(ParseError, match="not an SRU searchRetrieveResponse"):
        parse_response(b"<rss><channel/></rss>")
    with pytest.raises(ParseError, match="without numberOfRecords"):
        parse_response(b'<searchRetrieveResponse xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse"/>')
    with pytest.raises(ParseError, match="not a number"):
        parse_response(
            b'<searchRetrieveResponse xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse">'
            b"<numberOfRecords>many</numberOfRecords></searchRetrieveResponse>"
        )


def test_to_dict_is_plain():
    record = page("sru_page1.xml").records[1]
    data = record.to_dict()
    assert data["soort"] == "kap" and data["fase"] == "verleend"
    assert data["modified"] == "2026-01-07T09:30:12"
    assert data["einde_bezwaartermijn"] == "2026-02-18"
    assert data["lat"] == 52.08741
    assert all(isinstance(v, str | float | type(None)) for v in data.values())


# --- sample pages ---------------------------------------------------------------------------------


def test_sample_pages_fit_together_and_are_deterministic():
    first = parse_response(sample_records_xml(250, "Utrecht", start=1, page_size=100, seed=3))
    assert first.number_of_records == 250 and first.next_record_position == 101 and len(first.records) == 100
    last = parse_response(sample_records_xml(250, "Utrecht", start=201, page_size=100, seed=3))
    assert last.next_record_position is None and len(last.records) == 50
    assert first.errors == last.errors == []
    assert sample_records_xml(250, "Utrecht", start=201, seed=3) == sample_records_xml(
        250, "Utrecht", start=201, seed=3
    )
    assert sample_records_xml(250, "Utrecht", seed=3) != sample_records_xml(250, "Utrecht", seed=4)
    records = first.records + last.records
    assert len({r.identifier for r in records}) == 150
    assert all(r.lat is not None and 52.0 < r.lat < 52.15 and 5.05 < r.lon < 5.2 for r in records)
    modified = [r.modified for r in records]
    assert modified == sorted(modified)
    assert len({r.soort for r in records}) >= 5 and len({r.fase for r in records}) >= 4


def test_diagnostic_sample():
    with pytest.raises(SourceDiagnostic, match="Unsupported index"):
        parse_response(diagnostic_xml("Unsupported index", "w.foo"))


# --- words ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "fase"),
    [
        ("Aanvraag omgevingsvergunning, dakkapel, Voorstraat 13B, 3512AH Utrecht", Fase.AANVRAAG),
        ("Omgevingsvergunning aangevraagd voor Oudegracht 1", Fase.AANVRAAG),
        ("Ingediende aanvraag kapvergunning", Fase.AANVRAAG),
        ("Verlenging beslistermijn aanvraag omgevingsvergunning", Fase.AANVRAAG),
        ("Ontwerpbesluit tot verlenen omgevingsvergunning", Fase.AANVRAAG),
        ("Verleende omgevingsvergunning, Maliebaan 45", Fase.VERLEEND),
        ("Besluit tot het verlenen van een omgevingsvergunning", Fase.VERLEEND),
        ("Besluit op aanvraag: omgevingsvergunning verleend", Fase.VERLEEND),
        ("Vergunning toegekend voor evenement", Fase.VERLEEND),
        ("VAN RECHTSWEGE VERLEENDE OMGEVINGSVERGUNNING", Fase.VERLEEND),
        ("Geweigerde omgevingsvergunning", Fase.GEWEIGERD),
        ("Weigering omgevingsvergunning voor aanvraag Biltstraat 8", Fase.GEWEIGERD),
        ("Intrekking verleende omgevingsvergunning", Fase.INGETROKKEN),
        ("Aanvraag omgevingsvergunning ingetrokken", Fase.INGETROKKEN),
        ("Kennisgeving bestemmingsplan Centrum", Fase.ONBEKEND),
        ("", Fase.ONBEKEND),
    ],
)
def test_fase_from_title(title, fase):
    assert fase_from_title(title) is fase


@pytest.mark.parametrize(
    ("subjects", "title", "soort"),
    [
        (["kapvergunning"], "Aanvraag omgevingsvergunning", Soort.KAP),
        (["Sloopvergunning"], "", Soort.SLOOP),
        (["omgevingsvergunning"], "Aanvraag omgevingsvergunning, het kappen van 3 bomen", Soort.KAP),
        (["omgevingsvergunning"], "Aanvraag omgevingsvergunning, dakkapel", Soort.BOUW),
        (["omgevingsvergunning"], "Aanvraag omgevingsvergunning, wijzigen gebruik", Soort.OMGEVINGS),
        ([], "Verkeersbesluit gehandicaptenparkeerplaats Neude", Soort.VERKEERSBESLUIT),
        (["andere vergunning"], "Evenementenvergunning Koningsdag", Soort.EVENEMENTEN),
        (["andere vergunning"], "Exploitatievergunning horeca", Soort.OVERIG),
        ([], "Omgevingsvergunning lichtreclame", Soort.RECLAME),
        (["milieuvergunning"], "", Soort.MILIEU),
        ([], "", Soort.OVERIG),
    ],
)
def test_soort_from(subjects, title, soort):
    assert soort_from(subjects, (), title) is soort


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("3512AH", "3512AH"),
        ("3512 ah", "3512AH"),
        ("3512+AH", "3512AH"),
        (" 3512  AH ", "3512AH"),
        ("0512AH", None),
        ("3512", None),
        ("Utrecht", None),
        (None, None),
    ],
)
def test_normalise_postcode(text, postcode):
    assert normalise_postcode(text) == postcode


def test_same_organisation():
    assert same_organisation("Utrecht", "Gemeente Utrecht")
    assert same_organisation("'s-Hertogenbosch", "\u2019s Hertogenbosch")
    assert same_organisation("Súdwest-Fryslân", "sudwest fryslan")
    assert not same_organisation("Utrecht", "Rechtbank Utrecht")
    assert not same_organisation("Utrecht", None)

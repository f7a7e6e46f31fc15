"""Realistic KOOP SRU answers made up deterministically, for demo data, benchmarks and tests.

The answers follow the real ``gzd`` record layout (see docs/feeds.md) and are built with lxml, so
they are always well-formed. Addresses are real street names in Utrecht with plausible postcodes
and coordinates; the notices themselves are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from lxml import etree

from harvesters.geo import rd_to_wgs84

__all__ = ["NS", "diagnostic_xml", "sample_record", "sample_records_xml", "sru_page_xml"]

NS = {
    "sru": "http://docs.oasis-open.org/ns/search-ws/sruResponse",
    "diag": "http://docs.oasis-open.org/ns/search-ws/diagnostic",
    "gzd": "http://standaarden.overheid.nl/sru",
    "overheidwetgeving": "http://standaarden.overheid.nl/wetgeving/",
    "dcterms": "http://purl.org/dc/terms/",
    "c": "http://standaarden.overheid.nl/collectie/",
    "overheid": "http://standaarden.overheid.nl/owms/terms/",
}

# (street, postcode digits, postcode letters to pick from, RD x, RD y)
STREETS: tuple[tuple[str, str, str, int, int], ...] = (
    ("Voorstraat", "3512", "AH AJ AK AL", 136_700, 456_300),
    ("Oudegracht", "3511", "AB AD AL AR", 136_520, 455_650),
    ("Biltstraat", "3572", "AA AB AC BE", 137_750, 456_300),
    ("Amsterdamsestraatweg", "3513", "AA AB AD AE", 135_500, 457_400),
    ("Kanaalstraat", "3531", "CA CB CD CJ", 134_750, 455_900),
    ("Nobelstraat", "3512", "EK EL EM EN", 137_100, 455_800),
    ("Twijnstraat", "3511", "ZH ZJ ZK ZL", 136_700, 455_200),
    ("Lange Nieuwstraat", "3512", "PE PG PH PJ", 136_800, 455_450),
    ("Maliebaan", "3581", "CA CB CD CG", 137_650, 455_500),
    ("Burgemeester Reigerstraat", "3581", "KL KM KN KP", 138_000, 455_250),
    ("Vleutenseweg", "3532", "HA HB HC HD", 134_500, 456_250),
    ("Adelaarstraat", "3514", "CA CB CD CE", 136_600, 457_000),
    ("Rijnlaan", "3522", "BL BM BN BP", 136_050, 453_800),
    ("Croeselaan", "3521", "BJ BK BL BR", 135_450, 454_600),
    ("Neude", "3512", "AD AE AG AH", 136_500, 456_000),
    ("Catharijnesingel", "3511", "GB GC GD GE", 136_050, 455_550),
    ("Vondellaan", "3521", "GA GB GC GD", 135_900, 454_300),
    ("Laan van Nieuw-Guinea", "3531", "JA JB JC JD", 135_100, 456_500),
    ("Marnixlaan", "3552", "HA HB HC HD", 135_300, 458_100),
    ("Weerdsingel O.Z.", "3514", "AA AB AC AD", 136_300, 456_750),
    ("Kardinaal de Jongweg", "3523", "CA CB CC CD", 137_400, 453_600),
    ("Europalaan", "3526", "KS KT KV KW", 135_650, 453_250),
    ("Zeelandstraat", "3521", "CS CT CV CW", 135_800, 453_900),
    ("Hoogravenseweg", "3523", "KA KB KC KD", 137_000, 453_300),
)

# (activity in the title, dcterms:subject)
ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("het plaatsen van een dakkapel", "omgevingsvergunning"),
    ("het bouwen van een uitbouw", "bouwvergunning"),
    ("het kappen van {n} bomen", "kapvergunning"),
    ("het slopen van een schuur", "sloopvergunning"),
    ("het plaatsen van een reclamebord", "reclamevergunning"),
    ("het wijzigen van een rijksmonument", "omgevingsvergunning"),
    ("het organiseren van een buurtfeest", "evenementenvergunning"),
    ("het aanleggen van een uitrit", "andere vergunning"),
    ("het vergroten van een woning", "omgevingsvergunning"),
    ("het veranderen van een inrichting", "milieuvergunning"),
)

# (title prefix, days until the end of the objection period or None)
PHASES: tuple[tuple[str, int | None], ...] = (
    ("Aanvraag omgevingsvergunning", None),
    ("Ingediende aanvraag omgevingsvergunning", None),
    ("Verleende omgevingsvergunning", 42),
    ("Besluit tot verlenen omgevingsvergunning", 42),
    ("Geweigerde omgevingsvergunning", 42),
    ("Ingetrokken aanvraag omgevingsvergunning", None),
    ("Verlenging beslistermijn omgevingsvergunning", None),
)
PHASE_WEIGHTS = (30, 15, 25, 12, 6, 6, 6)

FIRST_DAY = dt.date(2025, 1, 2)
SPAN_DAYS = 600


def sample_record(index: int, gemeente: str, total: int, seed: int = 0) -> dict[str, Any]:
    """Record number ``index`` (1-based) of ``total``: the same arguments give the same record.

    ``dt.modified`` grows with the index, as in an answer sorted by ``dt.modified/sort.ascending``.
    """
    rng = random.Random(f"{seed}:{gemeente}:{index}")
    street, digits, letters, x0, y0 = rng.choice(STREETS)
    postcode = digits + rng.choice(letters.split())
    number = str(rng.randint(1, 180)) + (rng.choice("ABC") if rng.random() < 0.15 else "")
    x = x0 + rng.uniform(-120, 120)
    y = y0 + rng.uniform(-120, 120)
    modified = FIRST_DAY + dt.timedelta(days=(index - 1) * SPAN_DAYS // max(total, 1))
    document_date = modified - dt.timedelta(days=rng.randint(1, 6))
    number_in_year = 100_000 + index * 13 + seed % 13
    identifier = f"gmb-{modified.year}-{number_in_year}"
    record: dict[str, Any] = {
        "identifier": identifier,
        "creator": gemeente,
        "modified": modified.isoformat(),
        "date": document_date.isoformat(),
        "available": modified.isoformat(),
        "publicatienaam": "Gemeenteblad",
        "publicatienummer": str(number_in_year),
        "straat": street,
        "huisnummer": number,
        "postcode": postcode,
        "woonplaats": gemeente,
        "gemeente": gemeente,
    }
    address = f"{street} {number}, {postcode} {gemeente}"
    if rng.random() < 0.05:
        record["title"] = f"Verkeersbesluit aanwijzen gehandicaptenparkeerplaats {address}"
        record["subject"] = "verkeersbesluit"
    else:
        activity, subject = rng.choice(ACTIVITIES)
        prefix, objection_days = rng.choices(PHASES, weights=PHASE_WEIGHTS)[0]
        record["title"] = f"{prefix}, {activity.format(n=rng.randint(2, 9))}, {address}"
        record["subject"] = subject
        if objection_days:
            record["reactietermijn"] = (modified + dt.timedelta(days=objection_days)).isoformat()
    if index % 10 == 0:
        # Only an RD New surface, as some municipalities deliver it: a small square around the address.
        record["geometrie"] = (
            f"POLYGON(({x - 10:.2f} {y - 8:.2f}, {x + 10:.2f} {y - 8:.2f}, {x + 10:.2f} {y + 8:.2f}, "
            f"{x - 10:.2f} {y + 8:.2f}, {x - 10:.2f} {y - 8:.2f}))"
        )
    else:
        lat, lon = rd_to_wgs84(x, y)
        record["locatiepunten"] = [f"{lat:.6f} {lon:.6f}"]
    return record


def sample_records_xml(n: int, gemeente: str, start: int = 1, page_size: int = 100, seed: int = 0) -> bytes:
    """The SRU page starting at record ``start`` of an answer with ``n`` records for ``gemeente``.

    Pages fit together: asking ``start=1`` then the returned ``nextRecordPosition`` walks all ``n``.
    """
    last = min(n, start + page_size - 1)
    records = [sample_record(i, gemeente, n, seed) for i in range(start, last + 1)]
    next_position = last + 1 if last < n else None
    return sru_page_xml(records, n, next_position, start=start)


def _el(parent: etree._Element, prefix: str, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attrs)
    if text is not None:
        el.text = text
    return el


def _add_record(records_el: etree._Element, record: Mapping[str, Any], position: int) -> None:
    """One ``sru:record``: the ``gzd`` metadata (kern, mantel, tpmeta), the enriched URLs, its position."""
    record_el = _el(records_el, "sru", "record")
    _el(record_el, "sru", "recordSchema", "http://standaarden.overheid.nl/sru/")
    _el(record_el, "sru", "recordPacking", "xml")
    gzd = _el(_el(record_el, "sru", "recordData"), "gzd", "gzd")
    meta = _el(_el(gzd, "gzd", "originalData"), "overheidwetgeving", "meta")
    _add_owmskern(meta, record)
    _add_owmsmantel(meta, record)
    _add_tpmeta(meta, record)
    if record.get("identifier"):
        _add_enriched_data(gzd, record["identifier"])
    _el(record_el, "sru", "recordPosition", str(position))


def _add_owmskern(meta: etree._Element, record: Mapping[str, Any]) -> None:
    kern = _el(meta, "overheidwetgeving", "owmskern")
    if record.get("identifier"):
        _el(kern, "dcterms", "identifier", record["identifier"])
    _el(kern, "dcterms", "title", record.get("title", ""))
    _el(kern, "dcterms", "type", "Gemeenteblad", scheme="overheid:Informatietype")
    _el(kern, "dcterms", "language", "nl", scheme="XSD:language")
    _el(kern, "dcterms", "creator", record.get("creator", ""), scheme="overheid:Gemeente")
    if record.get("modified"):
        _el(kern, "dcterms", "modified", record["modified"])


def _add_owmsmantel(meta: etree._Element, record: Mapping[str, Any]) -> None:
    mantel = _el(meta, "overheidwetgeving", "owmsmantel")
    for name in ("date", "available"):
        if record.get(name):
            _el(mantel, "dcterms", name, record[name])
    if record.get("subject"):
        _el(mantel, "dcterms", "subject", record["subject"], scheme="overheid:Onderwerp")
    _el(mantel, "dcterms", "description", record.get("title", ""))


def _add_tpmeta(meta: etree._Element, record: Mapping[str, Any]) -> None:
    tp = _el(meta, "overheidwetgeving", "tpmeta")
    _el(tp, "c", "product-area", "officielepublicaties")
    _el(tp, "overheidwetgeving", "organisatietype", "Gemeente")
    for name in ("publicatienaam", "publicatienummer"):
        if record.get(name):
            _el(tp, "overheidwetgeving", name, record[name])
    if record.get("reactietermijn"):
        _el(tp, "overheidwetgeving", "datumEindeReactietermijn", record["reactietermijn"])
    for point in record.get("locatiepunten", []):
        _el(tp, "overheidwetgeving", "locatiepunt", point)
    _add_gebiedsmarkering(tp, record)


ADDRESS_ELEMENTS = (
    ("straat", "straatnaam"),
    ("huisnummer", "huisnummer"),
    ("postcode", "postcode"),
    ("woonplaats", "woonplaats"),
    ("gemeente", "gemeentenaam"),
)


def _add_gebiedsmarkering(tp: etree._Element, record: Mapping[str, Any]) -> None:
    """Where the notice applies: an ``Adres`` (with its first point) and/or an RD New ``Vlak``."""
    markering = _el(tp, "overheidwetgeving", "gebiedsmarkering")
    if record.get("straat"):
        address = _el(markering, "overheidwetgeving", "Adres")
        for point in record.get("locatiepunten", [])[:1]:
            _el(address, "overheidwetgeving", "locatiepunt", point)
        for key, name in ADDRESS_ELEMENTS:
            if record.get(key):
                _el(address, "overheidwetgeving", name, record[key])
    if record.get("geometrie"):
        _el(_el(markering, "overheidwetgeving", "Vlak"), "overheidwetgeving", "geometrie", record["geometrie"])


def _add_enriched_data(gzd: etree._Element, identifier: str) -> None:
    """KOOP's repository and reading URLs of the publication ``identifier`` (``gmb-2025-100013``)."""
    enriched = _el(gzd, "gzd", "enrichedData")
    kind, year = identifier.split("-")[0], identifier.split("-")[1]
    base = f"https://repository.overheid.nl/frbr/officielepublicaties/{kind}/{year}/{identifier}/1"
    _el(enriched, "gzd", "url", f"{base}/xml/{identifier}.xml")
    _el(enriched, "gzd", "preferredUrl", f"https://zoek.officielebekendmakingen.nl/{identifier}.html")
    for manifestation, extension in (("html", "html"), ("xml", "xml"), ("pdf", "pdf")):
        _el(enriched, "gzd", "itemUrl", f"{base}/{extension}/{identifier}.{extension}", manifestation=manifestation)


def sru_page_xml(
    records: Sequence[Mapping[str, Any]],
    number_of_records: int,
    next_record_position: int | None = None,
    *,
    start: int = 1,
) -> bytes:
    """An SRU 2.0 searchRetrieveResponse holding ``records`` (dicts as made by :func:`sample_record`)."""
    nsmap = {prefix: uri for prefix, uri in NS.items() if prefix != "diag"}
    root = etree.Element(f"{{{NS['sru']}}}searchRetrieveResponse", nsmap=nsmap)
    _el(root, "sru", "version", "2.0")
    _el(root, "sru", "numberOfRecords", str(number_of_records))
    if records:
        records_el = _el(root, "sru", "records")
        for offset, record in enumerate(records):
            _add_record(records_el, record, start + offset)
    if next_record_position is not None:
        _el(root, "sru", "nextRecordPosition", str(next_record_position))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def diagnostic_xml(message: str, details: str | None = None, uri: str = "info:srw/diagnostic/1/10") -> bytes:
    """A fatal SRU diagnostic answer, as KOOP sends it with HTTP 200 for a bad query."""
    root = etree.Element(f"{{{NS['sru']}}}searchRetrieveResponse", nsmap={"sru": NS["sru"], "diag": NS["diag"]})
    _el(root, "sru", "version", "2.0")
    diagnostic = _el(_el(root, "sru", "diagnostics"), "diag", "diagnostic")
    _el(diagnostic, "diag", "uri", uri)
    if details:
        _el(diagnostic, "diag", "details", details)
    _el(diagnostic, "diag", "message", message)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

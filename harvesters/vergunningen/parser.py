"""Read a KOOP SRU 2.0 ``searchRetrieveResponse`` (recordSchema ``gzd``) into Vergunning records.

Everything is matched by local name: KOOP's prefixes differ between answers and an SRU 1.2 style
namespace still turns up. A record that cannot be read becomes a RecordError in the page's
``errors`` and the rest of the page is still used; an answer that is not an SRU answer at all, or
a fatal diagnostic, fails the whole page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lxml import etree

from harvesters.errors import ParseError, RecordError, SourceDiagnostic
from harvesters.geo import parse_latlon, representative_point, to_wgs84
from harvesters.vergunningen.record import (
    Vergunning,
    fase_from_title,
    normalise_postcode,
    postcode_in_text,
    soort_from,
)
from harvesters.xmlsafe import element_text, find_local, findall_local, index_local, local_name, parse_xml, text_local

__all__ = ["SruPage", "parse_record", "parse_response"]


@dataclass(frozen=True)
class SruPage:
    """One page of an SRU answer.

    ``next_record_position`` is None on the last page. ``diagnostics`` holds non-fatal messages the
    source sent along with its records; ``errors`` the records that could not be read.
    """

    records: list[Vergunning]
    number_of_records: int
    next_record_position: int | None = None
    diagnostics: list[str] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)


def _diagnostic_message(el: etree._Element) -> str:
    message = text_local(el, "message") or "unknown error"
    details = text_local(el, "details")
    uri = text_local(el, "uri")
    text = message + (f" ({details})" if details else "")
    return text + (f" [{uri}]" if uri else "")


def _int(text: str | None, what: str, source_url: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise ParseError(
            f"{source_url or 'The source'} sent {what} {text!r}, which is not a number; "
            "the source may have changed its format",
            source_url=source_url,
        ) from None


def parse_response(xml: bytes, *, source_url: str | None = None) -> SruPage:
    """Parse one SRU answer. Raises ParseError (not XML, not SRU) or SourceDiagnostic (the source
    refused the query, e.g. a CQL syntax error answered with HTTP 200)."""
    root = parse_xml(xml, source_url=source_url)
    where = source_url or "The source"
    if local_name(root) != "searchRetrieveResponse":
        raise ParseError(
            f"{where} answered <{local_name(root)}>, not an SRU searchRetrieveResponse; "
            "check that the URL is an SRU endpoint",
            source_url=source_url,
        )
    diagnostics_el = find_local(root, "diagnostics", deep=False)
    diagnostics = (
        [_diagnostic_message(d) for d in findall_local(diagnostics_el, "diagnostic", deep=False)]
        if diagnostics_el is not None
        else []
    )
    number = _int(text_local(root, "numberOfRecords", deep=False), "numberOfRecords", source_url)
    if number is None:
        if diagnostics:
            raise SourceDiagnostic(
                f"{where} refused the query: {'; '.join(diagnostics)}. Check the municipality name and the "
                "date range in the source's configuration",
                source_url=source_url,
            )
        raise ParseError(
            f"{where} sent an SRU answer without numberOfRecords; the source may have changed its format",
            source_url=source_url,
        )
    next_position = _int(text_local(root, "nextRecordPosition", deep=False), "nextRecordPosition", source_url)
    records: list[Vergunning] = []
    errors: list[RecordError] = []
    records_el = find_local(root, "records", deep=False)
    record_els = findall_local(records_el, "record", deep=False) if records_el is not None else []
    for position, record_el in enumerate(record_els, start=1):
        try:
            records.append(parse_record(record_el, source_url=source_url))
        except RecordError as error:
            if error.record_id is None:
                error.record_id = _position_label(record_el, position)
            errors.append(error)
    return SruPage(records, number, next_position, diagnostics, errors)


def _position_label(record_el: etree._Element, position: int) -> str:
    return f"recordPosition {text_local(record_el, 'recordPosition', deep=False) or position}"


# --- one record -----------------------------------------------------------------------------------


class _Fields:
    """The elements of one record's metadata by local name, indexed once: a record is read with a
    few dozen look-ups and a page holds up to a thousand records."""

    def __init__(self, el: etree._Element) -> None:
        self._index = index_local(el)

    def all(self, name: str) -> list[etree._Element]:
        return self._index.get(name, [])

    def texts(self, name: str) -> list[str]:
        return [text for text in map(element_text, self.all(name)) if text]

    def text(self, name: str) -> str | None:
        found = self.all(name)
        return element_text(found[0]) if found else None


def _date(fields: _Fields, name: str, record_id: str, source_url: str | None) -> dt.date | None:
    text = fields.text(name)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise RecordError(
            f"Record {record_id} has an unreadable {name} {text!r} (expected YYYY-MM-DD); "
            "the source should correct this notice",
            record_id=record_id,
            source_url=source_url,
        ) from None


def _datetime_or_date(
    fields: _Fields, name: str, record_id: str, source_url: str | None
) -> dt.datetime | dt.date | None:
    text = fields.text(name)
    if text is None:
        return None
    try:
        if "T" in text or " " in text:
            return dt.datetime.fromisoformat(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RecordError(
            f"Record {record_id} has an unreadable {name} {text!r} (expected an ISO date); "
            "the source should correct this notice",
            record_id=record_id,
            source_url=source_url,
        ) from None


def _location(fields: _Fields) -> tuple[float, float] | None:
    """WGS84 (lat, lon): the first usable ``locatiepunt``, else the centre of a geometry."""
    for text in fields.texts("locatiepunt"):
        point = parse_latlon(text)
        if point is not None:
            return point
    for name in ("geometrie", "locatiegebied"):
        for text in fields.texts(name):
            try:
                xy = representative_point(text)
            except ValueError:
                point = parse_latlon(text)  # a bare "x y" pair
            else:
                point = to_wgs84(*xy) if xy is not None else None
            if point is not None:
                return point
    return None


def _url(fields: _Fields) -> str | None:
    preferred = fields.text("preferredUrl")
    if preferred:
        return preferred
    for item in fields.all("itemUrl"):
        if (item.get("manifestation") or "").lower() == "html" and element_text(item):
            return element_text(item)
    return fields.text("url")


def _address(fields: _Fields) -> _Fields:
    """The first ``Adres`` of the gebiedsmarkering, else the metadata as a whole."""
    addresses = fields.all("Adres")
    return _Fields(addresses[0]) if addresses else fields


def parse_record(record_el: etree._Element, *, source_url: str | None = None) -> Vergunning:
    """One ``sru:record`` as a Vergunning; RecordError when it has no identifier or a broken date."""
    fields = _Fields(record_el)
    if not fields.all("meta") and fields.all("diagnostic"):
        raise RecordError(
            f"The source could not deliver this record: {_diagnostic_message(fields.all('diagnostic')[0])}",
            source_url=source_url,
        )
    identifier = fields.text("identifier")
    if not identifier:
        raise RecordError(
            "A record has no dcterms:identifier and was skipped; the source should correct this notice",
            source_url=source_url,
        )
    title = fields.text("title") or ""
    subjects = fields.texts("subject")
    location = _location(fields)
    creator = fields.text("creator")
    address = _address(fields)
    return Vergunning(
        identifier=identifier,
        title=title,
        soort=soort_from(subjects, fields.texts("type"), title),
        fase=fase_from_title(title),
        document_date=_date(fields, "date", identifier, source_url),
        published_date=_date(fields, "available", identifier, source_url),
        modified=_datetime_or_date(fields, "modified", identifier, source_url),
        einde_bezwaartermijn=_date(fields, "datumEindeReactietermijn", identifier, source_url),
        straat=address.text("straatnaam") or fields.text("straatnaam"),
        huisnummer=address.text("huisnummer") or fields.text("huisnummer"),
        postcode=normalise_postcode(address.text("postcode") or fields.text("postcode")) or postcode_in_text(title),
        woonplaats=address.text("woonplaats") or fields.text("woonplaats"),
        gemeente=address.text("gemeentenaam") or fields.text("gemeentenaam") or creator,
        lat=location[0] if location else None,
        lon=location[1] if location else None,
        url=_url(fields),
        creator=creator,
        onderwerp=subjects[0] if subjects else None,
        publicatienaam=fields.text("publicatienaam"),
    )

"""One sitemap ``<url>`` with its ``diwoo:Document`` (DiWoo metadata 0.9.8), from a plain record.

The national Woo-index reads, per document: ``<loc>`` (the file itself), ``<lastmod>`` and the DiWoo
metadata. Mandatory in ``diwoo:DiWoo`` are ``publisher``, ``titelcollectie/officieleTitel``,
``classificatiecollectie/informatiecategorieen`` and ``documenthandelingen`` (``soortHandeling`` and
``atTime``); we add ``creatiedatum`` when known and ``format`` when the file type is on the Woo-index's
list (``formatlijst``). Elements are written in the order of the XSD's declarations. Values carrying a
``resource`` attribute must be on the DiWoo value lists; the portal's validators see to that when a
publication or organisation is saved.

No CKAN imports: ``sitemap.py`` turns database rows into ``SitemapDocument``s, the bench and unit tests
make them directly.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from lxml import etree

from ckanext.openoverheid import valuelists

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DIWOO_NS = "https://standaarden.overheid.nl/diwoo/metadata/"
NSMAP = {None: SITEMAP_NS, "diwoo": DIWOO_NS}
TITLE_MAX = 1000  # characters of officieleTitel (the portal's title validator allows no more)
NAME_MAX = 255  # characters of a document's own name, written as alternatieveTitel
LOC_MAX = 2048  # characters of <loc> (sitemaps.org tLoc maxLength)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The file types the Woo-index harvests (DiWoo formatlijst, TOOI set ccw_plooi_filetypes/4).
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
HARVESTED_FILE_TYPES = frozenset(FILE_TYPE + code for code in (
    "7z", "CSV", "XLS", "XLSX", "HTML", "ODF", "ODP", "ODS", "ODT", "PDF", "TXT", "PPSX", "PPT", "PPTX", "PPS",
    "RTF", "DOC", "DOCX", "ZIP"))
# Characters XML 1.0 does not allow (lxml refuses them); dropped from free text so one odd title
# cannot break a whole sitemap.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class SitemapDocument:
    """What the Woo-index is told about one public document of a publication."""

    loc: str  # the document file itself, absolute
    lastmod: dt.datetime  # timezone-aware
    publisher_uri: str  # the organisation's tooi_identifier
    title: str  # the publication's official title
    category_uri: str  # informatiecategorie (TOOI)
    handeling_uri: str  # soort handeling (TOOI)
    handeling_datum: dt.date
    name: str = ""  # the document's own name (resource name), when it differs from the title
    creatiedatum: dt.date | None = None
    format: str = ""  # the resource's format as CKAN stores it ("PDF")


def xml_text(text: str, limit: int | None = None) -> str:
    """``text`` without characters XML cannot carry, whitespace collapsed, cut at ``limit`` characters."""
    cleaned = " ".join(_NOT_XML.sub("", text or "").split())
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def w3c_datetime(moment: dt.datetime) -> str:
    """ISO 8601 with an offset, as sitemaps.org and xs:dateTime want it; naive times are UTC (CKAN's)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


def at_time(day: dt.date) -> str:
    """The start of ``day`` in the Netherlands, as xs:dateTime (``atTime`` wants a time, we know a date)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=AMSTERDAM).isoformat()


def file_type(format_code: str) -> tuple[str, str] | None:
    """(EU file-type URI, label) when the format is one the Woo-index harvests, else None."""
    item = valuelists.get("formats").find(format_code)
    if item is None or item.get("uri") not in HARVESTED_FILE_TYPES:
        return None
    return str(item["uri"]), str(item["code"]).lower()


def _sub(parent: etree._Element, name: str, text: str | None = None, resource: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{DIWOO_NS}}}{name}")
    if resource is not None:
        element.set("resource", resource)
    if text is not None:
        element.text = text
    return element


def diwoo_element(doc: SitemapDocument) -> etree._Element:
    """The ``diwoo:Document`` of one document, standalone."""
    return _fill(etree.Element(f"{{{DIWOO_NS}}}Document", nsmap={"diwoo": DIWOO_NS}), doc)


def _fill(document: etree._Element, doc: SitemapDocument) -> etree._Element:
    categories = valuelists.get("woo_informatiecategorieen")
    handelingen = valuelists.get("woo_handelingen")
    organisations = valuelists.get("tooi_organisaties")
    diwoo = _sub(document, "DiWoo")
    _sub(diwoo, "publisher", organisations.label(doc.publisher_uri), resource=doc.publisher_uri)
    titles = _sub(diwoo, "titelcollectie")
    title = xml_text(doc.title, TITLE_MAX)
    _sub(titles, "officieleTitel", title)
    name = xml_text(doc.name, NAME_MAX)
    if name and name != title:
        _sub(_sub(titles, "alternatieveTitels"), "alternatieveTitel", name)
    classification = _sub(_sub(diwoo, "classificatiecollectie"), "informatiecategorieen")
    _sub(classification, "informatiecategorie", categories.label(doc.category_uri), resource=doc.category_uri)
    if doc.creatiedatum is not None:
        _sub(diwoo, "creatiedatum", doc.creatiedatum.isoformat())
    known_type = file_type(doc.format) if doc.format else None
    if known_type is not None:
        _sub(diwoo, "format", known_type[1], resource=known_type[0])
    handeling = _sub(_sub(diwoo, "documenthandelingen"), "documenthandeling")
    handeling_item = handelingen.item(doc.handeling_uri) or {}
    _sub(handeling, "soortHandeling", str(handeling_item.get("code") or doc.handeling_uri),
         resource=doc.handeling_uri)
    _sub(handeling, "atTime", at_time(doc.handeling_datum))
    return document


def url_element(doc: SitemapDocument) -> etree._Element:
    """The sitemap ``<url>``: ``loc``, ``lastmod``, then the ``diwoo:Document``."""
    url = etree.Element(f"{{{SITEMAP_NS}}}url", nsmap=NSMAP)
    etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = xml_text(doc.loc)
    etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = w3c_datetime(doc.lastmod)
    _fill(_sub(url, "Document"), doc)
    return url


_URL_OPEN = etree.tostring(etree.Element(f"{{{SITEMAP_NS}}}url", nsmap=NSMAP)).removesuffix(b"/>") + b">"


def url_bytes(doc: SitemapDocument) -> bytes:
    """``<url>…</url>`` as UTF-8, for inside a ``<urlset>`` that declares both namespaces (lxml would
    repeat the declarations on every ``<url>``; they are dropped here, the urlset has them)."""
    data = etree.tostring(url_element(doc), encoding="UTF-8", xml_declaration=False)
    if not data.startswith(_URL_OPEN):  # pragma: no cover - lxml's serialisation of our own element
        raise AssertionError(f"unexpected serialisation of <url>: {data[:200]!r}")
    return b"<url>" + data[len(_URL_OPEN):]

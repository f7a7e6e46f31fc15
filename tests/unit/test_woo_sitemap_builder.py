"""Writing Woo sitemaps: one ``<url>`` with valid DiWoo metadata, escaping, pages within the Woo-index's
limits, and the offline schema loader's guard."""

from __future__ import annotations

import datetime as dt

import pytest
import woo_xsd

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.woo import categories, diwoo, sitemap

UTRECHT = "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"
KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"
SITE = "https://data.example.nl"


def document(**fields: object) -> diwoo.SitemapDocument:
    values: dict[str, object] = {
        "loc": f"{SITE}/publicatie/p1/resource/r1/download/besluit.pdf",
        "lastmod": dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.UTC),
        "publisher_uri": UTRECHT,
        "title": "Besluit op Woo-verzoek parkeervergunningen",
        "category_uri": KERN + "c_3baef532",
        "handeling_uri": KERN + "c_641ecd76",
        "handeling_datum": dt.date(2026, 11, 28),
        **fields,
    }
    return diwoo.SitemapDocument(**values)  # type: ignore[arg-type]


def sitemap_of(*docs: diwoo.SitemapDocument) -> bytes:
    return b"".join(sitemap.build_sitemap(docs, chunk_bytes=1))


def test_a_document_with_every_field_validates_in_the_xsds_order() -> None:
    doc = document(name="Besluit (PDF)", creatiedatum=dt.date(2026, 11, 27), format="PDF")
    woo_xsd.assert_valid_document(diwoo.diwoo_element(doc))
    root = woo_xsd.assert_valid_sitemap(sitemap_of(doc))
    names = [element.tag.split("}")[1] for element in root.find(f".//{{{woo_xsd.DIWOO_NS}}}DiWoo")]
    assert names == ["publisher", "titelcollectie", "classificatiecollectie", "creatiedatum", "format",
                     "documenthandelingen"]
    text = sitemap_of(doc).decode()
    assert f'<diwoo:publisher resource="{UTRECHT}">gemeente Utrecht</diwoo:publisher>' in text
    assert "<diwoo:atTime>2026-11-28T00:00:00+01:00</diwoo:atTime>" in text
    assert "<lastmod>2026-11-30T09:15:00+00:00</lastmod>" in text
    assert 'file-type/PDF">pdf</diwoo:format>' in text


def test_a_minimal_document_validates_and_formats_the_woo_index_does_not_harvest_are_left_out() -> None:
    for doc in (document(), document(format="GeoJSON"), document(format="onbekend")):
        root = woo_xsd.assert_valid_sitemap(sitemap_of(doc))
        assert root.find(f".//{{{woo_xsd.DIWOO_NS}}}format") is None


def test_ampersands_and_angle_brackets_in_titles_and_urls_are_escaped() -> None:
    doc = document(title="Wegen & <bruggen> \x0b\"rapport\"", name="bijlage <1> & 2",
                   loc="https://documenten.example.org/get?id=1&type=pdf")
    data = sitemap_of(doc)
    root = woo_xsd.assert_valid_sitemap(data)
    assert b"Wegen &amp; &lt;bruggen&gt;" in data and b"?id=1&amp;type=pdf" in data
    assert root.findtext(f".//{{{woo_xsd.DIWOO_NS}}}officieleTitel") == 'Wegen & <bruggen> "rapport"'
    assert woo_xsd.locs(root) == ["https://documenten.example.org/get?id=1&type=pdf"]


def test_titles_are_cut_at_1000_characters_and_a_name_equal_to_the_title_is_not_repeated() -> None:
    root = woo_xsd.assert_valid_sitemap(sitemap_of(document(title="x" * 5000, name="x" * 5000)))
    title = root.findtext(f".//{{{woo_xsd.DIWOO_NS}}}officieleTitel")
    assert len(title) == diwoo.TITLE_MAX and title.endswith("…")
    assert root.find(f".//{{{woo_xsd.DIWOO_NS}}}alternatieveTitels") is not None
    same = woo_xsd.assert_valid_sitemap(sitemap_of(document(name="Besluit op Woo-verzoek parkeervergunningen")))
    assert same.find(f".//{{{woo_xsd.DIWOO_NS}}}alternatieveTitels") is None


def test_a_page_stays_within_50000_urls_and_50_mb_even_with_the_largest_possible_entries() -> None:
    longest_publisher = max(valuelists.get("tooi_organisaties").values(),
                            key=lambda uri: len(valuelists.get("tooi_organisaties").label(uri)))
    longest_category = max(categories.all_categories(), key=lambda category: len(category.label_nl))
    loc = "https://d.example.nl/?" + "&" * (diwoo.LOC_MAX - len("https://d.example.nl/?"))
    largest = document(title="&" * diwoo.TITLE_MAX, name="<" * diwoo.NAME_MAX, loc=loc, publisher_uri=longest_publisher,
                       category_uri=longest_category.uri, format="DOCX", creatiedatum=dt.date(2026, 1, 1))
    entry = len(diwoo.url_bytes(largest)) + 1
    frame = len(sitemap_of(largest)) - entry
    assert sitemap.PAGE_SIZE <= sitemap.MAX_URLS
    assert frame + sitemap.PAGE_SIZE * entry < sitemap.MAX_FILE_BYTES, (entry, sitemap.PAGE_SIZE)


def test_documents_are_split_into_pages_of_page_size() -> None:
    category = categories.by_number("014")
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert sitemap.IndexEntry("gemeente-utrecht", category, sitemap.PAGE_SIZE, now).pages == 1
    assert sitemap.IndexEntry("gemeente-utrecht", category, sitemap.PAGE_SIZE + 1, now).pages == 2
    pages = [(sitemap.page_url(SITE, "gemeente-utrecht", category, n), now) for n in (1, 2)]
    root = woo_xsd.assert_valid_index(b"".join(sitemap.build_index(pages)))
    assert woo_xsd.locs(root) == [f"{SITE}/woo/sitemaps/gemeente-utrecht/sitemap-diwoo-infocat014-{n}.xml"
                                  for n in (1, 2)]


def test_a_sitemap_is_written_in_chunks_as_documents_come() -> None:
    chunks = list(sitemap.build_sitemap((document(loc=f"{SITE}/d/{n}.pdf") for n in range(50)), chunk_bytes=4096))
    assert len(chunks) > 5 and all(len(chunk) < 4096 + 2048 for chunk in chunks)
    assert len(woo_xsd.locs(woo_xsd.assert_valid_sitemap(b"".join(chunks)))) == 50


def test_wrong_category_or_organisation_uris_fail_validation() -> None:
    for doc in (document(category_uri=KERN + "c_00000000"), document(publisher_uri=UTRECHT[:-4] + "9999")):
        with pytest.raises(AssertionError, match="not valid"):
            woo_xsd.assert_valid_sitemap(sitemap_of(doc))


def test_the_schema_loader_removes_exactly_one_mdto_import_and_one_reference() -> None:
    text = (woo_xsd.DIWOO_DIR / "diwoo-metadata.xsd").read_text(encoding="utf-8")
    stripped = woo_xsd.strip_mdto(text)
    assert "nationaalarchief.nl/mdto/MDTO" not in stripped and 'ref="mdto:MDTO"' not in stripped
    assert len(text) - len(stripped) < 400  # the two declarations, nothing more
    ref = '<xs:element ref="mdto:MDTO" minOccurs="1" maxOccurs="unbounded"/>'
    with pytest.raises(woo_xsd.SchemaChanged, match="removed 1 and 2"):
        woo_xsd.strip_mdto(text.replace(ref, ref + ref))
    with pytest.raises(woo_xsd.SchemaChanged, match="removed 0 and 1"):
        woo_xsd.strip_mdto(woo_xsd.MDTO_IMPORT.sub("", text))
    with pytest.raises(woo_xsd.SchemaChanged, match="still refers"):
        woo_xsd.strip_mdto(text.replace("</xs:schema>", '<xs:attribute ref="mdto:other"/></xs:schema>'))

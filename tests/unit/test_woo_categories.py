"""The Woo information categories: numbered as the Woo-index reads them, the same URIs as the DiWoo XSD."""

from __future__ import annotations

from lxml import etree
from woo_xsd import DIWOO_DIR

from ckanext.openoverheid.woo import categories

XS = "{http://www.w3.org/2001/XMLSchema}"
KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"


def xsd_category_uris() -> set[str]:
    tree = etree.parse(str(DIWOO_DIR / "diwoo-metadata-lijsten.xsd"), etree.XMLParser(no_network=True))
    simple_type = tree.find(f"{XS}simpleType[@name='informatiecategorielijst']")
    return {str(enumeration.get("value")) for enumeration in simple_type.iter(f"{XS}enumeration")}


def test_the_eighteen_uris_are_exactly_the_xsds_informatiecategorielijst() -> None:
    uris = [category.uri for category in categories.all_categories()]
    assert len(uris) == 18
    assert set(uris) == xsd_category_uris()


def test_001_to_017_follow_article_3_3_and_018_is_article_3_1() -> None:
    numbered = categories.all_categories()
    assert [category.number for category in numbered] == [f"{n:03d}" for n in range(1, 19)]
    expected = [f"3.3.1.{letter}" for letter in "abcde"] + [f"3.3.2.{letter}" for letter in "abcdefghijkl"]
    assert [category.article for category in numbered[:17]] == expected
    assert numbered[17].article == "3.1"


def test_woo_requests_are_014_and_research_reports_015() -> None:
    assert categories.by_number("014").uri == KERN + "c_3baef532"
    assert categories.by_number("015").uri == KERN + "c_fdaee95e"
    assert categories.by_uri(KERN + "c_3baef532").label("en") == "Woo requests and decisions"


def test_index_and_page_file_names_round_trip_and_nothing_else_is_read() -> None:
    category = categories.by_number("014")
    assert category.index_name == "sitemapindex-diwoo-infocat014.xml"
    assert categories.from_index_name(category.index_name) == category
    assert categories.from_page_name(category.page_name(3)) == (category, 3)
    for name in ("sitemapindex-diwoo-infocat14.xml", "sitemapindex-diwoo-infocat019.xml",
                 "sitemapindex-diwoo-infocat014.xml.gz", "sitemap-diwoo-infocat014-0.xml",
                 "sitemap-diwoo-infocat014-01.xml"):
        assert categories.from_index_name(name) is None and categories.from_page_name(name) is None

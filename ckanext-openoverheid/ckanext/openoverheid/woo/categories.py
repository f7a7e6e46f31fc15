"""The Woo information categories as the national Woo-index numbers them: category number (``"001"`` …
``"018"``) ↔ TOOI URI ↔ labels ↔ article, and the file names of their sitemap indexes.

The data is the value list ``schemas/valuelists/woo_informatiecategorieen.yaml`` (its ``code`` is the
number); this module only gives it a typed face. The Woo-index reads an index only when its name is exactly
``sitemapindex-diwoo-infocatNNN.xml`` (DiWoo handleiding, "sitemapindex en sitemaps").
No CKAN imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ckanext.openoverheid import valuelists

VALUE_LIST = "woo_informatiecategorieen"
INDEX_NAME = re.compile(r"sitemapindex-diwoo-infocat(\d{3})\.xml")
PAGE_NAME = re.compile(r"sitemap-diwoo-infocat(\d{3})-([1-9]\d*)\.xml")


@dataclass(frozen=True)
class Category:
    number: str  # "001" … "018": the number in the index file name
    uri: str  # the TOOI URI a publication stores in ``informatiecategorie``
    article: str  # the provision of the Woo that names the category, e.g. "3.3.2.i"
    label_nl: str
    label_en: str

    def label(self, language: str = "nl") -> str:
        return self.label_en if language == "en" else self.label_nl

    @property
    def index_name(self) -> str:
        """The file name of the category's sitemap index, the one name the Woo-index reads."""
        return f"sitemapindex-diwoo-infocat{self.number}.xml"

    def page_name(self, page: int) -> str:
        """The file name of page ``page`` (from 1) of the category's sitemaps (free to choose; ours)."""
        return f"sitemap-diwoo-infocat{self.number}-{page}.xml"


def all_categories() -> list[Category]:
    """Every category in the order of the Woo (art. 3.3 lid 1 a–e, lid 2 a–l, then art. 3.1)."""
    return [
        Category(number=str(item["code"]), uri=str(item["uri"]), article=str(item["article"]),
                 label_nl=str(item["label"]["nl"]), label_en=str(item["label"]["en"]))
        for item in valuelists.get(VALUE_LIST)
    ]


def by_uri(uri: str | None) -> Category | None:
    """The category a publication's ``informatiecategorie`` names, or None."""
    return next((category for category in all_categories() if category.uri == uri), None)


def by_number(number: str) -> Category | None:
    return next((category for category in all_categories() if category.number == number), None)


def from_index_name(name: str) -> Category | None:
    """The category of an index file name, or None when the name is not one the Woo-index reads."""
    match = INDEX_NAME.fullmatch(name)
    return by_number(match.group(1)) if match else None


def from_page_name(name: str) -> tuple[Category, int] | None:
    """(category, page) of a sitemap page file name, or None."""
    match = PAGE_NAME.fullmatch(name)
    if not match:
        return None
    category = by_number(match.group(1))
    return (category, int(match.group(2))) if category else None

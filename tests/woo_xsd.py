"""Validating Woo sitemaps offline: the sitemaps.org schemas for the frame, the DiWoo 0.9.8 schema for
each ``diwoo:Document``. No network (every parser has ``no_network=True``; schema files come from
tests/fixtures).

DiWoo's ``diwoo-metadata.xsd`` imports the Nationaal Archief's MDTO schema by URL and uses it once, as the
second branch of the choice in ``DocumentType`` (``<xs:element ref="mdto:MDTO" …/>``). We validate the DiWoo
branch only: the import and that one reference are removed in memory, and the loader insists it removed
exactly one of each, so a later DiWoo version that uses MDTO elsewhere fails here loudly
(tests/fixtures/diwoo-0.9.8/README.md says why).

The frame is checked with a small driver schema that imports sitemaps.org's schema and the stripped
DiWoo schema together, because ``tUrl`` ends with a strict ``##other`` wildcard: a ``diwoo:Document`` in a
``<url>`` validates only when its schema is loaded too. Each document is then validated alone as well, so
that a failure names the document.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from lxml import etree

FIXTURES = Path(__file__).parent / "fixtures"
DIWOO_DIR = FIXTURES / "diwoo-0.9.8"
SITEMAPS_DIR = FIXTURES / "sitemaps"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DIWOO_NS = "https://standaarden.overheid.nl/diwoo/metadata/"
MDTO_IMPORT = re.compile(r'<xs:import\s+namespace="https://www\.nationaalarchief\.nl/mdto"\s+schemaLocation="[^"]*"\s*/>')
MDTO_REF = re.compile(r'<xs:element\s+ref="mdto:MDTO"[^>]*/>')


class SchemaChanged(AssertionError):
    """The DiWoo schema no longer has exactly one MDTO import and one MDTO reference: look again at what
    validating "the DiWoo branch only" leaves out before changing the loader."""


def strip_mdto(text: str) -> str:
    """The DiWoo schema without its MDTO import and its single ``mdto:MDTO`` reference."""
    text, imports = MDTO_IMPORT.subn("", text)
    text, refs = MDTO_REF.subn("", text)
    if imports != 1 or refs != 1:
        raise SchemaChanged(f"expected to remove 1 MDTO import and 1 MDTO reference, removed {imports} and {refs}")
    if "mdto:" in re.sub(r'xmlns:mdto="[^"]*"', "", text):
        raise SchemaChanged("the DiWoo schema still refers to MDTO after removing its import and reference")
    return text


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


@functools.cache
def diwoo_schema() -> etree.XMLSchema:
    """The DiWoo schema (DiWoo branch only), with its value lists."""
    path = DIWOO_DIR / "diwoo-metadata.xsd"
    text = strip_mdto(path.read_text(encoding="utf-8"))
    return etree.XMLSchema(etree.fromstring(text.encode(), _parser(), base_url=str(path)))


class _Resolver(etree.Resolver):
    """Serves the stripped DiWoo schema and the sitemaps.org schemas to the driver schema."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        name = system_url.rsplit("/", 1)[-1]
        if name == "diwoo-metadata.xsd":
            text = strip_mdto((DIWOO_DIR / name).read_text(encoding="utf-8"))
            return self.resolve_string(text, context, base_url=str(DIWOO_DIR / name))
        if name in ("sitemap.xsd", "siteindex.xsd"):
            return self.resolve_filename(str(SITEMAPS_DIR / name), context)
        return None


@functools.cache
def urlset_schema() -> etree.XMLSchema:
    """sitemaps.org ``sitemap.xsd`` and DiWoo together (the frame's strict wildcard needs both)."""
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="{SITEMAP_NS}" schemaLocation="sitemap.xsd"/>
      <xs:import namespace="{DIWOO_NS}" schemaLocation="diwoo-metadata.xsd"/>
    </xs:schema>"""
    parser = _parser()
    parser.resolvers.add(_Resolver())
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=str(SITEMAPS_DIR / "driver.xsd")))


@functools.cache
def siteindex_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SITEMAPS_DIR / "siteindex.xsd"), _parser()))


def _errors(schema: etree.XMLSchema) -> str:
    return "\n".join(f"line {error.line}: {error.message}" for error in schema.error_log)


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, _parser())


def assert_valid_document(document: etree._Element) -> None:
    """One ``diwoo:Document`` against the DiWoo schema."""
    schema = diwoo_schema()
    if not schema.validate(etree.ElementTree(document)):
        raise AssertionError(f"diwoo:Document is not valid DiWoo 0.9.8:\n{_errors(schema)}\n"
                             f"{etree.tostring(document, pretty_print=True).decode()}")


def assert_valid_sitemap(data: bytes) -> etree._Element:
    """A sitemap (``<urlset>``): the frame with DiWoo, then every ``diwoo:Document`` alone. Returns the root."""
    root = parse(data)
    schema = urlset_schema()
    if not schema.validate(etree.ElementTree(root)):
        raise AssertionError(f"sitemap is not valid:\n{_errors(schema)}")
    documents = root.findall(f"{{{SITEMAP_NS}}}url/{{{DIWOO_NS}}}Document")
    if len(documents) != len(root):
        raise AssertionError(f"{len(root)} <url> but {len(documents)} diwoo:Document")
    for document in documents:
        assert_valid_document(document)
    return root


def assert_valid_index(data: bytes) -> etree._Element:
    """A sitemap index (``<sitemapindex>``) against sitemaps.org's ``siteindex.xsd``. Returns the root."""
    root = parse(data)
    schema = siteindex_schema()
    if not schema.validate(etree.ElementTree(root)):
        raise AssertionError(f"sitemap index is not valid:\n{_errors(schema)}")
    return root


def locs(root: etree._Element) -> list[str]:
    """The ``<loc>`` of every ``<url>`` or ``<sitemap>``, in order."""
    return [str(loc.text) for loc in root.iter(f"{{{SITEMAP_NS}}}loc")]

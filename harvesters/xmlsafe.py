"""Parse XML from the outside world without letting it reach back in.

The parser never resolves entities, loads a DTD or touches the network, and refuses documents that
declare entities at all (billion laughs, XXE) or point at an external DTD: no municipal feed needs
them. Feeds also vary their namespace prefixes and sometimes their namespace URIs, so the helpers
here find elements by *local* name only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from harvesters.errors import ParseError

__all__ = [
    "element_text",
    "find_local",
    "findall_local",
    "index_local",
    "local_name",
    "parse_xml",
    "text_local",
    "texts_local",
]

_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers keep state and are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )


def parse_xml(data: bytes, *, source_url: str | None = None) -> etree._Element:
    """The root element of ``data``, or ParseError with a message a civil servant can act on."""
    where = source_url or "The source"
    if not data or not data.strip():
        raise ParseError(f"{where} answered with an empty body instead of XML; try again later", source_url=source_url)
    if _HTML_START.match(data[:4096]):
        raise ParseError(
            f"{where} answered an HTML page, not XML (probably an error or maintenance page); "
            "check the URL and try again later",
            source_url=source_url,
        )
    if _DOCTYPE.search(data) and _ENTITY_DECL.search(data):
        raise _entities_refused(where, source_url)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise ParseError(
            f"{where} answered malformed XML ({error.msg}, line {error.lineno}); the source may be down or "
            "may have changed its format",
            source_url=source_url,
        ) from None
    # The byte scan above misses UTF-16 and other encodings; the parsed DTD does not.
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise _entities_refused(where, source_url)
    if local_name(root).lower() == "html":
        raise ParseError(
            f"{where} answered an HTML page, not XML (probably an error or maintenance page); "
            "check the URL and try again later",
            source_url=source_url,
        )
    docinfo = root.getroottree().docinfo
    if docinfo.system_url or docinfo.public_id:
        # Never loaded (load_dtd=False), but entities it would define would stay in the text as "&name;".
        raise ParseError(
            f"{where} answered XML whose DOCTYPE points at an external DTD; such documents are refused because "
            "they can be used to attack the portal (XXE). Ask the source for plain XML",
            source_url=source_url,
        )
    return root


def _entities_refused(where: str, source_url: str | None) -> ParseError:
    return ParseError(
        f"{where} answered XML that declares entities in a DOCTYPE; such documents are refused because "
        "they can be used to attack the portal (billion laughs, XXE). Ask the source for plain XML",
        source_url=source_url,
    )


def local_name(el: etree._Element) -> str:
    """The element's name without namespace; "" for comments and processing instructions."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _children_or_descendants(el: etree._Element, name: str, deep: bool) -> Iterator[etree._Element]:
    # "{*}name" matches the local name in any namespace, and without one.
    tag = "{*}" + name
    return el.iterdescendants(tag) if deep else el.iterchildren(tag)


def findall_local(el: etree._Element, name: str, *, deep: bool = True) -> list[etree._Element]:
    """Elements below ``el`` named ``name`` in any namespace, in document order.

    ``deep=False`` looks at direct children only.
    """
    return list(_children_or_descendants(el, name, deep))


def find_local(el: etree._Element, name: str, *, deep: bool = True) -> etree._Element | None:
    """The first element below ``el`` named ``name`` in any namespace, or None."""
    return next(_children_or_descendants(el, name, deep), None)


def index_local(el: etree._Element) -> dict[str, list[etree._Element]]:
    """Every element below ``el`` by local name, in document order: one pass for many look-ups."""
    index: dict[str, list[etree._Element]] = {}
    for found in el.iterdescendants(etree.Element):  # elements only: no comments or processing instructions
        tag = found.tag
        index.setdefault(tag[tag.find("}") + 1 :], []).append(found)  # find() is -1 without a namespace
    return index


def element_text(el: etree._Element | None) -> str | None:
    """All text inside ``el`` with whitespace collapsed, or None when there is none."""
    if el is None:
        return None
    text = " ".join("".join(el.itertext()).split())
    return text or None


def text_local(el: etree._Element, name: str, *, deep: bool = True) -> str | None:
    """The collapsed text of the first element named ``name`` below ``el``, or None."""
    return element_text(find_local(el, name, deep=deep))


def texts_local(el: etree._Element, name: str, *, deep: bool = True) -> list[str]:
    """The collapsed, non-empty texts of all elements named ``name`` below ``el``."""
    return [text for text in (element_text(found) for found in findall_local(el, name, deep=deep)) if text]

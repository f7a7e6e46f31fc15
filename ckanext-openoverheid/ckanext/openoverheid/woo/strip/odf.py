"""OpenDocument (ODT, ODS, ODP, ...): ``meta.xml`` emptied, comment and tracked-change authors removed,
printer names dropped from ``settings.xml``. Embedded objects (``Object 1/meta.xml``) are treated alike.
"""

from __future__ import annotations

from typing import IO

from lxml import etree

from ckanext.openoverheid.woo.strip import zipsafe

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
DC = "http://purl.org/dc/elements/1.1/"
CONFIG = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
PRINTER_ITEMS = frozenset({"PrinterName", "PrinterSetup", "PrinterPaperFromSetup"})


def strip(source: IO[bytes], target: IO[bytes], limits: zipsafe.Limits = zipsafe.DEFAULT_LIMITS) -> None:
    """Write the OpenDocument in ``source`` to ``target`` without its metadata."""
    zipsafe.copy(source, target, rewriter_for, first="mimetype", stored=frozenset({"mimetype"}), limits=limits)


def rewriter_for(name: str) -> zipsafe.Rewriter | None:
    base = name.rsplit("/", 1)[-1]
    return {"meta.xml": empty_meta, "content.xml": anonymous_content, "styles.xml": anonymous_content,
            "settings.xml": without_printer}.get(base)


def empty_meta(_name: str, data: bytes) -> bytes:
    """``<office:document-meta office:version=…><office:meta/></office:document-meta>``."""
    original = zipsafe.parse(data).getroot()
    root = etree.Element(f"{{{OFFICE}}}document-meta", nsmap={"office": OFFICE})
    version = original.get(f"{{{OFFICE}}}version")
    if version is not None:
        root.set(f"{{{OFFICE}}}version", version)
    etree.SubElement(root, f"{{{OFFICE}}}meta")
    return zipsafe.serialise(root.getroottree())


def anonymous_content(_name: str, data: bytes) -> bytes:
    """Comments lose their author, initials and date; tracked changes their author."""
    if b"annotation" not in data and b"change-info" not in data:
        return data  # nothing to do: spare parsing a large spreadsheet
    tree = zipsafe.parse(data)
    for annotation in tree.iter(f"{{{OFFICE}}}annotation"):
        for child in list(annotation):
            if child.tag in (f"{{{DC}}}creator", f"{{{DC}}}date", f"{{{META}}}creator-initials"):
                annotation.remove(child)
    for info in tree.iter(f"{{{OFFICE}}}change-info"):
        for creator in info.iter(f"{{{DC}}}creator"):
            creator.text = ""  # required by the schema; kept empty
    return zipsafe.serialise(tree)


def without_printer(_name: str, data: bytes) -> bytes:
    """Printer names and driver settings (they name machines and sometimes people) dropped."""
    tree = zipsafe.parse(data)
    for item in list(tree.iter(f"{{{CONFIG}}}config-item")):
        if item.get(f"{{{CONFIG}}}name") in PRINTER_ITEMS:
            item.getparent().remove(item)
    return zipsafe.serialise(tree)

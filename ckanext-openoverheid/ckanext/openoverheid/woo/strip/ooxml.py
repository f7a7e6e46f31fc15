"""Office Open XML (DOCX, XLSX, PPTX): the property parts emptied, comment, revision and co-author names
removed. Property parts are kept, empty, so ``_rels/.rels`` and ``[Content_Types].xml`` stay valid.

The property parts are found by their usual names (``docProps/…``), as every Office writer names them.
Known gap: SharePoint properties in ``customXml/`` are left as they are.
"""

from __future__ import annotations

import re
from typing import IO

from lxml import etree

from ckanext.openoverheid.woo.strip import zipsafe

CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
X15AC = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"
# Attributes naming a person, in any namespace: w:author, w15:author, name/initials on PowerPoint authors,
# displayName/userId/providerId on Excel and PowerPoint persons.
PERSON_ATTRIBUTES = frozenset({"author", "initials", "userId", "providerId", "displayName"})


def strip(source: IO[bytes], target: IO[bytes], limits: zipsafe.Limits = zipsafe.DEFAULT_LIMITS) -> None:
    """Write the Office Open XML document in ``source`` to ``target`` without its metadata."""
    zipsafe.copy(source, target, rewriter_for, limits=limits)


def rewriter_for(name: str) -> zipsafe.Rewriter | None:
    if name == "docProps/core.xml":
        return empty_core
    if name == "docProps/app.xml":
        return lambda _name, _data: _empty(EXTENDED)
    if name == "docProps/custom.xml":
        return lambda _name, _data: _empty(CUSTOM)
    if name == "xl/workbook.xml":
        return without_paths
    if re.fullmatch(r"xl/comments\d*\.xml", name):
        return anonymous_excel_comments
    if not name.endswith(".xml"):
        return None
    if name.startswith("word/") or name.startswith("xl/persons/"):
        return anonymous_people
    if name in ("ppt/commentAuthors.xml", "ppt/authors.xml"):
        return anonymous_presentation_authors
    return None


def _empty(namespace: str) -> bytes:
    root = etree.Element(f"{{{namespace}}}Properties", nsmap={None: namespace, "vt": VT})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def empty_core(_name: str, _data: bytes) -> bytes:
    """An empty ``cp:coreProperties``: no creator, last editor, revision, printing date, dates or keywords."""
    root = etree.Element(f"{{{CP}}}coreProperties", nsmap={"cp": CP, "dc": "http://purl.org/dc/elements/1.1/",
                                                          "dcterms": "http://purl.org/dc/terms/"})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def anonymous_people(_name: str, data: bytes) -> bytes:
    """Revision, comment and co-author names blanked (the attributes are required, so kept empty);
    Word's ``w15:presenceInfo`` (the account behind a name) dropped."""
    if b"author" not in data and b"person" not in data and b"Author" not in data:
        return data  # most document parts name nobody: spare parsing them
    tree = zipsafe.parse(data)
    for element in tree.iter(etree.Element):
        for attribute in element.attrib:
            if etree.QName(attribute).localname in PERSON_ATTRIBUTES:
                element.set(attribute, "")
    for presence in list(tree.iter(f"{{{W15}}}presenceInfo")):
        presence.getparent().remove(presence)
    return zipsafe.serialise(tree)


def anonymous_presentation_authors(_name: str, data: bytes) -> bytes:
    """PowerPoint's comment authors: ``name`` is the person here (elsewhere it names bookmarks or styles)."""
    tree = zipsafe.parse(data)
    for element in tree.iter(etree.Element):
        for attribute in element.attrib:
            if etree.QName(attribute).localname in PERSON_ATTRIBUTES | {"name"}:
                element.set(attribute, "")
    return zipsafe.serialise(tree)


def anonymous_excel_comments(_name: str, data: bytes) -> bytes:
    """Excel's comment authors blanked; kept in number because each comment points at one by index."""
    tree = zipsafe.parse(data)
    for author in tree.iter(f"{{{SPREADSHEET}}}author"):
        author.text = ""
    return zipsafe.serialise(tree)


def without_paths(_name: str, data: bytes) -> bytes:
    """Excel writes the folder it last saved to (``x15ac:absPath``, often ``C:\\Users\\<name>\\…``)."""
    if b"absPath" not in data:
        return data
    tree = zipsafe.parse(data)
    for path in list(tree.iter(f"{{{X15AC}}}absPath")):
        path.getparent().remove(path)
    return zipsafe.serialise(tree)

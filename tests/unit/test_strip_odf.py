"""OpenDocument metadata stripping: meta.xml, comment and tracked-change authors, printer names go; the
container stays a valid ODF package (``mimetype`` first and stored)."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from ckanext.openoverheid.woo.strip import Kind, sniff, strip_bytes

AUTHOR = "Jan Ambtenaar"
INITIAL = "Petra Beleidsmedewerker"
COMMENTER = "Karel Jurist"
EDITOR = "Anna Redacteur"
PRINTER = "HP-Kamer-Jan"
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"')

META = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta {NS} office:version="1.3"><office:meta>
<dc:creator>{AUTHOR}</dc:creator><meta:initial-creator>{INITIAL}</meta:initial-creator>
<meta:generator>LibreOffice/7.6</meta:generator>
<meta:user-defined meta:name="Afdeling">Juridische Zaken</meta:user-defined>
</office:meta></office:document-meta>"""

CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS} office:version="1.3"><office:body><office:text>
<text:tracked-changes><text:changed-region text:id="c1"><text:insertion><office:change-info>
<dc:creator>{EDITOR}</dc:creator><dc:date>2026-11-01T10:00:00</dc:date></office:change-info>
</text:insertion></text:changed-region></text:tracked-changes>
<text:p>Besluit<office:annotation><dc:creator>{COMMENTER}</dc:creator><dc:date>2026-11-02T09:00:00</dc:date>
<meta:creator-initials>KJ</meta:creator-initials><text:p>Zwartlakken?</text:p></office:annotation></text:p>
</office:text></office:body></office:document-content>"""

SETTINGS = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-settings {NS} office:version="1.3"><office:settings>
<config:config-item-set config:name="ooo:configuration-settings">
<config:config-item config:name="PrinterName" config:type="string">{PRINTER}</config:config-item>
<config:config-item config:name="PrinterSetup" config:type="base64Binary">SFAtS2FtZXItSmFu</config:config-item>
<config:config-item config:name="TabsRelativeToIndent" config:type="boolean">true</config:config-item>
</config:config-item-set></office:settings></office:document-settings>"""


def odt(*, mimetype_first: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        parts = [("mimetype", "application/vnd.oasis.opendocument.text"), ("meta.xml", META),
                 ("content.xml", CONTENT), ("settings.xml", SETTINGS), ("Object 1/meta.xml", META),
                 ("META-INF/manifest.xml", "<manifest/>")]
        if not mimetype_first:
            parts.append(parts.pop(0))
        for name, text in parts:
            archive.writestr(name, text)
    return out.getvalue()


def _texts(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return "".join(archive.read(name).decode() for name in archive.namelist())


def test_people_and_printers_are_gone_and_the_text_stays() -> None:
    original = odt()
    assert sniff(io.BytesIO(original)) is Kind.ODF
    cleaned = _texts(strip_bytes(original))
    for name in (AUTHOR, INITIAL, COMMENTER, EDITOR, PRINTER, "Juridische Zaken", "LibreOffice", "KJ"):
        assert name not in cleaned
    assert "Besluit" in cleaned and "Zwartlakken?" in cleaned and "TabsRelativeToIndent" in cleaned


def test_meta_xml_keeps_only_an_empty_meta_of_the_same_version() -> None:
    with zipfile.ZipFile(io.BytesIO(strip_bytes(odt()))) as archive:
        root = etree.fromstring(archive.read("meta.xml"))
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    assert root.tag == f"{{{office}}}document-meta" and root.get(f"{{{office}}}version") == "1.3"
    assert [child.tag for child in root] == [f"{{{office}}}meta"] and len(root[0]) == 0


def test_mimetype_comes_first_and_stored_even_when_it_was_not() -> None:
    with zipfile.ZipFile(io.BytesIO(strip_bytes(odt(mimetype_first=False)))) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_cleaning_a_cleaned_file_changes_nothing() -> None:
    cleaned = strip_bytes(odt())
    assert strip_bytes(cleaned) == cleaned

"""Office Open XML metadata stripping (DOCX, XLSX, PPTX): property parts emptied, comment, revision and
co-author names blanked; the package keeps its parts, so Office still opens it."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from ckanext.openoverheid.woo.strip import Kind, sniff, strip_bytes

AUTHOR = "Jan Ambtenaar"
LAST = "Petra Beleidsmedewerker"
COMPANY = "Gemeente Voorbeeld Afdeling Juridische Zaken"
CUSTOM = "Zaak-2026-0042-Karel"
COMMENTER = "Karel Jurist"
EDITOR = "Anna Redacteur"
ACCOUNT = "anna@voorbeeld.nl"
PERSON_NAMES = (AUTHOR, LAST, COMPANY, CUSTOM, COMMENTER, EDITOR, ACCOUNT)

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types '
                 'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
CORE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>{AUTHOR}</dc:creator>
<cp:lastModifiedBy>{LAST}</cp:lastModifiedBy><cp:revision>7</cp:revision>
<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-01T10:00:00Z</dcterms:created></cp:coreProperties>"""
APP = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Company>{COMPANY}</Company>
<Manager>{LAST}</Manager><TotalTime>42</TotalTime></Properties>"""
CUSTOM_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Zaak">
<vt:lpwstr>{CUSTOM}</vt:lpwstr></property>
</Properties>"""
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body><w:p><w:ins w:id="1" w:author="{EDITOR}" w:date="2026-11-01T10:00:00Z">
<w:r><w:t>Besluit</w:t></w:r></w:ins></w:p></w:body></w:document>"""
COMMENTS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments {W}><w:comment w:id="0" w:author="{COMMENTER}" w:initials="KJ"><w:p><w:r><w:t>Zwartlakken?</w:t>
</w:r></w:p></w:comment></w:comments>"""
PEOPLE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="{EDITOR}">
<w15:presenceInfo w15:providerId="AD" w15:userId="{ACCOUNT}"/></w15:person></w15:people>"""
XL_COMMENTS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>{COMMENTER}</author>
</authors><commentList><comment ref="A1" authorId="0"><text><t>Zwartlakken?</t></text></comment></commentList>
</comments>"""
XL_PERSONS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">
<person displayName="{EDITOR}" id="{{1}}" userId="{ACCOUNT}" providerId="AD"/></personList>"""
XL_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"><mc:AlternateContent><mc:Choice
 Requires="x15"><x15ac:absPath url="C:\\Users\\{AUTHOR}\\Documents\\"/></mc:Choice></mc:AlternateContent>
<sheets/></workbook>"""
PPT_AUTHORS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cmAuthor id="1"
 name="{COMMENTER}" initials="KJ" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>"""
PPT_MODERN_AUTHORS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p188:authorLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main"><p188:author id="{{1}}"
 name="{EDITOR}" initials="AR" userId="{ACCOUNT}" providerId="AD"/></p188:authorLst>"""

PROPERTIES = {"[Content_Types].xml": CONTENT_TYPES, "docProps/core.xml": CORE, "docProps/app.xml": APP,
              "docProps/custom.xml": CUSTOM_XML}
DOCX = {**PROPERTIES, "word/document.xml": DOCUMENT, "word/comments.xml": COMMENTS, "word/people.xml": PEOPLE}
XLSX = {**PROPERTIES, "xl/workbook.xml": XL_WORKBOOK, "xl/comments1.xml": XL_COMMENTS,
        "xl/persons/person.xml": XL_PERSONS}
PPTX = {**PROPERTIES, "ppt/commentAuthors.xml": PPT_AUTHORS, "ppt/authors.xml": PPT_MODERN_AUTHORS}


def package(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.comment = f"saved by {AUTHOR}".encode()
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("parts", [DOCX, XLSX, PPTX], ids=["docx", "xlsx", "pptx"])
def test_no_name_is_left_and_every_part_still_parses(parts: dict[str, str]) -> None:
    original = package(parts)
    assert sniff(io.BytesIO(original)) is Kind.OOXML
    cleaned = strip_bytes(original)
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        assert archive.namelist() == list(parts) and archive.comment == b""
        texts = {name: archive.read(name) for name in archive.namelist()}
    for name, data in texts.items():
        etree.fromstring(data)
        assert not any(person.encode() in data for person in PERSON_NAMES), name


def test_the_document_text_and_comments_stay() -> None:
    with zipfile.ZipFile(io.BytesIO(strip_bytes(package(DOCX)))) as archive:
        assert b"Besluit" in archive.read("word/document.xml")
        assert b"Zwartlakken?" in archive.read("word/comments.xml")
        assert b"presenceInfo" not in archive.read("word/people.xml")
        core = etree.fromstring(archive.read("docProps/core.xml"))
    assert etree.QName(core).localname == "coreProperties" and len(core) == 0


@pytest.mark.parametrize("parts", [DOCX, XLSX, PPTX], ids=["docx", "xlsx", "pptx"])
def test_cleaning_a_cleaned_file_changes_nothing(parts: dict[str, str]) -> None:
    cleaned = strip_bytes(package(parts))
    assert strip_bytes(cleaned) == cleaned

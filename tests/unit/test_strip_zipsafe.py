"""The zip copy under the ODF and OOXML cleaners refuses what would hurt the server or leak: zip bombs,
encrypted or damaged containers, XML entities pointing at local files."""

from __future__ import annotations

import io
import zipfile

import pytest

from ckanext.openoverheid.woo.strip import StripError, odf, strip_bytes, zipsafe


def container(parts: dict[str, bytes], marker: str = "[Content_Types].xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(marker, b"<Types/>")
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_unpacking() -> None:
    bomb = container({"word/media/image1.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(StripError, match="unpacks to far more"):
        strip_bytes(bomb)


def test_too_many_entries_or_too_much_data_is_refused() -> None:
    many = container({f"word/media/{n}.txt": b"x" for n in range(20)})
    with pytest.raises(StripError, match="unpacks to far more"):
        zipsafe.copy(io.BytesIO(many), io.BytesIO(), {}, limits=zipsafe.Limits(max_entries=10))
    with pytest.raises(StripError, match="unpacks to far more"):
        zipsafe.copy(io.BytesIO(many), io.BytesIO(), {}, limits=zipsafe.Limits(max_total_bytes=5))


def test_a_damaged_container_is_refused() -> None:
    data = bytearray(container({"word/document.xml": b"<w:document>" + b"Besluit " * 2000 + b"</w:document>"}))
    middle = len(data) // 2
    data[middle:middle + 40] = b"\xff" * 40
    with pytest.raises(StripError):
        strip_bytes(bytes(data))
    with pytest.raises(StripError, match="zip archive but cannot be read"):
        strip_bytes(b"PK\x03\x04 not really a zip")


def test_duplicate_entry_names_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("docProps/core.xml", b"<a/>")
        archive.writestr("docProps/core.xml", b"<b/>")
    with pytest.raises(StripError):
        strip_bytes(out.getvalue())


def test_xml_entities_are_not_resolved(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("wachtwoord-van-de-server")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file://{secret}">]>'
           '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
           '<office:annotation>&e;</office:annotation></office:document-content>').encode()
    with pytest.raises(StripError):
        odf.anonymous_content("content.xml", xxe)
    tree = zipsafe.parse(b'<a xmlns:office="x">&amp;</a>')
    assert tree.getroot().text == "&"


def test_an_external_doctype_of_openoffice_1_is_read_without_loading_it() -> None:
    part = (b'<!DOCTYPE office:document-meta PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "office.dtd">'
            b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
            b'<office:meta><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">Jan</dc:creator></office:meta>'
            b'</office:document-meta>')
    assert b"Jan" not in odf.empty_meta("meta.xml", part)


def test_other_zips_pass_unchanged() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("wegen.shp", b"shape")
    assert strip_bytes(out.getvalue()) == out.getvalue()

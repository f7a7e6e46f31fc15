"""harvesters.xmlsafe: hostile and odd XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvesters.errors import ParseError
from harvesters.xmlsafe import find_local, findall_local, local_name, parse_xml, text_local, texts_local

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vergunningen"


def test_billion_laughs_is_refused_before_expansion():
    with pytest.raises(ParseError, match="declares entities"):
        parse_xml((FIXTURES / "billion_laughs.xml").read_bytes(), source_url="https://example.org/sru")


def test_xxe_is_refused():
    with pytest.raises(ParseError, match="XXE") as caught:
        parse_xml((FIXTURES / "xxe.xml").read_bytes(), source_url="https://example.org/sru")
    assert caught.value.source_url == "https://example.org/sru"
    assert "root:" not in str(caught.value)


def test_entity_declarations_in_utf16_are_refused_too():
    """The byte scan cannot see UTF-16; the check on the parsed DTD must."""
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e "boo">]><a>&e;</a>'
    with pytest.raises(ParseError, match="declares entities"):
        parse_xml(text.encode("utf-16"))


def test_external_dtd_is_refused_without_loading_it():
    with pytest.raises(ParseError, match="external DTD") as caught:
        parse_xml(b'<!DOCTYPE a SYSTEM "file:///etc/passwd"><a>plain &xxe;</a>')
    assert "root:" not in str(caught.value)
    with pytest.raises(ParseError, match="external DTD"):
        parse_xml(b'<!DOCTYPE a PUBLIC "-//X//DTD a//EN" "http://example.org/a.dtd"><a>plain</a>')


def test_html_page_is_recognised():
    with pytest.raises(ParseError, match="answered an HTML page, not XML"):
        parse_xml((FIXTURES / "html_error.html").read_bytes())
    with pytest.raises(ParseError, match="answered an HTML page, not XML"):
        parse_xml(b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')
    with pytest.raises(ParseError, match="answered an HTML page, not XML"):
        parse_xml(b"\xef\xbb\xbf\n<!-- storing --><HTML><body>weg</body></HTML>")


@pytest.mark.parametrize("data", [b"", b"  \n", b"<a><b></a>", b"not xml at all", b'{"json": true}'])
def test_malformed_or_empty_is_a_parse_error(data):
    with pytest.raises(ParseError):
        parse_xml(data)


def test_character_entities_are_decoded():
    root = parse_xml(b"<t>caf&#233; &amp; &#x2014; &lt;b&gt;</t>")
    assert root.text == "café & \u2014 <b>"


def test_local_name_helpers_ignore_prefix_and_namespace():
    root = parse_xml(
        b'<r xmlns="urn:one" xmlns:x="urn:two"><x:meta><title>  A \n  title </title><x:title>B</x:title>'
        b'<empty/><!-- c --></x:meta><title>C</title><bare xmlns=""><title>D</title></bare></r>'
    )
    assert local_name(root) == "r"
    assert [local_name(el) for el in findall_local(root, "title")] == ["title", "title", "title", "title"]
    assert len(findall_local(root, "title", deep=False)) == 1
    assert text_local(root, "title") == "A title"
    assert text_local(root, "title", deep=False) == "C"
    assert texts_local(root, "title") == ["A title", "B", "C", "D"]
    assert text_local(root, "empty") is None
    assert text_local(root, "absent") is None
    assert find_local(root, "absent") is None

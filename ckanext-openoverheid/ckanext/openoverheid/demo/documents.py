"""Small PDFs for the demo publications, made with pikepdf: one page of text, and in the metadata the
author a word processor would leave there (``/Author`` and XMP ``dc:creator``), which the upload removes."""

from __future__ import annotations

import io

import pikepdf

PAGE = (595, 842)  # A4 in points
LEFT, TOP, LEADING = 56, 780, 18


def pdf(title: str, lines: list[str], author: str) -> bytes:
    """A one-page A4 PDF showing ``title`` and ``lines``, written "by" ``author``."""
    document = pikepdf.new()
    font = document.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        Encoding=pikepdf.Name.WinAnsiEncoding))
    operations = [_op("BT"), _op("Tf", pikepdf.Name.F1, 16), _op("Td", LEFT, TOP), _op("Tj", _text(title)),
                  _op("Tf", pikepdf.Name.F1, 11)]
    for line in lines:
        operations += [_op("Td", 0, -LEADING), _op("Tj", _text(line))]
    operations.append(_op("ET"))
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, *PAGE],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=document.make_stream(pikepdf.unparse_content_stream(operations)))
    document.pages.append(pikepdf.Page(page))
    document.docinfo["/Title"] = title
    document.docinfo["/Author"] = author
    with document.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [author]
        meta["dc:title"] = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _op(operator: str, *operands: pikepdf.Object | int) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction(list(operands), pikepdf.Operator(operator))


def _text(value: str) -> pikepdf.String:
    # Helvetica with WinAnsiEncoding shows cp1252 bytes: é, ë and € come out right.
    return pikepdf.String(value.encode("cp1252", errors="replace"))

"""PDF metadata stripping: who made the document leaves it, the document stays a readable PDF, and what
cannot be cleaned is refused rather than stored as it came."""

from __future__ import annotations

import io

import pikepdf
import pytest

from ckanext.openoverheid.woo.strip import Kind, StripError, sniff, strip, strip_bytes

AUTHOR = "Jan Ambtenaar"
XMP_CREATOR = "Petra Beleidsmedewerker"
COMMENTER = "Karel Jurist"


def pdf_with_author(*, annotation: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Author"] = AUTHOR
    pdf.docinfo["/Title"] = "Besluit op Woo-verzoek"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [XMP_CREATOR]
    page = pdf.pages[0]
    page.obj["/PieceInfo"] = pikepdf.Dictionary(Illustrator=pikepdf.Dictionary(Private=pikepdf.String(AUTHOR)))
    if annotation:
        note = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[10, 10, 30, 30],
                                  Contents=pikepdf.String("Zwartlakken?"), T=pikepdf.String(COMMENTER))
        page.obj["/Annots"] = pikepdf.Array([pdf.make_indirect(note)])
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def incremental_revision(original: bytes) -> bytes:
    """``original`` with a second revision appended, as an editor saves "incrementally": a new /Info
    without /Author, while the first /Info (with it) stays in the bytes before it."""
    with pikepdf.open(io.BytesIO(original)) as pdf:
        root, size = pdf.Root.objgen[0], len(pdf.objects) + 1
    prev = int(original.rsplit(b"startxref", 1)[1].split()[0])
    info = f"{size} 0 obj\n<< /Title (Tweede versie) >>\nendobj\n".encode()
    body = original + b"\n"
    xref = len(body) + len(info)
    tail = (f"xref\n0 1\n0000000000 65535 f \n{size} 1\n{len(body):010d} 00000 n \n"
            f"trailer\n<< /Size {size + 1} /Root {root} 0 R /Info {size} 0 R /Prev {prev} >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return body + info + tail


def test_author_xmp_and_private_data_are_gone_and_the_pdf_still_opens() -> None:
    original = pdf_with_author()
    assert AUTHOR.encode() in original and XMP_CREATOR.encode() in original
    cleaned = strip_bytes(original)
    for name in (AUTHOR, XMP_CREATOR, "pikepdf"):
        assert name.encode() not in cleaned
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert len(pdf.pages) == 1
        assert "/Metadata" not in pdf.Root and "/Info" not in pdf.trailer
        assert "/PieceInfo" not in pdf.pages[0].obj


def test_an_older_incremental_revision_is_not_carried_over() -> None:
    revised = incremental_revision(pdf_with_author())
    with pikepdf.open(io.BytesIO(revised)) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Tweede versie" and "/Author" not in pdf.docinfo
    assert AUTHOR.encode() in revised
    cleaned = strip_bytes(revised)
    assert AUTHOR.encode() not in cleaned
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert len(pdf.pages) == 1


def test_comment_authors_are_removed_and_the_comment_kept() -> None:
    cleaned = strip_bytes(pdf_with_author(annotation=True))
    assert COMMENTER.encode() not in cleaned
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        (note,) = pdf.pages[0].obj.Annots
        assert str(note.Contents) == "Zwartlakken?" and "/T" not in note


def test_a_form_field_keeps_its_name() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    widget = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget,
                                                  Rect=[0, 0, 10, 10], FT=pikepdf.Name.Tx, T=pikepdf.String("naam")))
    pdf.pages[0].obj["/Annots"] = pikepdf.Array([widget])
    out = io.BytesIO()
    pdf.save(out)
    with pikepdf.open(io.BytesIO(strip_bytes(out.getvalue()))) as cleaned:
        assert str(cleaned.pages[0].obj.Annots[0].T) == "naam"


def test_an_encrypted_pdf_is_refused() -> None:
    pdf = pikepdf.open(io.BytesIO(pdf_with_author()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="geheim", user="geheim"))
    with pytest.raises(StripError, match="encrypted"):
        strip_bytes(out.getvalue())


def test_a_pdf_with_only_an_owner_password_is_refused_too() -> None:
    pdf = pikepdf.open(io.BytesIO(pdf_with_author()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="geheim", user=""))
    with pytest.raises(StripError, match="encrypted"):
        strip_bytes(out.getvalue())


def test_an_unreadable_pdf_is_refused() -> None:
    with pytest.raises(StripError, match="cannot be read"):
        strip_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 10)


@pytest.mark.parametrize(("data", "kind"), [
    (b"%PDF-1.4\n", Kind.PDF), (b"junk before\n%PDF-1.4\n", Kind.PDF),
    (b"naam;adres\n", Kind.OTHER), (b"\x89PNG\r\n\x1a\n", Kind.OTHER),
])
def test_the_type_is_found_by_the_bytes(data: bytes, kind: Kind) -> None:
    assert sniff(io.BytesIO(data)) is kind


def test_other_files_pass_unchanged() -> None:
    data = b"naam;adres\nJan;Straat 1\n"
    assert strip_bytes(data) == data


def test_cleaning_a_cleaned_file_changes_nothing() -> None:
    cleaned = strip_bytes(pdf_with_author(annotation=True))
    assert strip_bytes(cleaned) == cleaned


def test_a_path_is_accepted_as_well(tmp_path) -> None:
    path = tmp_path / "besluit.pdf"
    path.write_bytes(pdf_with_author())
    with strip(path) as cleaned:
        assert AUTHOR.encode() not in cleaned.read()

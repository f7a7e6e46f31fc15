"""PDF: the document information dictionary, XMP metadata, and who wrote each comment.

pikepdf (qpdf) rewrites the whole file, so earlier incremental revisions, which keep an old ``/Info``
with its ``/Author`` in the bytes, are not carried over. ``fix_metadata_version=False`` stops pikepdf
from writing a fresh XMP packet on save.
"""

from __future__ import annotations

from typing import IO, BinaryIO, cast

import pikepdf

from ckanext.openoverheid.woo.strip import N_, StripError

# Saving: no fresh XMP packet (fix_metadata_version), no encryption, and a file /ID derived from the content
# (deterministic_id), so cleaning a cleaned file gives the same bytes (``strip-existing`` can tell).

# Keys dropped from every dictionary and stream: XMP packets of pages, images and forms (the catalogue's
# own /Metadata included), and application private data (Illustrator, Photoshop keep authors there).
DROPPED_KEYS = ("/Metadata", "/PieceInfo")
# Annotation keys naming a person: /T is the comment's author (the "title" shown in readers).
ANNOTATION_PERSON_KEYS = ("/T",)
ENCRYPTED = N_("The PDF is encrypted. Remove its password and upload it again.")
UNREADABLE = N_("The PDF cannot be read. Repair it or save it again as PDF and upload it again.")


def strip(source: IO[bytes], target: IO[bytes]) -> None:
    """Write the PDF in ``source`` to ``target`` without its metadata; :class:`StripError` if it cannot."""
    source.seek(0)
    try:
        pdf = pikepdf.open(cast(BinaryIO, source))
    except pikepdf.PasswordError as error:
        raise StripError(ENCRYPTED) from error
    except (pikepdf.PdfError, ValueError, OSError) as error:
        raise StripError(UNREADABLE) from error
    with pdf:
        if pdf.is_encrypted:
            # Opens without a password but carries restrictions: saving it decrypted would drop what the
            # maker chose; refusing keeps "never store an uncleaned file" simple.
            raise StripError(ENCRYPTED)
        try:
            clean(pdf)
            pdf.save(cast(BinaryIO, target), fix_metadata_version=False, encryption=False, deterministic_id=True)
        except (pikepdf.PdfError, ValueError, OSError) as error:
            raise StripError(UNREADABLE) from error


def clean(pdf: pikepdf.Pdf) -> None:
    """Remove the metadata from an open ``pdf`` in place."""
    if "/Metadata" in pdf.Root:
        del pdf.Root.Metadata
    if "/Info" in pdf.trailer:
        del pdf.trailer.Info
    for obj in pdf.objects:
        _clean_object(obj)
    for page in pdf.pages:
        _clean_object(page.obj)
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            _clean_object(annotation)  # direct annotations are not in pdf.objects


def _clean_object(obj: pikepdf.Object) -> None:
    if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        return
    for key in DROPPED_KEYS:
        if key in obj:
            del obj[key]
    # An annotation (a dictionary with /Subtype and /Rect; /Type is optional). A form widget's /T is the
    # field's name, not a person, and the form needs it.
    subtype = obj.get("/Subtype")
    if subtype is not None and "/Rect" in obj and subtype != pikepdf.Name.Widget:
        for key in ANNOTATION_PERSON_KEYS:
            if key in obj:
                del obj[key]

"""Document metadata stripping: what an uploaded document says about its makers (author, last editor,
company, custom properties, XMP, comment and revision authors) is removed before the file is stored.

The type is found by the file's bytes, never by its name or declared mimetype: a PDF header, or a zip
container holding ``mimetype`` (OpenDocument) or ``[Content_Types].xml`` (Office Open XML). Anything else
is returned unchanged. A document that cannot be cleaned (encrypted, damaged, a zip bomb) raises
:class:`StripError`: the caller refuses the upload, an uncleaned document is never stored.

CKAN-free: the uploader (``woo/uploader.py``) and the tests call :func:`strip`.
"""

from __future__ import annotations

import enum
import os
import tempfile
import zipfile
from pathlib import Path
from typing import IO

# A spooled copy stays in memory up to this size, then moves to a temporary file.
SPOOL_BYTES = 16 * 1024 * 1024
PDF_HEADER_WINDOW = 1024  # PDF readers accept the %PDF- header anywhere in the first kilobyte
ZIP_MAGIC = b"PK\x03\x04"


def N_(message: str) -> str:  # noqa: N802 - the name message extraction (pybabel) looks for
    """Marks an English msgid for extraction; the caller translates it when it shows the error."""
    return message


UNREADABLE_ZIP = N_("The file looks like a zip archive but cannot be read. Repair it and upload it again.")


class StripError(Exception):
    """The document cannot be cleaned and must not be stored.

    ``str(error)`` is an English msgid for a field error; the caller translates it.
    """


class Kind(enum.Enum):
    PDF = "pdf"
    ODF = "odf"
    OOXML = "ooxml"
    OTHER = "other"


def sniff(source: IO[bytes]) -> Kind:
    """The kind of document in ``source`` (seekable), by its bytes; the position is restored to 0."""
    source.seek(0)
    head = source.read(PDF_HEADER_WINDOW)
    source.seek(0)
    if b"%PDF-" in head:
        return Kind.PDF
    if not head.startswith(ZIP_MAGIC) and not zipfile.is_zipfile(source):
        source.seek(0)
        return Kind.OTHER
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        # Starts like a zip but cannot be read: it may be a damaged document, so fail closed.
        raise StripError(UNREADABLE_ZIP) from error
    finally:
        source.seek(0)
    if "mimetype" in names:
        return Kind.ODF
    if "[Content_Types].xml" in names:
        return Kind.OOXML
    return Kind.OTHER


def strip(source: IO[bytes] | str | os.PathLike[str]) -> IO[bytes]:
    """The document in ``source`` without its metadata, as a seekable file positioned at 0.

    For a kind that holds no metadata we know of, a file object ``source`` is itself returned (rewound);
    a path is opened. The caller closes what it gets. Raises :class:`StripError` when the document
    cannot be cleaned.
    """
    if isinstance(source, (str, os.PathLike)):
        with Path(source).open("rb") as opened:
            cleaned = strip(opened)
            if cleaned is not opened:
                return cleaned
        return Path(source).open("rb")  # noqa: SIM115 - the caller closes it
    kind = sniff(source)
    if kind is Kind.OTHER:
        return source
    target: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        if kind is Kind.PDF:
            from ckanext.openoverheid.woo.strip import pdf

            pdf.strip(source, target)
        elif kind is Kind.ODF:
            from ckanext.openoverheid.woo.strip import odf

            odf.strip(source, target)
        else:
            from ckanext.openoverheid.woo.strip import ooxml

            ooxml.strip(source, target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def strip_bytes(data: bytes) -> bytes:
    """:func:`strip` for a document in memory (tests, small files)."""
    import io

    with strip(io.BytesIO(data)) as cleaned:
        return cleaned.read()

"""Copy a zip container entry by entry, rewriting only the parts that hold metadata.

Shared by the OpenDocument and Office Open XML cleaners. Entries stream through in constant memory
(only the parts a rewriter asks for are read whole, up to :attr:`Limits.max_part_bytes`); the copy drops
zip and entry comments, extra fields and timestamps (every entry dated 1980-01-01). Limits refuse zip
bombs before anything is decompressed. XML is parsed without entities, DTDs or network access.
"""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from collections.abc import Callable
from typing import IO

from lxml import etree

from ckanext.openoverheid.woo.strip import N_, StripError

EPOCH = (1980, 1, 1, 0, 0, 0)
ENCRYPTED_FLAG = 0x1
# A rewriter gets an entry's name and bytes and returns the new bytes.
Rewriter = Callable[[str, bytes], bytes]


@dataclasses.dataclass(frozen=True)
class Limits:
    """Bounds on what a container may unpack to; beyond them the document is refused as a zip bomb."""

    max_entries: int = 10_000
    max_total_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 100
    ratio_from_bytes: int = 1024 * 1024  # small entries may compress well without harm
    max_part_bytes: int = 256 * 1024 * 1024  # a part read whole to be rewritten


DEFAULT_LIMITS = Limits()
BROKEN = N_("The document cannot be read. Repair it or save it again and upload it again.")
ENCRYPTED = N_("The document is encrypted. Remove its password and upload it again.")
BOMB = N_("The document unpacks to far more data than it holds and is refused.")


def parser() -> etree.XMLParser:
    """An XML parser that never fetches, expands or loads anything from outside the part."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_blank_text=False)


def parse(data: bytes) -> etree._ElementTree:
    """A metadata part as a tree. A part declaring entities (XXE, "billion laughs"; no office program writes
    them) is refused; a bare DOCTYPE naming an external DTD (OpenOffice.org 1.x) is read, never loaded."""
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as error:
        raise StripError(BROKEN) from error
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and dtd.entities():
        raise StripError(BROKEN)
    return tree


def serialise(tree: etree._ElementTree) -> bytes:
    """A tree back to bytes, UTF-8 with a declaration, keeping ``standalone`` as it was."""
    standalone = tree.docinfo.standalone
    if standalone is None:
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=standalone)


def check(archive: zipfile.ZipFile, limits: Limits) -> list[zipfile.ZipInfo]:
    """The archive's entries, after refusing encryption, duplicate names and zip bombs."""
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise StripError(BOMB)
    names: set[str] = set()
    total = 0
    for entry in entries:
        if entry.flag_bits & ENCRYPTED_FLAG:
            raise StripError(ENCRYPTED)
        if entry.filename in names:
            raise StripError(BROKEN)  # two entries of one name: readers disagree on which counts
        names.add(entry.filename)
        total += entry.file_size
        if total > limits.max_total_bytes:
            raise StripError(BOMB)
        packed = max(entry.compress_size, 1)
        if entry.file_size > limits.ratio_from_bytes and entry.file_size > limits.max_ratio * packed:
            raise StripError(BOMB)
    return entries


def copy(source: IO[bytes], target: IO[bytes], rewrite: dict[str, Rewriter] | Callable[[str], Rewriter | None],
         *, first: str | None = None, stored: frozenset[str] = frozenset(), limits: Limits = DEFAULT_LIMITS) -> None:
    """Copy the zip in ``source`` to ``target``, passing the entries ``rewrite`` names through their rewriter.

    ``first`` (ODF's ``mimetype``) is written first, ``stored`` entries uncompressed; the rest keep their
    order and are deflated. ``rewrite`` maps a name to a rewriter, or is a function of the name.
    """
    lookup = rewrite.get if isinstance(rewrite, dict) else rewrite
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
            entries = check(archive, limits)
            if first is not None:
                entries.sort(key=lambda entry: entry.filename != first)
            for entry in entries:
                _copy_entry(archive, out, entry, lookup(entry.filename), entry.filename in stored, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        # NotImplementedError: an unsupported compression method; ValueError/OSError: damaged data, CRC errors.
        raise StripError(BROKEN) from error


def _copy_entry(archive: zipfile.ZipFile, out: zipfile.ZipFile, entry: zipfile.ZipInfo,
                rewriter: Rewriter | None, stored: bool, limits: Limits) -> None:
    info = zipfile.ZipInfo(entry.filename, date_time=EPOCH)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = (0o40755 << 16) | 0x10 if entry.is_dir() else 0o644 << 16
    if entry.is_dir():
        out.writestr(info, b"")
        return
    if rewriter is not None:
        if entry.file_size > limits.max_part_bytes:
            raise StripError(BOMB)
        with archive.open(entry) as member:
            data = member.read(limits.max_part_bytes + 1)
        out.writestr(info, rewriter(entry.filename, data))
        return
    info.file_size = entry.file_size
    zip64 = entry.file_size >= zipfile.ZIP64_LIMIT
    with archive.open(entry) as member, out.open(info, "w", force_zip64=zip64) as copied:
        shutil.copyfileobj(member, copied, 1024 * 1024)

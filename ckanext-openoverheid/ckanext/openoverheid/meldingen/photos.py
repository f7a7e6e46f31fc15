"""Photos of meldingen: checked, cleaned and stored.

A resident's phone photo carries the GPS position of where it was taken (often their home), the
device and the time in its EXIF and XMP metadata. We never keep or serve the upload itself:

* the type is read from the content (Pillow's decoders), not from the file name or the browser's
  content type; only JPEG, PNG and WebP are accepted;
* the size in bytes and in pixels is limited *before* decoding, so a small file that unpacks into
  a huge bitmap (a decompression bomb) is refused;
* the picture is turned upright by its EXIF orientation, shrunk to at most ``max_side`` pixels and
  re-encoded as a fresh JPEG without any metadata (the FixMyStreet recipe); a thumbnail is made too.

Storage uses CKAN 2.12's files API (file-keeper): the storage named ``meldingen`` when
``ckan.files.storage.meldingen.*`` is configured (any adapter, e.g. S3), otherwise a local ``ckan:fs``
storage in ``<ckan.storage_path>/meldingen``.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
DEFAULT_MAX_SIDE = 2048
THUMBNAIL_SIDE = 400
JPEG_QUALITY = 85
STORAGE_NAME = "meldingen"


def N_(message: str) -> str:
    """Mark an English msgid for extraction; it is translated where it is shown (``tk._``)."""
    return message


class PhotoError(ValueError):
    """The upload is not a photo we accept; the message (English msgid) says what to send instead."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.msgid = message
        self.params = params


@dataclass(frozen=True)
class CleanPhoto:
    """A re-encoded photo without metadata, and its thumbnail (both JPEG)."""

    data: bytes
    thumbnail: bytes
    width: int
    height: int
    original_format: str
    content_type: str = "image/jpeg"


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and palette/CMYK/16-bit modes are normalised."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # No exif=, no icc_profile=, no xmp: Pillow writes none of the source's metadata.
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def clean_photo(
    data: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    max_side: int = DEFAULT_MAX_SIDE,
) -> CleanPhoto:
    """Check ``data`` and return a clean copy; raise PhotoError saying what is wrong. The limits
    are the options ``photo_max_size`` and ``photo_max_pixels`` (``settings``)."""
    if not data:
        raise PhotoError(N_("The photo is empty. Choose a JPEG, PNG or WebP file."))
    if len(data) > max_bytes:
        raise PhotoError(
            N_("The photo is too large (%(size)s MB); the limit is %(limit)s MB. Send a smaller photo."),
            size=f"{len(data) / 1024 / 1024:.1f}",
            limit=f"{max_bytes / 1024 / 1024:.0f}",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
            original_format = str(image.format)
            width, height = image.size
            if width * height > max_pixels:
                raise PhotoError(
                    N_("The photo has too many pixels (%(pixels)s million); the limit is %(limit)s million."),
                    pixels=f"{width * height / 1e6:.0f}",
                    limit=f"{max_pixels / 1e6:.0f}",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(N_(
            "This file is not a JPEG, PNG or WebP photo. Choose a photo in one of those formats.")) from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoError(N_("The photo is damaged or incomplete and cannot be read. Try another file.")) from None
    image = _flatten(image)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return CleanPhoto(
        data=_encode(image),
        thumbnail=_encode(thumb),
        width=image.width,
        height=image.height,
        original_format=original_format,
    )


# --- storage through CKAN's files API -----------------------------------------------------------


def _storage():  # -> ckan.lib.files.Storage
    from ckan.lib import files
    from ckan.lib.uploader import get_storage_path

    try:
        return files.get_storage(STORAGE_NAME)
    except files.exc.UnknownStorageError:
        pass
    root = get_storage_path()
    if not root:
        raise RuntimeError(
            "Photos of meldingen need somewhere to live: set ckan.storage_path, or configure a storage "
            "named 'meldingen' (ckan.files.storage.meldingen.type = ...)"
        )
    storage = _local_storages.get(root)
    if storage is None:
        import os

        storage = files.make_storage(
            STORAGE_NAME, {"type": "ckan:fs", "path": os.path.join(root, "meldingen"), "initialize": True}
        )
        _local_storages[root] = storage
    return storage


_local_storages: dict[str, object] = {}


@dataclass(frozen=True)
class StoredPhoto:
    location: str
    thumbnail_location: str


def store(photo: CleanPhoto) -> StoredPhoto:
    """Put both images in the storage under new random names (never the uploader's file name)."""
    from ckan.lib import files

    storage = _storage()
    name = uuid.uuid4().hex
    prefix = f"{name[:2]}/{name}"
    full = storage.upload(files.Location(f"{prefix}.jpg"), files.make_upload(photo.data))
    thumb = storage.upload(files.Location(f"{prefix}-klein.jpg"), files.make_upload(photo.thumbnail))
    return StoredPhoto(location=str(full.location), thumbnail_location=str(thumb.location))


def read(location: str) -> bytes:
    """The stored bytes; FileNotFoundError when the storage has no such file."""
    from ckan.lib import files

    storage = _storage()
    data = files.FileData(files.Location(location))
    if not storage.exists(data):
        raise FileNotFoundError(location)
    return storage.content(data)


def remove(*locations: str | None) -> None:
    """Delete stored files (a melding that failed to save, or a photo staff removed)."""
    from ckan.lib import files

    storage = _storage()
    for location in locations:
        if location:
            data = files.FileData(files.Location(location))
            if storage.exists(data):
                storage.remove(data)

"""Resource uploads are cleaned of document metadata before CKAN stores them (``woo/strip``).

Every resource upload, of a publication or of any other dataset: a dataset's attached report leaks its
author as much as a Woo document does, and CKAN hands the uploader the resource alone, without its
dataset's type. The cleaned file replaces the upload's stream before CKAN's own uploader reads it, so
CKAN's size, mimetype and storage code (the legacy ``ckan.storage_path`` one or a file-keeper storage)
see only the cleaned file, and that is what is stored and served. A document that cannot be cleaned is
refused with a field error on ``url``; nothing is stored.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import files, uploader
from werkzeug.datastructures import FileStorage

from ckanext.openoverheid.woo import strip

log = logging.getLogger(__name__)


def clean_upload(resource: dict[str, Any]) -> None:
    """Replace the uploaded file in ``resource["upload"]`` by its cleaned copy, in place.

    Raises ``ValidationError({"url": [...]})`` in the user's language when it cannot be cleaned.
    """
    upload = resource.get("upload")
    if not isinstance(upload, FileStorage) or not upload.filename:
        return
    try:
        cleaned = strip.strip(upload.stream)
    except strip.StripError as error:
        log.info("Upload %r refused: %s", upload.filename, error)
        raise tk.ValidationError({"url": [tk._(str(error))]}) from error
    if cleaned is upload.stream:
        return
    upload.stream.close()
    # A new FileStorage, so that no Content-Length of the original part describes the cleaned file.
    resource["upload"] = FileStorage(stream=cleaned, filename=upload.filename, name=upload.name,
                                     content_type=upload.content_type)


class StrippingResourceUpload(uploader.ResourceUpload):
    """CKAN's uploader to ``ckan.storage_path``, storing the cleaned file."""

    def __init__(self, resource: dict[str, Any]) -> None:
        clean_upload(resource)
        super().__init__(resource)


class StrippingFKResourceUpload(uploader.FKResourceUpload):
    """CKAN's uploader to a configured file-keeper storage, storing the cleaned file."""

    def __init__(self, resource: dict[str, Any]) -> None:
        clean_upload(resource)
        super().__init__(resource)


def resource_uploader(resource: dict[str, Any]) -> uploader.ResourceUpload | uploader.FKResourceUpload:
    """The uploader CKAN would choose (see ``ckan.lib.uploader.get_resource_uploader``), cleaning first."""
    try:
        files.get_storage(tk.config["ckan.files.default_storages.resource"])
    except files.exc.UnknownStorageError:
        return StrippingResourceUpload(resource)
    return StrippingFKResourceUpload(resource)

"""Uploads stored before metadata stripping existed, cleaned in place (``ckan openoverheid woo
strip-existing``). Safe to repeat: a cleaned file cleaned again is the same bytes, so it is left alone.

Only CKAN's own file storage (``ckan.storage_path``) is handled; a file-keeper storage is refused with a
message. A stored document that cannot be cleaned (encrypted, damaged) is listed and left as it is: it
was public before, and removing it is a decision for its publisher.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from typing import IO

from ckan import model
from ckan.lib import search, uploader

from ckanext.openoverheid.woo import strip
from ckanext.openoverheid.woo.strip import N_

Progress = Callable[[str], None]
CHUNK = 1024 * 1024


class StoredError(RuntimeError):
    """The stored files cannot be reached this way; the message says why."""


@dataclasses.dataclass
class Summary:
    checked: int = 0
    cleaned: int = 0
    missing: int = 0
    refused: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (resource id, English msgid)


def strip_existing(progress: Progress = lambda line: None, *, dry_run: bool = False) -> Summary:
    """Clean every active uploaded resource file in place and correct its ``size``; ``dry_run`` only counts."""
    resource_uploader = uploader.get_resource_uploader({})
    if not isinstance(resource_uploader, uploader.ResourceUpload) or not resource_uploader.storage_path:
        raise StoredError(N_("Only uploads in ckan.storage_path can be cleaned by this command."))
    rows = (model.Session.query(model.Resource.id, model.Resource.package_id)
            .filter(model.Resource.url_type == "upload", model.Resource.state == "active")
            .order_by(model.Resource.id).all())
    summary = Summary()
    for resource_id, package_id in rows:
        summary.checked += 1
        path = resource_uploader.get_path(resource_id)
        if not os.path.isfile(path):
            summary.missing += 1
            continue
        try:
            size = _clean_file(path, dry_run=dry_run)
        except strip.StripError as error:
            summary.refused.append((resource_id, str(error)))
            continue
        if size is None:
            continue
        summary.cleaned += 1
        progress(f"{resource_id}: {size} bytes")
        if not dry_run:
            resource = model.Session.get(model.Resource, resource_id)
            if resource is not None:
                resource.size = size
                model.repo.commit()
            search.rebuild(package_id)
    return summary


def _clean_file(path: str, *, dry_run: bool) -> int | None:
    """The new size when the file at ``path`` needed cleaning (and was cleaned unless ``dry_run``), else None."""
    with open(path, "rb") as original:
        cleaned = strip.strip(original)
        if cleaned is original:
            return None
        with cleaned:
            if _same(original, cleaned):
                return None
            cleaned.seek(0, os.SEEK_END)
            size = cleaned.tell()
            if dry_run:
                return size
            cleaned.seek(0)
            partial = f"{path}~strip"
            with open(partial, "wb") as out:
                shutil.copyfileobj(cleaned, out, CHUNK)
    os.replace(partial, path)
    return size


def _same(left: IO[bytes], right: IO[bytes]) -> bool:
    left.seek(0)
    right.seek(0)
    while True:
        a, b = left.read(CHUNK), right.read(CHUNK)
        if a != b:
            return False
        if not a:
            return True

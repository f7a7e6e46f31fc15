"""Conditional GETs for feeds (and any other generated document): ETag, Last-Modified and 304.

Feed readers poll every few minutes. The validators are computed from what the feed is made of (the
ids and modification times of its items), before the XML is written, so that an unchanged feed
costs one search and a 304, not a rendering. ETags are weak: equal ETags promise the same items,
not the same bytes (the site title or a translation may change the wording).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from flask import Response, request
from werkzeug.http import is_resource_modified

__all__ = ["conditional_response", "etag_for", "not_modified"]


def etag_for(parts: Iterable[object]) -> str:
    """A short ETag value (without quotes) for everything a document is made of."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode("utf-8", "replace"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def _whole_seconds(moment: datetime.datetime | None) -> datetime.datetime | None:
    # HTTP dates have no fractions: without this, If-Modified-Since would never match
    return moment.replace(microsecond=0) if moment else None


def _headers(etag: str, last_modified: datetime.datetime | None) -> Response:
    # Cache-Control is CKAN's (ckan.cache_expires, private for logged-in users): it sets it on every response
    response = Response()
    response.set_etag(etag, weak=True)
    if last_modified is not None:
        response.last_modified = _whole_seconds(last_modified)
    return response


def not_modified(etag: str, last_modified: datetime.datetime | None) -> Response | None:
    """A 304 when the request's If-None-Match / If-Modified-Since match, else None.

    If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
    """
    if is_resource_modified(request.environ, etag=etag, last_modified=_whole_seconds(last_modified)):
        return None
    response = _headers(etag, last_modified)
    response.status_code = 304
    return response


def conditional_response(
    body: bytes,
    etag: str,
    last_modified: datetime.datetime | None,
    mimetype: str,
) -> Response:
    """``body`` with its validators, or a bodiless 304 when the client's copy is current.

    :param etag: from ``etag_for`` over the items (ids and modification times), not the bytes
    :param last_modified: the newest item's change, or None for an empty document
    """
    unchanged = not_modified(etag, last_modified)
    if unchanged is not None:
        return unchanged
    response = _headers(etag, last_modified)
    response.set_data(body)
    response.mimetype = mimetype  # werkzeug adds charset=utf-8 to text/* and */*+xml
    return response

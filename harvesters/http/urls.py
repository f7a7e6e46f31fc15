"""URLs as the harvesters show and send them: secrets redacted for messages and logs, parameters added."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["redact_url", "with_params"]

# Query parameters whose values must not end up in error messages or logs.
_SECRET_PARAM = re.compile(r"(?i)(api[-_]?key|key|token|secret|password|passwd|auth|signature|sig)$")


def redact_url(url: str) -> str:
    """The URL with secret-looking query values (``apikey=…``) and passwords replaced by ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_SECRET_PARAM.search(key) for key, _ in pairs):
            query = urlencode([(key, "***" if _SECRET_PARAM.search(key) else value) for key, value in pairs])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def with_params(url: str, params: Mapping[str, Any]) -> str:
    """``url`` with ``params`` (None values left out) appended to its query."""
    parts = urlsplit(url)
    pairs = [(key, str(value)) for key, value in params.items() if value is not None]
    query = "&".join(filter(None, [parts.query, urlencode(pairs)]))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))

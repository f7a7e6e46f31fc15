"""A finished HTTP response and what the client reads from content types and bodies."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harvesters.errors import ParseError
from harvesters.http.urls import redact_url

__all__ = ["HTML_TYPES", "Response", "charset", "html_title", "looks_like_html", "media_type"]

HTML_TYPES = ("text/html", "application/xhtml+xml")


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def charset(content_type: str) -> str | None:
    match = re.search(r";\s*charset\s*=\s*\"?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def looks_like_html(content: bytes) -> bool:
    """True when a body starts like an HTML page (an error or login page instead of data)."""
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


@dataclass(frozen=True)
class Response:
    """A finished response: final URL (after redirects), status, headers (case-insensitive), body."""

    url: str
    status: int
    headers: Mapping[str, str] = field(repr=False)
    content: bytes = field(repr=False)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def text(self) -> str:
        encoding = charset(self.content_type) or "utf-8"
        try:
            return self.content.decode(encoding, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except (ValueError, UnicodeDecodeError) as error:
            where = redact_url(self.url)
            if looks_like_html(self.content) or media_type(self.content_type) in HTML_TYPES:
                raise ParseError(
                    f"{where} answered HTML, not JSON (probably an error or maintenance page); "
                    "check the URL and try again later",
                    source_url=where,
                ) from None
            raise ParseError(
                f"{where} answered malformed JSON ({error}); the source may have changed its format",
                source_url=where,
            ) from None


def html_title(head: bytes) -> str | None:
    match = re.search(rb"<title[^>]*>(.*?)</title", head, re.IGNORECASE | re.DOTALL)
    if not match:
        return None
    title = " ".join(match.group(1).decode("utf-8", errors="replace").split())
    return title[:120] or None

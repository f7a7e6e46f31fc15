"""The errors a feed can raise, as one small tree.

Every message says what went wrong *and* what to do about it, because it ends up in a harvest job's
error list read by a civil servant, not a developer.
"""

from __future__ import annotations

import enum


class FeedError(Exception):
    """Base class: something about a source could not be used."""

    def __init__(self, message: str, *, source_url: str | None = None) -> None:
        super().__init__(message)
        self.source_url = source_url


class FetchError(FeedError):
    """The source could not be fetched: network, HTTP status, size, time-out or content type."""


class Refusal(enum.Enum):
    """Why a URL may not be fetched, for callers that word the refusal themselves (in Dutch, say)."""

    INVALID = "invalid"  # not a URL (a bad port, say)
    SCHEME = "scheme"  # not http or https
    NO_HOST = "no-host"
    PRIVATE = "private"  # loopback, private or reserved address
    METADATA = "metadata"  # a cloud metadata service


class UnsafeURLError(FetchError):
    """The URL resolves to an address the portal may not contact (loopback, private, metadata)."""

    def __init__(self, message: str, *, source_url: str | None = None, refusal: Refusal = Refusal.PRIVATE,
                 host: str | None = None, address: str | None = None) -> None:
        super().__init__(message, source_url=source_url)
        self.refusal = refusal
        self.host = host
        self.address = address


class ParseError(FeedError):
    """The source answered, but not in the format expected (malformed XML/JSON, an HTML page)."""


class SourceDiagnostic(FeedError):
    """The source answered with an error of its own (an SRU diagnostic, a provider's NOK)."""


class RecordError(FeedError):
    """One record is unusable; the rest of the answer is still good."""

    def __init__(self, message: str, *, record_id: str | None = None, source_url: str | None = None) -> None:
        super().__init__(message, source_url=source_url)
        self.record_id = record_id

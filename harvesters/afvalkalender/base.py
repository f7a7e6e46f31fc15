"""The seam every waste provider plugs into, and what the adapters share.

A provider adapter turns "postcode + huisnummer (+ toevoeging)" into :class:`Ophaalmoment` records.
Adding a provider is one module with a class that satisfies :class:`Provider` plus one line in
``providers.PROVIDERS``; nothing else changes.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from harvesters.afvalkalender.model import Adres, Ophaalmoment, deduplicate
from harvesters.afvalkalender.vocabulary import Vocabulary, default_vocabulary
from harvesters.errors import ParseError
from harvesters.http import redact_url

__all__ = [
    "AMSTERDAM",
    "BaseProvider",
    "HttpLike",
    "Provider",
    "ResponseLike",
    "amsterdam_today",
    "parse_local_date",
    "years_wanted",
]

log = logging.getLogger(__name__)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
JSON_ACCEPT = {"Accept": "application/json, text/javascript;q=0.9, */*;q=0.5"}
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


class ResponseLike(Protocol):
    """The part of :class:`harvesters.http.Response` the adapters read (read-only: Response is frozen)."""

    @property
    def url(self) -> str: ...

    @property
    def status(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def text(self) -> str: ...

    def json(self) -> Any:
        """The body as JSON; raises :class:`~harvesters.errors.ParseError` when it is not JSON."""


class HttpLike(Protocol):
    """The part of :class:`harvesters.http.HttpClient` the adapters use.

    Both methods raise :class:`~harvesters.errors.FetchError` (or ``UnsafeURLError``) when the
    source cannot be fetched; the client sets the User-Agent, pauses and limits sizes.
    """

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        accept: Sequence[str] = (),
    ) -> ResponseLike: ...

    def post_json(
        self, url: str, payload: Any, *, headers: Mapping[str, str] | None = None, accept: Sequence[str] = ()
    ) -> ResponseLike: ...


class Provider(Protocol):
    """A waste-calendar provider: one API shape, used by many municipalities.

    ``name`` is the provider's registry key (``"ximmio"``), as stored in a harvest source's config.

    ``fetch`` answers the collections at ``adres``, deduplicated and sorted by date:

    * ``jaar=None`` means the current calendar: this year's dates and, in December, next year's
      too (fetched with an extra request where the provider needs one);
    * ``jaar=2027`` means the dates of that year only.

    An address the provider does not know gives ``[]``, not an error. Failures raise the
    :mod:`harvesters.errors` classes: ``FetchError`` (unreachable, HTTP error), ``ParseError`` (an
    HTML page or a changed format) and ``SourceDiagnostic`` (the provider's own error answer).
    Labels the vocabulary does not know become ``afvaltype="overig"`` with the label kept.
    """

    name: str

    def fetch(self, adres: Adres, *, jaar: int | None = None) -> list[Ophaalmoment]: ...


def amsterdam_today() -> dt.date:
    """Today in the Netherlands: a server on UTC is still in the old year at 00:30 on 1 January."""
    return dt.datetime.now(AMSTERDAM).date()


def years_wanted(jaar: int | None, today: dt.date) -> tuple[int, ...]:
    """The calendar years ``fetch(jaar=...)`` answers: see :class:`Provider`."""
    if jaar is not None:
        if not 1900 < jaar < 2200:
            raise ValueError(f"{jaar!r} is not a calendar year")
        return (jaar,)
    if today.month == 12:
        return (today.year, today.year + 1)
    return (today.year,)


def parse_local_date(value: Any) -> dt.date | None:
    """The date of ``"2026-08-14"`` or ``"2026-08-14T00:00:00"``, read as the local date it says.

    Providers write local dates, sometimes with a midnight time and even a ``Z``; converting those
    through UTC would move every collection a day. None when ``value`` holds no date.
    """
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def looks_like_html(content: bytes) -> bool:
    """True for an HTML page, also one that starts with an XML declaration or a comment: what hosts
    answer with status 200 when the API is down or the URL is wrong."""
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        head.startswith(b"<") and b"<html" in head
    )


class BaseProvider:
    """Shared plumbing for the adapters: the clock, the vocabulary, JSON reading and the year filter."""

    name = "base"
    #: What this provider is called in messages for portal users.
    title = "the waste provider"
    #: Config keys the adapter's constructor requires and accepts (checked by ``make_provider``).
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    def __init__(
        self,
        endpoint: str,
        http: HttpLike,
        *,
        vocabulary: Vocabulary | None = None,
        today: Callable[[], dt.date] = amsterdam_today,
    ) -> None:
        if not endpoint or not endpoint.strip():
            raise ValueError(f"{self.name}: the endpoint URL is empty; set the provider's API address")
        self.endpoint = endpoint.strip().rstrip("/")
        self.http = http
        self.vocabulary = vocabulary or default_vocabulary()
        self._today = today

    def __repr__(self) -> str:
        return f"{type(self).__name__}({redact_url(self.endpoint)!r})"

    def fetch(self, adres: Adres, *, jaar: int | None = None) -> list[Ophaalmoment]:
        raise NotImplementedError

    def years(self, jaar: int | None) -> tuple[int, ...]:
        return years_wanted(jaar, self._today())

    def record(self, adres: Adres, datum: dt.date, *labels: Any, provider_label: str | None = None) -> Ophaalmoment:
        """A record for ``datum``: the first of ``labels`` the vocabulary knows decides the type;
        ``provider_label`` (default: the first non-empty label) is kept as the provider's name for it."""
        texts = [str(label).strip() for label in labels if isinstance(label, str | int) and str(label).strip()]
        afvaltype = self.vocabulary.code_for(*texts)
        kept = (provider_label or "").strip() or (texts[0] if texts else "")
        return Ophaalmoment.at(adres, afvaltype, datum, kept)

    def finish(self, records: Iterable[Ophaalmoment], years: Sequence[int]) -> list[Ophaalmoment]:
        """``records`` of the wanted ``years``, deduplicated and sorted."""
        return deduplicate(r for r in records if r.datum.year in years)

    def read_json(self, response: ResponseLike) -> Any:
        """The JSON of ``response``; None for an empty body (some providers' "no such address").

        An HTML page (maintenance, login or error page served with status 200) is a ParseError that
        says so, whatever Content-Type it came with.
        """
        where = redact_url(response.url)
        if not response.content.strip():
            return None
        if looks_like_html(response.content):
            raise ParseError(
                f"{self.title} ({where}) answered with an HTML page instead of data, probably an error or "
                "maintenance page; check the endpoint in the harvest source and try again later",
                source_url=where,
            )
        return response.json()

    def unexpected(self, response: ResponseLike, what: str) -> ParseError:
        where = redact_url(response.url)
        return ParseError(
            f"{self.title} ({where}) answered {what}; the provider may have changed its format, "
            "check the endpoint and report it to the portal's developers",
            source_url=where,
        )

    def skipped(self, response: ResponseLike, count: int, total: int) -> None:
        """Log items that could not be read; a ParseError when none of ``total`` could."""
        if not count:
            return
        if count == total:
            raise self.unexpected(response, f"{total} collection(s) without a readable date")
        log.warning(
            "%s: skipped %d of %d collections without a readable date from %s",
            self.name,
            count,
            total,
            redact_url(response.url),
        )

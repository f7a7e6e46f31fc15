"""The HTTP client itself: polite (pauses, Retry-After, at most five redirects, each one checked) and
bounded (``max_bytes`` decoded bytes, ``total_timeout`` for the whole body). The guards it applies live
beside it: ``addresses.py`` (before each request), ``connect_guard.py`` (on connect), ``response.py``."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.structures import CaseInsensitiveDict

from harvesters.errors import FetchError
from harvesters.http.addresses import AddressPolicy, Resolver, check_url, default_resolver
from harvesters.http.connect_guard import GuardedAdapter
from harvesters.http.response import HTML_TYPES, Response, html_title, media_type
from harvesters.http.urls import redact_url, with_params

__all__ = ["DEFAULT_USER_AGENT", "HttpClient"]

DEFAULT_USER_AGENT = "ckanext-openoverheid/0.1 (+https://github.com/openoverheid)"
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 120.0
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 503})
CHUNK_SIZE = 64 * 1024
PROBE_BYTES = 1024  # what a link check reads of a body

T = TypeVar("T")


def _retry_after(value: str | None, attempt: int, now: float) -> float:
    """Seconds to wait: Retry-After as seconds or an HTTP date, else exponential back-off; capped."""
    wait: float | None = None
    if value:
        value = value.strip()
        if value.isdigit():
            wait = float(value)
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                when = None
            if when is not None and when.tzinfo is not None:
                wait = when.timestamp() - now
    if wait is None:
        wait = float(2**attempt)
    return min(max(wait, 0.0), MAX_RETRY_AFTER)


@dataclass
class _Attempt:
    """What the next request of one call sends; redirects change it (see ``_follow``)."""

    method: str
    url: str
    body: bytes | None
    headers: dict[str, str]


class HttpClient:
    """GET and POST for harvesters, with the guards described in ``harvesters/http/__init__.py``.

    ``timeout`` bounds connecting and each wait for data; ``total_timeout`` (default four times
    ``timeout``) bounds the whole body, so a source that trickles a byte a second is also cut off.
    ``sleep`` and ``resolver`` exist for tests.
    """

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        max_bytes: int = 20_000_000,
        pause: float = 0.0,
        user_agent: str = DEFAULT_USER_AGENT,
        allowed_private_hosts: Iterable[str] = (),
        max_retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        resolver: Resolver | None = None,
        total_timeout: float | None = None,
    ) -> None:
        self.timeout = timeout
        self.total_timeout = total_timeout if total_timeout is not None else timeout * 4
        self.max_bytes = max_bytes
        self.pause = pause
        self.user_agent = user_agent
        self.max_retries = max_retries
        self._sleep = sleep
        self._resolver = resolver or default_resolver
        self._policy = AddressPolicy.from_entries(allowed_private_hosts)
        self._requests_sent = 0
        self._session = requests.Session()
        self._session.trust_env = False  # no proxies or .netrc from the environment
        adapter = GuardedAdapter(self._policy)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        accept: Sequence[str] = (),
    ) -> Response:
        """GET ``url`` with ``params`` added to its query.

        ``accept`` lists the content types (prefixes) the caller can read; it is sent as Accept and
        any other Content-Type is a FetchError. An answer without Content-Type is let through.
        """
        if params:
            url = with_params(url, params)
        return self._request("GET", url, None, headers, accept)

    def post_json(
        self, url: str, payload: Any, *, headers: Mapping[str, str] | None = None, accept: Sequence[str] = ()
    ) -> Response:
        """POST ``payload`` as JSON (the Ximmio-style APIs)."""
        body = json.dumps(payload).encode("utf-8")
        return self._request("POST", url, body, {"Content-Type": "application/json", **(headers or {})}, accept)

    def probe(self, url: str, method: str = "HEAD") -> int:
        """The HTTP status ``url`` finally answers to ``method`` ("HEAD" or "GET"), after redirects and
        "wait" answers, reading at most ``PROBE_BYTES`` of a body: for link checks, which need to know
        that a link answers, not what it holds. An error status is returned, not raised; no answer at
        all is a FetchError."""

        def status(raw: requests.Response, final_url: str) -> int:
            if method == "GET":
                self._peek(raw, PROBE_BYTES)
            return raw.status_code

        return self._exchange(_Attempt(method, url, None, self._headers(None, ())), status)

    # --- internals --------------------------------------------------------------------------------

    def _request(
        self, method: str, url: str, body: bytes | None, headers: Mapping[str, str] | None, accept: Sequence[str]
    ) -> Response:
        def read(raw: requests.Response, final_url: str) -> Response:
            _refuse_error_status(raw, final_url)
            return self._response(raw, final_url, accept)

        return self._exchange(_Attempt(method, url, body, self._headers(headers, accept)), read)

    def _exchange(self, attempt: _Attempt, finish: Callable[[requests.Response, str], T]) -> T:
        """Send until an answer that is not a redirect or a "wait" (429/503) arrives, then ``finish`` it."""
        retries = redirects = 0
        wait = 0.0
        while True:
            raw = self._send_politely(attempt, wait)
            wait = 0.0
            try:
                status = raw.status_code
                if status in REDIRECT_STATUSES and raw.headers.get("Location"):
                    redirects += 1
                    _follow(attempt, status, raw.headers["Location"], redirects)
                    continue
                if status in RETRY_STATUSES:
                    wait = self._retry_wait(attempt.url, raw, retries)
                    retries += 1
                    continue
                return finish(raw, attempt.url)
            finally:
                raw.close()

    def _headers(self, headers: Mapping[str, str] | None, accept: Sequence[str]) -> dict[str, str]:
        request_headers = {"User-Agent": self.user_agent}
        if accept:
            request_headers["Accept"] = ", ".join(accept)
        request_headers.update(headers or {})
        return request_headers

    def _send_politely(self, attempt: _Attempt, wait: float) -> requests.Response:
        """Check the address, pause (at least ``pause`` between requests, longer if asked), send."""
        check_url(attempt.url, self._policy, self._resolver)
        if self._requests_sent:
            wait = max(wait, self.pause)
        if wait > 0:
            self._sleep(wait)
        self._requests_sent += 1
        return self._send(attempt.method, attempt.url, attempt.body, attempt.headers)

    def _retry_wait(self, url: str, raw: requests.Response, retries: int) -> float:
        """Seconds to wait before asking again; FetchError once the retries are used up."""
        if retries >= self.max_retries:
            raise FetchError(
                f"{redact_url(url)} still answered HTTP {raw.status_code} ({raw.reason}) after {retries} "
                "retries: the source is limiting or unavailable; raise the pause between requests "
                "or try again later",
                source_url=redact_url(url),
            )
        return _retry_after(raw.headers.get("Retry-After"), retries, time.time())

    def _response(self, raw: requests.Response, url: str, accept: Sequence[str]) -> Response:
        self._check_content_type(raw, url, accept)
        content = self._read_body(raw, url)
        return Response(url=url, status=raw.status_code, headers=MappingProxyType(CaseInsensitiveDict(raw.headers)),
                        content=content)

    def _send(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]) -> requests.Response:
        where = redact_url(url)
        try:
            return self._session.request(
                method,
                url,
                data=body,
                headers=dict(headers),
                timeout=(self.timeout, self.timeout),
                allow_redirects=False,
                stream=True,
            )
        except requests.exceptions.ConnectTimeout:
            raise FetchError(
                f"Could not connect to {where} within {self.timeout:g} s; check the URL or try again later",
                source_url=where,
            ) from None
        except requests.exceptions.ReadTimeout:
            raise FetchError(
                f"{where} did not answer within {self.timeout:g} s; try again later", source_url=where
            ) from None
        except requests.exceptions.SSLError as error:
            raise FetchError(
                f"The secure connection to {where} failed ({_short(error)}); the source's certificate may be "
                "invalid or expired",
                source_url=where,
            ) from None
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
            raise FetchError(
                f"Could not fetch {where} ({_short(error)}); check the URL or try again later", source_url=where
            ) from None

    def _check_content_type(self, raw: requests.Response, url: str, accept: Sequence[str]) -> None:
        if not accept:
            return
        content_type = raw.headers.get("Content-Type", "")
        media = media_type(content_type)
        if not media or any(media.startswith(media_type(allowed)) for allowed in accept):
            return
        where = redact_url(url)
        what = media
        if media in HTML_TYPES:
            title = html_title(self._peek(raw))
            what = f"an HTML page{f' titled {title!r}' if title else ''} (probably an error or login page)"
        raise FetchError(
            f"{where} answered {what} instead of {' or '.join(accept)}; check the URL and try again later",
            source_url=where,
        )

    def _peek(self, raw: requests.Response, limit: int = 4096) -> bytes:
        try:
            return raw.raw.read1(limit, decode_content=True) or b""
        except (urllib3.exceptions.HTTPError, OSError):
            return b""

    def _read_body(self, raw: requests.Response, url: str) -> bytes:
        where = redact_url(url)
        declared = raw.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                f"{where} announced {int(declared):,} bytes, more than the limit of {self.max_bytes:,}; "
                "ask for smaller pages or raise the limit",
                source_url=where,
            )
        deadline = time.monotonic() + self.total_timeout
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in _chunks(raw):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(
                        f"{where} sent more than {self.max_bytes:,} bytes (after decompression); "
                        "ask for smaller pages or raise the limit",
                        source_url=where,
                    )
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"{where} was still sending after {self.total_timeout:g} s; the source is too slow, "
                        "try again later",
                        source_url=where,
                    )
                parts.append(chunk)
        except urllib3.exceptions.ReadTimeoutError:
            raise FetchError(
                f"{where} stopped sending for {self.timeout:g} s in the middle of its answer; try again later",
                source_url=where,
            ) from None
        except urllib3.exceptions.DecodeError as error:
            raise FetchError(
                f"{where} sent a body that could not be decompressed ({_short(error)}); try again later",
                source_url=where,
            ) from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise FetchError(
                f"The connection to {where} broke off during the answer ({_short(error)}); try again later",
                source_url=where,
            ) from None
        return b"".join(parts)


def _follow(attempt: _Attempt, status: int, location: str, redirects: int) -> None:
    """Point ``attempt`` at the redirect target: GET after 303 (and after 301/302 of a POST, as browsers
    do), and no credentials or cookies for another host."""
    if redirects > MAX_REDIRECTS:
        raise FetchError(
            f"{redact_url(attempt.url)} redirected more than {MAX_REDIRECTS} times; check the URL",
            source_url=redact_url(attempt.url),
        )
    target = urljoin(attempt.url, location)
    if status == 303 or (status in (301, 302) and attempt.method == "POST"):
        attempt.method, attempt.body = "GET", None
        attempt.headers.pop("Content-Type", None)
    if urlsplit(target).netloc.lower() != urlsplit(attempt.url).netloc.lower():
        for private in ("Authorization", "Cookie"):
            attempt.headers.pop(private, None)
    attempt.url = target


def _refuse_error_status(raw: requests.Response, url: str) -> None:
    status = raw.status_code
    if status < 400:
        return
    advice = "check the URL and the source's settings" if status < 500 else (
        "the source has a problem of its own; try again later")
    raise FetchError(f"{redact_url(url)} answered HTTP {status} ({raw.reason}); {advice}", source_url=redact_url(url))


def _chunks(raw: requests.Response) -> Iterator[bytes]:
    """Decoded body chunks as they arrive: ``read1`` returns after one network read, so the
    caller's byte and time limits are checked even when the source trickles."""
    stream = raw.raw
    while True:
        chunk = stream.read1(CHUNK_SIZE, decode_content=True)
        if not chunk:
            return
        yield chunk


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."

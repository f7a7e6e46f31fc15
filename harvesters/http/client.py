"""A polite, guarded HTTP client for every harvester.

Harvest sources are URLs typed in by portal users, so fetching them is a server-side request on
their behalf. The client therefore:

* refuses loopback, private, link-local, reserved, multicast and cloud-metadata addresses (SSRF),
  checked on the resolved addresses before each request and each redirect, and again on the address
  the socket actually connected to (so DNS rebinding between check and connect does not help);
  exceptions are a host, address, range or exact ``host:port`` listed by the caller, plus what a
  block of code allows for itself with :func:`allow_temporarily` (a demo's own sample server);
* follows at most five redirects itself, checking every hop;
* streams the body and stops at ``max_bytes`` *decoded* bytes (a gzip bomb is cut off, not inflated);
* stops a response that trickles in forever (``total_timeout``), not only one that stalls;
* pauses between requests and honours ``Retry-After`` on 429/503;
* ignores proxy settings from the environment: a proxy would hide where the request really goes.

Every error is a :mod:`harvesters.errors` class whose message says what to do next.
"""

from __future__ import annotations

import contextvars
import email.utils
import ipaddress
import json
import re
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from harvesters.errors import FetchError, ParseError, Refusal, UnsafeURLError

__all__ = ["HttpClient", "Response", "allow_temporarily", "check_url_allowed", "redact_url"]

DEFAULT_USER_AGENT = "ckanext-openoverheid/0.1 (+https://github.com/openoverheid)"
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 120.0
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 503})
ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
CHUNK_SIZE = 64 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
ALLOW_HINT = "set ckanext.openoverheid.allowed_private_hosts if this host is yours"

# Cloud metadata services: only allowed when their exact address is listed, never by a range.
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),
        ipaddress.ip_address("fd00:ec2::254"),
        ipaddress.ip_address("100.100.100.200"),
    }
)

# Query parameters whose values must not end up in error messages or logs.
_SECRET_PARAM = re.compile(r"(?i)(api[-_]?key|key|token|secret|password|passwd|auth|signature|sig)$")

Resolver = Callable[[str], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


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


# --- the address policy ---------------------------------------------------------------------------


def _default_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _as_ip(text: str) -> IPAddress | None:
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0].strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _is_public(ip: IPAddress) -> bool:
    return ip.is_global and not (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


def _host_port(entry: str) -> tuple[str, int] | None:
    """``("127.0.0.1", 8080)`` for an entry ``127.0.0.1:8080``, ``[::1]:8080`` or ``name:8080``; else None."""
    host, sep, port = entry.rpartition(":")
    if not sep or not port.isdigit() or not host or (":" in host and not host.startswith("[")):
        return None  # no port, or a bare IPv6 address such as ``fd00::1``
    return host.strip("[]").lower().rstrip("."), int(port)


@dataclass(frozen=True)
class _AddressPolicy:
    """Which hosts and addresses may be contacted although they are not public.

    An entry is a host name, an address, a CIDR range, or an exact ``host:port`` (a name or an
    address with its port), which allows that one port and nothing else of the host.
    """

    host_names: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    endpoints: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> _AddressPolicy:
        names: set[str] = set()
        networks = []
        endpoints: set[tuple[str, int]] = set()
        for entry in entries:
            entry = entry.strip()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            endpoint = _host_port(entry)
            if endpoint is not None:
                host, port = endpoint
                ip = _as_ip(host)
                endpoints.add((str(ip) if ip is not None else host, port))
            else:
                names.add(entry.lower().rstrip("."))
        return cls(frozenset(names), tuple(networks), frozenset(endpoints))

    def merged(self, other: _AddressPolicy) -> _AddressPolicy:
        return _AddressPolicy(self.host_names | other.host_names, self.networks + other.networks,
                              self.endpoints | other.endpoints)

    def _endpoint_listed(self, host: str, ip: IPAddress, port: int | None) -> bool:
        return port is not None and bool(
            {(host.lower().rstrip("."), port), (str(ip), port)} & self.endpoints
        )

    def refusal(self, host: str, ip: IPAddress, port: int | None = None) -> str | None:
        """Why ``ip`` (an address of ``host``, on ``port``) may not be contacted, or None when it may."""
        policy = self.merged(_temporary_policy.get())
        if ip in METADATA_ADDRESSES:
            if any(net.num_addresses == 1 and ip in net for net in policy.networks):
                return None
            if policy._endpoint_listed(host, ip, port):
                return None
            return f"{ip} is a cloud metadata address; list it exactly in allowed_private_hosts if you really mean it"
        if _is_public(ip):
            return None
        if host.lower().rstrip(".") in policy.host_names or any(ip in net for net in policy.networks):
            return None
        if policy._endpoint_listed(host, ip, port):
            return None
        return f"{host} resolves to {ip}, a loopback, private or reserved address; {ALLOW_HINT}"


# What the running block allows besides the caller's list (see allow_temporarily). A context
# variable: it holds for this thread (or task) only, and only while the block runs.
_NOTHING_MORE = _AddressPolicy()  # frozen: safe to share as the default
_temporary_policy: contextvars.ContextVar[_AddressPolicy] = contextvars.ContextVar(
    "harvesters_http_temporary_policy", default=_NOTHING_MORE
)


@contextmanager
def allow_temporarily(entries: Iterable[str]) -> Iterator[None]:
    """Allow ``entries`` (best an exact ``host:port``) in this thread while the block runs.

    For a demo that serves its sample data on 127.0.0.1 and harvests it in the same process: the
    portal's configuration stays closed, and nothing else (another thread, a web worker, a later
    harvest of the same source) gains the exception.
    """
    token = _temporary_policy.set(_temporary_policy.get().merged(_AddressPolicy.from_entries(entries)))
    try:
        yield
    finally:
        _temporary_policy.reset(token)


def _check(url: str, policy: _AddressPolicy, resolver: Resolver) -> None:
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # raises ValueError on a bad port
    except ValueError as error:
        raise UnsafeURLError(
            f"{redact_url(url)} is not a valid URL ({error}); check the address", source_url=redact_url(url),
            refusal=Refusal.INVALID,
        ) from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURLError(
            f"{redact_url(url)} uses the scheme {parts.scheme or '(none)'!r}; "
            "only http and https URLs can be harvested",
            source_url=redact_url(url), refusal=Refusal.SCHEME,
        )
    if not host:
        raise UnsafeURLError(f"{redact_url(url)} has no host name; check the address", source_url=redact_url(url),
                             refusal=Refusal.NO_HOST)
    literal = _as_ip(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            resolved = resolver(host)
        except (OSError, UnicodeError) as error:
            raise FetchError(
                f"The host {host} could not be found ({error}); check the URL or try again later",
                source_url=redact_url(url),
            ) from None
        addresses = [ip for ip in (_as_ip(a) for a in resolved) if ip is not None]
        if not addresses:
            raise FetchError(f"The host {host} has no address; check the URL", source_url=redact_url(url))
    port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    for ip in addresses:
        reason = policy.refusal(host, ip, port)
        if reason:
            raise UnsafeURLError(
                f"Refused to fetch {redact_url(url)}: {reason}", source_url=redact_url(url), host=host, address=str(ip),
                refusal=Refusal.METADATA if ip in METADATA_ADDRESSES else Refusal.PRIVATE,
            )


def check_url_allowed(url: str, allowed_private_hosts: Iterable[str] = (), resolver: Resolver | None = None) -> None:
    """Raise UnsafeURLError unless ``url`` is http(s) and every address of its host may be contacted.

    Public addresses are always allowed. Others only when the host name, the address, a CIDR
    range containing it or the exact ``host:port`` is in ``allowed_private_hosts`` (or allowed by
    :func:`allow_temporarily`); cloud metadata addresses only when listed exactly. A host with
    several addresses must pass for each of them.
    """
    _check(url, _AddressPolicy.from_entries(allowed_private_hosts), resolver or _default_resolver)


# --- connect-time guard: the address the socket really reached ------------------------------------


def _guarded_pool_classes(policy: _AddressPolicy) -> dict[str, type[HTTPConnectionPool]]:
    def check_peer(sock: socket.socket, host: str) -> None:
        peer = sock.getpeername()
        ip = _as_ip(str(peer[0]))
        reason = policy.refusal(host, ip, int(peer[1])) if ip is not None else f"{host} connected to an unknown address"
        if reason:
            sock.close()
            raise UnsafeURLError(f"Refused to fetch from {host}: {reason}")

    class GuardedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            check_peer(sock, self.host)
            return sock

    class GuardedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            check_peer(sock, self.host)
            return sock

    class GuardedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    return {"http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, policy: _AddressPolicy) -> None:
        self._pool_classes = _guarded_pool_classes(policy)
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes


# --- responses ------------------------------------------------------------------------------------


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str | None:
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
        charset = _charset(self.content_type) or "utf-8"
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except (ValueError, UnicodeDecodeError) as error:
            where = redact_url(self.url)
            if looks_like_html(self.content) or _media_type(self.content_type) in HTML_TYPES:
                raise ParseError(
                    f"{where} answered HTML, not JSON (probably an error or maintenance page); "
                    "check the URL and try again later",
                    source_url=where,
                ) from None
            raise ParseError(
                f"{where} answered malformed JSON ({error}); the source may have changed its format",
                source_url=where,
            ) from None


# --- the client -----------------------------------------------------------------------------------


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


class HttpClient:
    """GET and POST for harvesters, with the guards described in the module docstring.

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
        self._resolver = resolver or _default_resolver
        self._policy = _AddressPolicy.from_entries(allowed_private_hosts)
        self._requests_sent = 0
        self._session = requests.Session()
        self._session.trust_env = False  # no proxies or .netrc from the environment
        adapter = _GuardedAdapter(self._policy)
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
            url = _with_params(url, params)
        return self._request("GET", url, None, headers, accept)

    def post_json(
        self, url: str, payload: Any, *, headers: Mapping[str, str] | None = None, accept: Sequence[str] = ()
    ) -> Response:
        """POST ``payload`` as JSON (the Ximmio-style APIs)."""
        body = json.dumps(payload).encode("utf-8")
        return self._request("POST", url, body, {"Content-Type": "application/json", **(headers or {})}, accept)

    # --- internals --------------------------------------------------------------------------------

    def _request(
        self, method: str, url: str, body: bytes | None, headers: Mapping[str, str] | None, accept: Sequence[str]
    ) -> Response:
        request_headers = {"User-Agent": self.user_agent}
        if accept:
            request_headers["Accept"] = ", ".join(accept)
        request_headers.update(headers or {})
        retries = 0
        redirects = 0
        wait = 0.0
        while True:
            _check(url, self._policy, self._resolver)
            if self._requests_sent:
                wait = max(wait, self.pause)
            if wait > 0:
                self._sleep(wait)
            wait = 0.0
            self._requests_sent += 1
            raw = self._send(method, url, body, request_headers)
            try:
                status = raw.status_code
                if status in REDIRECT_STATUSES and raw.headers.get("Location"):
                    redirects += 1
                    if redirects > MAX_REDIRECTS:
                        raise FetchError(
                            f"{redact_url(url)} redirected more than {MAX_REDIRECTS} times; check the URL",
                            source_url=redact_url(url),
                        )
                    target = urljoin(url, raw.headers["Location"])
                    if status == 303 or (status in (301, 302) and method == "POST"):
                        method, body = "GET", None
                        request_headers.pop("Content-Type", None)
                    if urlsplit(target).netloc.lower() != urlsplit(url).netloc.lower():
                        for private in ("Authorization", "Cookie"):
                            request_headers.pop(private, None)
                    url = target
                    continue
                if status in RETRY_STATUSES:
                    if retries >= self.max_retries:
                        raise FetchError(
                            f"{redact_url(url)} still answered HTTP {status} ({raw.reason}) after {retries} "
                            "retries: the source is limiting or unavailable; raise the pause between requests "
                            "or try again later",
                            source_url=redact_url(url),
                        )
                    wait = _retry_after(raw.headers.get("Retry-After"), retries, time.time())
                    retries += 1
                    continue
                if status >= 400:
                    advice = (
                        "check the URL and the source's settings"
                        if status < 500
                        else "the source has a problem of its own; try again later"
                    )
                    raise FetchError(
                        f"{redact_url(url)} answered HTTP {status} ({raw.reason}); {advice}",
                        source_url=redact_url(url),
                    )
                self._check_content_type(raw, url, accept)
                content = self._read_body(raw, url)
                return Response(
                    url=url,
                    status=status,
                    headers=MappingProxyType(CaseInsensitiveDict(raw.headers)),
                    content=content,
                )
            finally:
                raw.close()

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
        media = _media_type(content_type)
        if not media or any(media.startswith(_media_type(allowed)) for allowed in accept):
            return
        where = redact_url(url)
        what = media
        if media in HTML_TYPES:
            title = _html_title(self._peek(raw))
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


def _chunks(raw: requests.Response) -> Iterator[bytes]:
    """Decoded body chunks as they arrive: ``read1`` returns after one network read, so the
    caller's byte and time limits are checked even when the source trickles."""
    stream = raw.raw
    while True:
        chunk = stream.read1(CHUNK_SIZE, decode_content=True)
        if not chunk:
            return
        yield chunk


def _with_params(url: str, params: Mapping[str, Any]) -> str:
    parts = urlsplit(url)
    pairs = [(key, str(value)) for key, value in params.items() if value is not None]
    query = "&".join(filter(None, [parts.query, urlencode(pairs)]))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _html_title(head: bytes) -> str | None:
    match = re.search(rb"<title[^>]*>(.*?)</title", head, re.IGNORECASE | re.DOTALL)
    if not match:
        return None
    title = " ".join(match.group(1).decode("utf-8", errors="replace").split())
    return title[:120] or None


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."

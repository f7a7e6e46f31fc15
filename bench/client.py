"""A small keep-alive HTTP client: the same few lines of ``http.client`` for every side measured, so
the client's own cost is equal (and small) on both sides of a comparison."""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float  # from sending the request to the last byte of the body
    headers: dict[str, str]


class Client:
    """One persistent connection to ``base_url``; reconnects when the server closes it."""

    def __init__(self, base_url: str, timeout: float = 600) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(self, method: str, path: str, params: dict[str, object] | None = None, body: bytes | None = None,
                headers: dict[str, str] | None = None, discard: bool = False, count: bytes | None = None) -> Answer:
        """``discard``: read the body in chunks and keep none of it (for downloads of any size);
        ``count``: also count the occurrences of these bytes in it (``x-bench-count``), which implies
        ``discard``."""
        discard = discard or count is not None
        if params:
            path = f"{path}?{urlencode(params, doseq=True)}"
        for attempt in (1, 2):
            connection = self._connect()
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                found = 0
                if discard:
                    size = 0
                    tail = b""
                    for chunk in _chunks(response):
                        size += len(chunk)
                        if count:
                            window = tail + chunk
                            found += window.count(count)
                            # keep what could begin a match, but never a whole one (no double count)
                            tail = window[-(len(count) - 1):] if len(count) > 1 else b""
                    data = b""
                else:
                    data = response.read()
                    size = len(data)
                elapsed = time.perf_counter() - started
                answer_headers = {k.lower(): v for k, v in response.getheaders()}
                answer_headers["x-bench-size"] = str(size)
                answer_headers["x-bench-count"] = str(found)
                if response.will_close:
                    self.close()
                return Answer(response.status, data, elapsed, answer_headers)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str, params: dict[str, object] | None = None, **kwargs: object) -> Answer:
        return self.request("GET", path, params, **kwargs)  # type: ignore[arg-type]


def _chunks(response: http.client.HTTPResponse, size: int = 1 << 16) -> Iterator[bytes]:
    while True:
        chunk = response.read(size)
        if not chunk:
            return
        yield chunk

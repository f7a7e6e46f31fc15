"""Fixtures for the waste-calendar adapters: fixture files, a fake HTTP client that answers with them,
and a real HTTP server on 127.0.0.1 for the end-to-end tests."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from harvesters.http import Response

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "afvalkalender"
CONTENT_TYPES = {".json": "application/json", ".ics": "text/calendar", ".html": "text/html; charset=utf-8"}


@dataclass
class Call:
    method: str
    url: str
    params: dict[str, Any]
    payload: Any
    headers: dict[str, str]


@dataclass
class FakeHttp:
    """Answers ``(method, url)`` from ``routes``: a fixture file name, raw bytes, or an exception to
    raise. Every call is kept in ``calls``; an unknown route fails the test."""

    routes: Mapping[tuple[str, str], str | bytes | Exception]
    calls: list[Call] = field(default_factory=list)

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        accept: Sequence[str] = (),
    ) -> Response:
        return self._answer("GET", url, dict(params or {}), None, headers)

    def post_json(
        self, url: str, payload: Any, *, headers: Mapping[str, str] | None = None, accept: Sequence[str] = ()
    ) -> Response:
        return self._answer("POST", url, {}, payload, headers)

    def _answer(
        self, method: str, url: str, params: dict[str, Any], payload: Any, headers: Mapping[str, str] | None
    ) -> Response:
        self.calls.append(Call(method, url, params, payload, dict(headers or {})))
        answer = self.routes.get((method, url))
        if answer is None:
            raise AssertionError(f"unexpected request {method} {url}")
        if isinstance(answer, Exception):
            raise answer
        content_type = "application/octet-stream"
        if isinstance(answer, str):
            path = FIXTURES / answer
            content_type = CONTENT_TYPES.get(path.suffix, content_type)
            answer = path.read_bytes()
        full_url = url + ("?" + urlencode(params) if params else "")
        return Response(url=full_url, status=200, headers={"Content-Type": content_type}, content=answer)


@pytest.fixture
def fake_http() -> Callable[[Mapping[tuple[str, str], str | bytes | Exception]], FakeHttp]:
    return FakeHttp


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    return lambda name: (FIXTURES / name).read_bytes()


# --- a real server --------------------------------------------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class LocalServer:
    """Serves ``routes[path] = (status, content_type, body)``; 404 for anything else."""

    base: str = ""
    routes: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def url(self, path: str = "") -> str:
        return self.base + path

    def serve(self, path: str, fixture: str, status: int = 200, content_type: str | None = None) -> None:
        file = FIXTURES / fixture
        self.routes[path] = (status, content_type or CONTENT_TYPES[file.suffix], file.read_bytes())


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    state = LocalServer()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
            pass

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            state.seen.append(Seen(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), body))
            status, content_type, content = state.routes.get(parts.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = _handle
        do_POST = _handle

    httpd = _QuietServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)

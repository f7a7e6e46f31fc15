"""Hostile HTTP answers for the security tests: a real server on 127.0.0.1 whose answer per request is
a function the test sets, and the answers a broken or malicious source gives (gzip bombs, endless
trickles, stalls, dropped connections, redirects). A helper module, not tests; named ``test_security_*``
because the security tests own that name."""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ckanext.openoverheid.demo.local_server import local_server

HOSTILE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
XML = "application/xml; charset=utf-8"
JSON = "application/json; charset=utf-8"

# An answer writes the whole response for one request; ``params`` are the query's single values.
Answer = Callable[[BaseHTTPRequestHandler, Mapping[str, str]], None]


@dataclass
class HostileServer:
    """``url`` is ``http://127.0.0.1:<port>``; ``answer`` serves every path not in ``routes``;
    ``requests`` records (path, params) of every request received."""

    url: str = ""
    answer: Answer | None = None
    routes: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def _handler(server: HostileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        hostile = server

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            params = {key: values[0] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
            server.requests.append((parts.path, params))
            answer = server.routes.get(parts.path) or server.answer or body(b"not found", "text/plain", 404)
            try:
                answer(self, params)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                pass  # the client gave up, as it should

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return Handler


@contextmanager
def running_hostile_server(host: str = "127.0.0.1") -> Iterator[HostileServer]:
    state = HostileServer()
    with local_server(_handler(state), "", "test-hostile-server", host=host) as url:
        state.url = url
        try:
            yield state
        finally:
            state.stopping.set()  # ends trickles and stalls still running


# --- answers --------------------------------------------------------------------------------------


def body(data: bytes, content_type: str, status: int = 200, headers: Mapping[str, str] | None = None,
         *, length: bool = True) -> Answer:
    """A plain answer; ``length=False`` leaves Content-Length out (the body ends when the connection does)."""

    def answer(handler: BaseHTTPRequestHandler, params: Mapping[str, str]) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        if length:
            handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
        if not length:
            handler.close_connection = True

    return answer


def gzip_bomb(expanded_bytes: int, content_type: str) -> Answer:
    """``Content-Encoding: gzip`` whose few kilobytes inflate to ``expanded_bytes`` of spaces."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    chunk = b" " * 1_000_000
    parts = [compressor.compress(b"<?xml version='1.0'?><a>")]
    parts += [compressor.compress(chunk) for _ in range(expanded_bytes // len(chunk))]
    data = b"".join(parts) + compressor.flush()
    return body(data, content_type, headers={"Content-Encoding": "gzip"})


def trickle(content_type: str, interval: float = 0.2) -> Answer:
    """Headers at once, then a byte every ``interval`` seconds, forever: never stalls, never ends."""

    def answer(handler: BaseHTTPRequestHandler, params: Mapping[str, str]) -> None:
        hostile: HostileServer = handler.hostile  # type: ignore[attr-defined]
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.end_headers()
        handler.wfile.write(b"<?xml version='1.0'?>")
        handler.wfile.flush()
        while not hostile.stopping.wait(interval):
            handler.wfile.write(b" ")
            handler.wfile.flush()

    return answer


def stall(data: bytes, content_type: str, seconds: float = 30.0) -> Answer:
    """Announce ``data``, send its first half, then fall silent for ``seconds`` (or until the server stops)."""

    def answer(handler: BaseHTTPRequestHandler, params: Mapping[str, str]) -> None:
        hostile: HostileServer = handler.hostile  # type: ignore[attr-defined]
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data[: len(data) // 2])
        handler.wfile.flush()
        hostile.stopping.wait(seconds)
        handler.close_connection = True

    return answer


def drop(data: bytes, content_type: str) -> Answer:
    """Announce ``data``, send its first half and close the connection: a source that goes down mid-answer."""

    def answer(handler: BaseHTTPRequestHandler, params: Mapping[str, str]) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data[: len(data) // 2])
        handler.wfile.flush()
        handler.close_connection = True

    return answer


def redirect(location: str, status: int = 302) -> Answer:
    return body(b"", "text/plain", status, {"Location": location})


def sru_pages(records: list[dict[str, Any]], failures: Mapping[int, Answer] | None = None) -> Answer:
    """An SRU endpoint over ``records`` (sample-style dicts), paged by startRecord/maximumRecords and
    honouring the query's ``dt.modified>=``/``<=`` as KOOP does; ``failures`` maps a startRecord to the
    answer given instead of that page."""
    from ckanext.openoverheid.demo.sru_sample import sru_page_xml

    def answer(handler: BaseHTTPRequestHandler, params: Mapping[str, str]) -> None:
        start = int(params.get("startRecord", "1"))
        size = int(params.get("maximumRecords", "100"))
        if failures and start in failures:
            failures[start](handler, params)
            return
        since = re.search(r"dt\.modified>=(\d{4}-\d{2}-\d{2})", params.get("query", ""))
        until = re.search(r"dt\.modified<=(\d{4}-\d{2}-\d{2})", params.get("query", ""))
        found = [r for r in records if (not since or str(r.get("modified", "")) >= since.group(1))
                 and (not until or str(r.get("modified", ""))[:10] <= until.group(1))]
        chunk = found[start - 1 : start - 1 + size]
        following = start + len(chunk) if start - 1 + size < len(found) else None
        body(sru_page_xml(chunk, len(found), following, start=start), XML)(handler, params)

    return answer


def fixture(name: str, replacements: Mapping[str, str] | None = None) -> bytes:
    """A file of tests/fixtures/hostile, with literal strings replaced (e.g. the attacker's host)."""
    text = (HOSTILE_FIXTURES / name).read_text(encoding="utf-8")
    for old, new in (replacements or {}).items():
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new)
    return text.encode("utf-8")

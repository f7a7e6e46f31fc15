"""A local SRU server for the vergunningen tests: real HTTP on 127.0.0.1, pages built with the
harvester package's sample generator, every request recorded, and failures on demand."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ckanext.openoverheid.demo.local_server import QuietHandler, local_server
from ckanext.openoverheid.demo.sru_sample import sample_record, sru_page_xml

# What the server does for one request: (status, content type, body), or a number of seconds to
# stall before answering (a timeout for the client).
Answer = tuple[int, str, bytes] | float
Pages = Callable[[int, int], Answer]  # (startRecord, maximumRecords) -> answer

XML = "application/xml; charset=utf-8"
HTML_ERROR = (
    b"<!DOCTYPE html><html><head><title>Onderhoud</title></head>"
    b"<body><h1>Wij zijn even weg</h1></body></html>"
)


def records_pages(records: list[Mapping[str, Any]]) -> Pages:
    """Pages over a fixed list of sample-style record dicts, honouring startRecord/maximumRecords."""

    def answer(start: int, size: int) -> Answer:
        chunk = records[start - 1 : start - 1 + size]
        following = start + len(chunk) if start - 1 + size < len(records) else None
        return 200, XML, sru_page_xml(chunk, len(records), following, start=start)

    return answer


def sample_records(n: int, gemeente: str = "Utrecht", seed: int = 0) -> list[dict[str, Any]]:
    return [sample_record(i, gemeente, n, seed) for i in range(1, n + 1)]


@dataclass
class SruServer:
    """``url`` is the endpoint; set ``pages`` to change what it answers; ``requests`` lists the
    query parameters of every request received (one dict per request, single values)."""

    url: str = ""
    pages: Pages = field(default=lambda start, size: (200, XML, sru_page_xml([], 0)))
    requests: list[dict[str, str]] = field(default_factory=list)
    failures: dict[int, Answer] = field(default_factory=dict)  # startRecord -> answer instead of the page

    def fail_at(self, start: int, answer: Answer) -> None:
        self.failures[start] = answer

    def queries(self) -> list[str]:
        return [r.get("query", "") for r in self.requests]


def _handler(server: SruServer) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            params = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
            server.requests.append(params)
            start = int(params.get("startRecord", "1"))
            size = int(params.get("maximumRecords", "100"))
            answer = server.failures.get(start) or server.pages(start, size)
            if isinstance(answer, int | float):
                time.sleep(answer)
                answer = server.pages(start, size)
            status, content_type, body = answer
            self.send_body(body, content_type, status)

    return Handler


@contextmanager
def running_sru_server() -> Iterator[SruServer]:
    state = SruServer()
    with local_server(_handler(state), "/sru", "test-sru") as url:
        state.url = url
        yield state

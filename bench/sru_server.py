"""A local SRU 2.0 server with N sample permit notices, in a process of its own.

    python -m bench.sru_server --records 10000 --gemeente Utrecht --pages var/bench/sru-pages

Unlike the demo's server (``ckanext.openoverheid.vergunningen.demo``), it answers the query as KOOP
does: only the municipality named in ``dt.creator``, only notices with ``dt.modified`` in the asked
range, sorted by ``dt.modified``. So an unchanged re-run, which asks for changes since the last run,
gets nothing, and a run over more than 9,000 notices is split by date the way it is in production.
Every page served is also written to ``--pages`` (once per distinct question), so the bare parse
reads exactly the files the harvester read. Pages are built once and then answered from memory.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bench.sandboxes import PYTHON, ROOT, clean_env

_CREATOR = re.compile(r'dt\.creator=="((?:[^"\\]|\\.)*)"')
_SINCE = re.compile(r"dt\.modified>=(\d{4}-\d{2}-\d{2})")
_UNTIL = re.compile(r"dt\.modified<=(\d{4}-\d{2}-\d{2})")


class Feed:
    """The notices of one municipality and the pages of any question about them."""

    def __init__(self, records: int, gemeente: str, pages_dir: Path | None) -> None:
        from ckanext.openoverheid.demo.sru_sample import sample_record

        self.gemeente = gemeente
        self.records = [sample_record(i, gemeente, records) for i in range(1, records + 1)]
        self.pages_dir = pages_dir
        self._cache: dict[tuple[Any, ...], bytes] = {}

    def page(self, query: str, start: int, size: int) -> bytes:
        from ckanext.openoverheid.demo.sru_sample import sru_page_xml

        creator = _CREATOR.search(query)
        since, until = _SINCE.search(query), _UNTIL.search(query)
        key = (creator.group(1) if creator else None, since and since.group(1), until and until.group(1), start, size)
        if key in self._cache:
            return self._cache[key]
        matching = [
            r for r in self.records
            if key[0] == self.gemeente
            and (key[1] is None or r["modified"] >= key[1])
            and (key[2] is None or r["modified"] <= key[2])
        ]
        chunk = matching[start - 1 : start - 1 + size]
        following = start + len(chunk) if start - 1 + size < len(matching) else None
        body = sru_page_xml(chunk, len(matching), following, start=start)
        self._cache[key] = body
        if self.pages_dir is not None:
            name = hashlib.sha1(repr(key).encode()).hexdigest()[:16]
            (self.pages_dir / f"{name}.xml").write_bytes(body)
        return body


def _handler(feed: Feed) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            params = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
            body = feed.page(params.get("query", ""), int(params.get("startRecord", "1")),
                             int(params.get("maximumRecords", "100")))
            self.send_response(200)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            return

    return Handler


def serve(records: int, gemeente: str, pages_dir: Path | None) -> None:
    if pages_dir is not None:
        pages_dir.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Feed(records, gemeente, pages_dir)))
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.serve_forever()


@contextlib.contextmanager
def running_sru(records: int, gemeente: str, pages_dir: Path | None = None) -> Iterator[str]:
    """Start the server (this process's child), yield its SRU endpoint URL, stop it afterwards."""
    command = [str(PYTHON), "-m", "bench.sru_server", "--records", str(records), "--gemeente", gemeente]
    if pages_dir is not None:
        command += ["--pages", str(pages_dir)]
    process = subprocess.Popen(command, cwd=ROOT, env=clean_env(), stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError("the sample SRU server did not start")
        yield f"http://127.0.0.1:{int(line.split()[-1])}/sru"
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--gemeente", default="Utrecht")
    parser.add_argument("--pages", type=Path)
    args = parser.parse_args()
    serve(args.records, args.gemeente, args.pages)


if __name__ == "__main__":
    main()

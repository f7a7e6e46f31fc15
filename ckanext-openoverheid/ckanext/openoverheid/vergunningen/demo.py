"""Demo permits for ``make run``: a real harvest of realistic sample pages, without network.

A small SRU server on 127.0.0.1 (a thread, a free port) answers with ``harvesters.vergunningen.sample``
pages, a ``vergunningen`` harvest source of the demo municipality points at it, and the job runs in
this process, through the same stages as the queues. So the map, the feeds and the API show the
permits the way a real source would fill them. The source keeps the server's URL afterwards; it only
answers while the demo runs, so a later re-harvest of this source reports that it could not connect.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.harvest.run_now import JobSummary, run_source_now
from ckanext.openoverheid.harvest.table_source import allowed_private_hosts, site_context
from harvesters.errors import UnsafeURLError
from harvesters.http import check_url_allowed
from harvesters.vergunningen.sample import sample_records_xml

DEMO_ORGANIZATION = "gemeente-utrecht"
DEMO_GEMEENTE = "Utrecht"
DEMO_SOURCE_NAME = "bron-vergunningen-utrecht-demo"
DEMO_RECORDS = 240
DEMO_PAGE_SIZE = 100

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SampleFeed:
    """What the sample server answers: ``records`` notices of ``gemeente`` (seeded, so always the same)."""

    gemeente: str = DEMO_GEMEENTE
    records: int = DEMO_RECORDS
    seed: int = 0


def _handler(feed: SampleFeed) -> type[BaseHTTPRequestHandler]:
    class SampleSruHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            params = parse_qs(urlsplit(self.path).query)
            try:
                start = max(1, int(params.get("startRecord", ["1"])[0]))
                size = max(1, min(1000, int(params.get("maximumRecords", [str(DEMO_PAGE_SIZE)])[0])))
            except ValueError:
                self.send_error(400, "startRecord and maximumRecords must be numbers")
                return
            body = sample_records_xml(feed.records, feed.gemeente, start=start, page_size=size, seed=feed.seed)
            self.send_response(200)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            return

    return SampleSruHandler


@contextmanager
def sample_sru_server(feed: SampleFeed | None = None) -> Iterator[str]:
    """Serve sample SRU pages on 127.0.0.1 (free port) while the block runs; yields the endpoint URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(feed or SampleFeed()))
    thread = threading.Thread(target=server.serve_forever, name="sample-sru", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sru"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _ensure_source(url: str, organization_id: str, feed: SampleFeed) -> dict[str, Any]:
    """The demo harvest source, created once; later runs point it at this run's server."""
    context = site_context()
    wanted = {
        "name": DEMO_SOURCE_NAME,
        "title": f"Vergunningen {feed.gemeente} (demo)",
        "notes": "Voorbeeldbron: realistische, verzonnen bekendmakingen uit een lokale SRU-server.",
        "url": url,
        "source_type": "vergunningen",
        "frequency": "MANUAL",
        "config": json.dumps({"gemeente": feed.gemeente, "page_size": DEMO_PAGE_SIZE, "pause": 0}),
        "owner_org": organization_id,
    }
    try:
        source = tk.get_action("harvest_source_show")(dict(context), {"id": DEMO_SOURCE_NAME})
    except tk.ObjectNotFound:
        return tk.get_action("harvest_source_create")(dict(context), wanted)
    return tk.get_action("harvest_source_update")(dict(context), dict(wanted, id=source["id"]))


def load_demo(progress: Progress = lambda message: None, feed: SampleFeed | None = None) -> JobSummary:
    """Harvest the sample permits of the demo municipality into its "Vergunningen" dataset.

    Needs the demo organisation (``ckan openoverheid demo`` makes it) and 127.0.0.1 in
    ``ckanext.openoverheid.allowed_private_hosts`` (the development configuration has it).
    Safe to run again: rows are upserted by identifier.
    """
    feed = feed or SampleFeed()
    try:
        organization = tk.get_action("organization_show")(site_context(), {"id": DEMO_ORGANIZATION})
    except tk.ObjectNotFound:
        raise RuntimeError(
            f"The organisation {DEMO_ORGANIZATION} does not exist: load the demo organisations first "
            "(ckan openoverheid demo)"
        ) from None
    with sample_sru_server(feed) as url:
        try:
            check_url_allowed(url, allowed_private_hosts())
        except UnsafeURLError as error:
            raise RuntimeError(
                f"{error}. The demo serves its sample feed on 127.0.0.1: add 127.0.0.1 to "
                "ckanext.openoverheid.allowed_private_hosts (config/ckan.ini) and run it again"
            ) from None
        source = _ensure_source(url, organization["id"], feed)
        progress(f"harvest source {source['name']}: {feed.records} voorbeeldvergunningen van {url}")
        summary = run_source_now(source["id"])
    progress(f"vergunningen {feed.gemeente}: {summary.status}, {summary.stats}")
    for message in summary.gather_errors + summary.object_errors:
        progress(f"  fout: {message}")
    return summary

"""Demo permits for ``make run``: a real harvest of realistic sample pages, without network.

A local SRU server answers with ``demo/sru_sample.py`` pages and a ``vergunningen``
harvest source of the demo municipality is harvested from it (``demo/harvest_source.py``), so the
map, the feeds and the API show the permits the way a real source would fill them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ckanext.openoverheid import cli_text
from ckanext.openoverheid.demo.harvest_source import (
    DEMO_GEMEENTE,
    DEMO_ORGANIZATION,
    Progress,
    QuietHandler,
    harvest_demo,
    local_server,
)
from ckanext.openoverheid.demo.sru_sample import sample_records_xml
from ckanext.openoverheid.harvest.run_now import JobSummary

__all__ = ["DEMO_ORGANIZATION", "SampleFeed", "load_demo", "sample_sru_server"]

DEMO_SOURCE_NAME = "bron-vergunningen-utrecht-demo"
DEMO_RECORDS = 240
DEMO_PAGE_SIZE = 100


@dataclass(frozen=True)
class SampleFeed:
    """What the sample server answers: ``records`` notices of ``gemeente`` (seeded, so always the same)."""

    gemeente: str = DEMO_GEMEENTE
    records: int = DEMO_RECORDS
    seed: int = 0


def _handler(feed: SampleFeed) -> type[QuietHandler]:
    class SampleSruHandler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            params = parse_qs(urlsplit(self.path).query)
            try:
                start = max(1, int(params.get("startRecord", ["1"])[0]))
                size = max(1, min(1000, int(params.get("maximumRecords", [str(DEMO_PAGE_SIZE)])[0])))
            except ValueError:
                self.send_error(400, "startRecord and maximumRecords must be numbers")
                return
            body = sample_records_xml(feed.records, feed.gemeente, start=start, page_size=size, seed=feed.seed)
            self.send_body(body, "application/xml; charset=utf-8")

    return SampleSruHandler


@contextmanager
def sample_sru_server(feed: SampleFeed | None = None) -> Iterator[str]:
    """Serve sample SRU pages on 127.0.0.1 (free port) while the block runs; yields the endpoint URL."""
    with local_server(_handler(feed or SampleFeed()), "/sru", "sample-sru") as url:
        yield url


def _source_fields(feed: SampleFeed) -> Callable[[str, str], dict[str, Any]]:
    def fields(url: str, organization_id: str) -> dict[str, Any]:
        return {
            "name": DEMO_SOURCE_NAME,
            "title": f"Vergunningen {feed.gemeente} (demo)",
            "notes": "Voorbeeldbron: realistische, verzonnen bekendmakingen uit een lokale SRU-server.",
            "url": url,
            "source_type": "vergunningen",
            "frequency": "MANUAL",
            "config": json.dumps({"gemeente": feed.gemeente, "page_size": DEMO_PAGE_SIZE, "pause": 0}),
            "owner_org": organization_id,
        }

    return fields


def load_demo(progress: Progress = lambda message: None, feed: SampleFeed | None = None) -> JobSummary:
    """Harvest the sample permits of the demo municipality into its "Vergunningen" dataset.

    Needs the demo organisation (``ckan openoverheid demo`` makes it); the sample server is allowed
    for the time of the harvest only (``demo/harvest_source.py``), never in the portal's configuration.
    Safe to run again: rows are upserted by identifier.
    """
    feed = feed or SampleFeed()
    what = cli_text._("{count} sample permits").format(count=feed.records)
    return harvest_demo(sample_sru_server(feed), _source_fields(feed), what=what,
                        label=f"vergunningen {feed.gemeente}", progress=progress)

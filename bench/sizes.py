"""How big each benchmark is: the full run of the issue, and ``--quick`` for a smoke run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    api_datasets: int  # datasets of the ours/stock pair (also the small export)
    api_requests: int  # timed requests per endpoint and side
    big_datasets: int  # datasets of the large export
    export_rounds: int  # interleaved rounds of our export against all catalog.xml pages, per size
    harvest_records: int  # SRU records of a first harvest
    harvest_rounds: int
    geo_rows: int  # meldingen, and permit notices, in the geo tables
    geo_requests: int  # timed requests per query and side
    feed_items: int  # items of the RSS feed
    feed_rounds: int
    load_seconds: int  # duration of the load, per side
    load_clients: int
    woo_documents: int  # documents in the Woo sitemaps
    woo_rounds: int

    @property
    def label(self) -> str:
        return "quick" if self is QUICK else "full"


FULL = Sizes(
    api_datasets=1_000, api_requests=300, big_datasets=10_000, export_rounds=3, harvest_records=10_000,
    harvest_rounds=2, geo_rows=100_000, geo_requests=200, feed_items=500, feed_rounds=30, load_seconds=60,
    load_clients=4, woo_documents=100_000, woo_rounds=3,
)
QUICK = Sizes(
    api_datasets=600, api_requests=40, big_datasets=1_500, export_rounds=1, harvest_records=1_000,
    harvest_rounds=1, geo_rows=10_000, geo_requests=30, feed_items=500, feed_rounds=5, load_seconds=8,
    load_clients=4, woo_documents=10_000, woo_rounds=2,
)


def sizes(quick: bool) -> Sizes:
    return QUICK if quick else FULL

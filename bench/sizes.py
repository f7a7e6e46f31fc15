"""How big each benchmark is: ``full`` (the default), ``quick`` for a smoke run and ``national`` for a
national portal's catalogue (issue 23)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    label: str  # quick, full or national: also names the run's sandboxes (bench.sandboxes)
    api_datasets: int  # datasets of the ours/stock pair (also the small export)
    api_requests: int  # timed requests per endpoint and side
    big_datasets: int  # datasets of the large export, the concurrent search and the load
    mid_datasets: int  # the large export of the full size: what the national export is compared with
    export_rounds: int  # interleaved rounds of our export against all catalog.xml pages, per size
    harvest_records: int  # SRU records of a first harvest
    harvest_rounds: int
    geo_rows: int  # meldingen, and permit notices, in the geo tables
    geo_requests: int  # timed requests per query and side
    feed_items: int  # items of the RSS feed
    feed_rounds: int
    search_clients: int  # concurrent clients of the search comparison under load
    search_seconds: int  # per side and round of it
    load_seconds: int  # duration of the load, per side
    load_clients: int
    woo_documents: int  # documents in the Woo sitemaps
    woo_rounds: int
    # concurrency steps of the realistic load (bench.load_knee), until p95 passes a second
    knee_steps: tuple[int, ...] = (2, 4, 8, 12, 16, 24, 32)
    knee_seconds: int = 60


FULL = Sizes(
    label="full", api_datasets=1_000, api_requests=300, big_datasets=10_000, mid_datasets=10_000, export_rounds=3,
    harvest_records=10_000, harvest_rounds=2, geo_rows=100_000, geo_requests=200, feed_items=500, feed_rounds=30,
    search_clients=16, search_seconds=30, load_seconds=60, load_clients=4, woo_documents=100_000, woo_rounds=3,
)
QUICK = Sizes(
    label="quick", api_datasets=600, api_requests=40, big_datasets=1_500, mid_datasets=1_500, export_rounds=1,
    harvest_records=1_000, harvest_rounds=1, geo_rows=10_000, geo_requests=30, feed_items=500, feed_rounds=5,
    search_clients=16, search_seconds=5, load_seconds=8, load_clients=4, woo_documents=10_000, woo_rounds=2,
    knee_steps=(2, 8), knee_seconds=8,
)
# The national portal: 100,000 datasets, 1,000,000 meldingen and permit notices; what does not grow
# with a catalogue (the API comparison, harvest, feeds, Woo sitemaps) at the full sizes.
NATIONAL = Sizes(
    label="national", api_datasets=1_000, api_requests=300, big_datasets=100_000, mid_datasets=10_000,
    export_rounds=2, harvest_records=10_000, harvest_rounds=2, geo_rows=1_000_000, geo_requests=200, feed_items=500,
    feed_rounds=30, search_clients=16, search_seconds=60, load_seconds=60, load_clients=4, woo_documents=100_000,
    woo_rounds=3,
)
SIZES = {size.label: size for size in (QUICK, FULL, NATIONAL)}


def sizes(label: str) -> Sizes:
    if label not in SIZES:
        raise SystemExit(f"unknown size {label!r}: choose from {', '.join(SIZES)}")
    return SIZES[label]

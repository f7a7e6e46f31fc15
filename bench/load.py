"""A bounded-time load on a running portal: searches, feeds, Open311 GETs and report POSTs.

    python -m bench.load --url http://127.0.0.1:5000 --duration 60 --clients 4 [--api-key KEY] [--json out.json]

``--clients`` threads each keep one connection open and ask, one request after the other until the
time is up, a random mix (``MIX``): dataset searches, the dataset/vergunningen/meldingen feeds,
Open311 ``requests.json`` around Utrecht and — with ``--api-key`` (``ckan openoverheid open311-key
create NAME``) — new meldingen through Open311 POST. The same seed gives the same sequence.

It prints the throughput, the latency per kind and every error: an exception, a 5xx, or any status
other than the one the kind expects (200, 201 for a POST). The exit status is 1 when there were
errors, so it can guard a deployment (issue 9 reuses it). It needs nothing but the standard library
and ``bench.client``; point it only at a portal you may load, and mind that POSTs create meldingen.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bench.client import Client

SEARCH_TERMS = ("afval", "parkeren", "bomen", "subsidie", "begroting", "wonen", "vergunningen", "meldingen")
UTRECHT = (52.02, 52.14, 4.97, 5.20)  # lat min/max, lon min/max
CATEGORIES = ("losse-stoeptegel", "zwerfafval", "volle-afvalbak", "fietsenrek", "groen", "overig")

# method, path, params, body, expected status; a body is a form (urlencoded) or (content type, bytes)
Request = tuple[str, str, dict[str, Any] | None, bytes | tuple[str, bytes] | None, int]


def _point(rng: random.Random) -> tuple[float, float]:
    return rng.uniform(UTRECHT[0] + 0.02, UTRECHT[1] - 0.02), rng.uniform(UTRECHT[2] + 0.03, UTRECHT[3] - 0.03)


def _bbox(rng: random.Random) -> str:
    lat, lon = _point(rng)
    return f"{lon - 0.007:.5f},{lat - 0.0045:.5f},{lon + 0.007:.5f},{lat + 0.0045:.5f}"


def search(rng: random.Random, api_key: str | None) -> Request:
    return "GET", "/api/3/action/package_search", {"q": rng.choice(SEARCH_TERMS), "rows": 20}, None, 200


def dataset_feed(rng: random.Random, api_key: str | None) -> Request:
    return "GET", "/feeds/dataset.rss", None, None, 200


def permits_feed(rng: random.Random, api_key: str | None) -> Request:
    lat, lon = _point(rng)
    return "GET", "/feeds/vergunningen.rss", {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "straal": 1000}, None, 200


def reports_feed(rng: random.Random, api_key: str | None) -> Request:
    return "GET", "/feeds/meldingen.rss", {"bbox": _bbox(rng)}, None, 200


def open311_get(rng: random.Random, api_key: str | None) -> Request:
    return "GET", "/open311/v2/requests.json", {"bbox": _bbox(rng)}, None, 200


def open311_post(rng: random.Random, api_key: str | None) -> Request:
    lat, lon = _point(rng)
    form = {"api_key": api_key, "service_code": rng.choice(CATEGORIES), "lat": f"{lat:.6f}", "long": f"{lon:.6f}",
            "description": "Melding van de belastingtest: hier ligt iets dat opgeruimd moet worden."}
    return "POST", "/open311/v2/requests.json", None, urlencode(form).encode(), 201


# kind → (weight, request maker); POSTs only with an API key
MIX: dict[str, tuple[int, Callable[[random.Random, str | None], Request]]] = {
    "search": (35, search),
    "dataset feed": (15, dataset_feed),
    "vergunningen feed": (15, permits_feed),
    "meldingen feed": (10, reports_feed),
    "open311 GET": (15, open311_get),
    "open311 POST": (10, open311_post),
}


@dataclass
class Report:
    seconds: float
    requests: int = 0
    errors: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    error_kinds: Counter[str] = field(default_factory=Counter)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        def pct(values: list[float], fraction: float) -> float:
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")

        return {
            "seconds": round(self.seconds, 2), "requests": self.requests, "errors": self.errors,
            "throughput": round(self.throughput, 2),
            "kinds": {kind: {"requests": len(v), "p50_ms": round(pct(v, 0.5) * 1000, 1),
                             "p95_ms": round(pct(v, 0.95) * 1000, 1)} for kind, v in sorted(self.latencies.items())},
            "error_kinds": dict(self.error_kinds), "error_samples": self.error_samples[:10],
        }


def run_load(url: str, duration: float, clients: int = 4, api_key: str | None = None, seed: int = 0,
             mix: dict[str, tuple[int, Callable[[random.Random, str | None], Request]]] | None = None) -> Report:
    """Load ``url`` for ``duration`` seconds with ``clients`` threads; what happened."""
    chosen = {k: v for k, v in (mix or MIX).items() if api_key or k != "open311 POST"}
    kinds, weights = list(chosen), [weight for weight, _ in chosen.values()]
    report = Report(seconds=duration)
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker(number: int) -> None:
        rng = random.Random(f"{seed}:{number}")
        client = Client(url, timeout=60)
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            method, path, params, body, expected = chosen[kind][1](rng, api_key)
            headers = {}
            if isinstance(body, tuple):
                headers["Content-Type"], body = body
            elif body:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            problem = None
            started = time.perf_counter()
            try:
                answer = client.request(method, path, params, body=body, headers=headers)
                if answer.status != expected:
                    problem = f"{kind}: HTTP {answer.status} {answer.body[:200]!r}"
            except Exception as error:  # noqa: BLE001 - a load test counts every failure
                problem = f"{kind}: {type(error).__name__}: {error}"
                client.close()
            elapsed = time.perf_counter() - started
            with lock:
                report.requests += 1
                report.latencies.setdefault(kind, []).append(elapsed)
                if problem:
                    report.errors += 1
                    report.error_kinds[kind] += 1
                    if len(report.error_samples) < 50:
                        report.error_samples.append(problem)
        client.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = time.monotonic() - started
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="the portal, e.g. http://127.0.0.1:5000")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections (default 4)")
    parser.add_argument("--api-key", help="an Open311 key: adds report POSTs to the mix")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the summary to this file")
    args = parser.parse_args()
    report = run_load(args.url.rstrip("/"), args.duration, args.clients, args.api_key, args.seed)
    summary = report.summary()
    print(f"{summary['requests']} requests in {summary['seconds']} s: {summary['throughput']} req/s, "
          f"{summary['errors']} errors")
    for kind, figures in summary["kinds"].items():
        print(f"  {kind:<18} {figures['requests']:>6}  p50 {figures['p50_ms']:>7} ms  p95 {figures['p95_ms']:>7} ms")
    for sample in summary["error_samples"]:
        print(f"  error: {sample}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=2)
    sys.exit(1 if report.errors else 0)


if __name__ == "__main__":
    main()

"""1. API overhead: ``package_show`` and ``package_search`` with our plugins against stock CKAN 2.12.

Two servers (``bench.server``: gunicorn with the workers and threads ``make run`` starts) on two
sandboxes holding the same catalogue, loaded through each configuration. One client asks both the
same questions in turn — request *i* to one, then to the other, the order flipped every request —
over keep-alive HTTP on loopback, anonymously, as an API client would. The figure is our p50 (p95)
latency over stock's.
"""

from __future__ import annotations

import json
import random
from typing import Any

from bench import catalogue
from bench.client import Client
from bench.measure import Result, benchmark_main, ms, percentile, result
from bench.sandboxes import BENCH_VAR, sandboxes
from bench.server import default_workers, running
from bench.sizes import Sizes, sizes

GOAL = "<= 1.10"
SEARCH_TERMS = ("afval", "parkeren", "bomen", "subsidie", "begroting", "wonen", "sport", "lucht", "laadpalen",
                "speeltuinen", "utrecht", "zeist", "2024", "verkeer", "onderwijs")


def requests_for(kind: str, count: int, datasets: int) -> list[dict[str, Any]]:
    """The same ``count`` questions for both sides: random datasets, random searches."""
    rng = random.Random(f"api-{kind}")
    if kind == "package_show":
        return [{"id": catalogue.dataset_name(rng.randrange(datasets))} for _ in range(count)]
    questions = []
    for _ in range(count):
        question: dict[str, Any] = {"q": rng.choice(SEARCH_TERMS), "rows": 20}
        if rng.random() < 0.3:
            question["fq"] = f"organization:{rng.choice(catalogue.ORGANIZATIONS)[0]}"
        questions.append(question)
    return questions


def compare(clients: dict[str, Client], kind: str, questions: list[dict[str, Any]],
            warmup: int = 20) -> dict[str, list[float]]:
    """Ask every question of every side, in turn; the seconds of each answer per side."""
    times: dict[str, list[float]] = {name: [] for name in clients}
    names = list(clients)
    for number, params in enumerate(questions[:warmup] + questions):
        order = names if number % 2 == 0 else names[::-1]
        for name in order:
            answer = clients[name].get(f"/api/3/action/{kind}", params)
            if answer.status != 200:
                raise RuntimeError(f"{kind} {params} on {name}: HTTP {answer.status} {answer.body[:300]!r}")
            if number >= warmup:
                times[name].append(answer.seconds)
    return times


def run(size_name: str) -> list[Result]:
    size: Sizes = sizes(size_name)
    boxes = sandboxes(size_name)
    results = []
    log = BENCH_VAR / "server.log"
    with running(boxes["ours"].ini, log) as ours, running(boxes["stock"].ini, log) as stock:
        clients = {"ours": Client(ours.url), "stock": Client(stock.url)}
        # both catalogues must be complete and the same size, or the comparison means nothing
        counts = {}
        for name, client in clients.items():
            body = client.get("/api/3/action/package_search", {"q": "*:*", "rows": 0,
                                                               "include_private": "true"}).body
            counts[name] = json.loads(body)["result"]["count"]
        if counts["ours"] != counts["stock"] or counts["ours"] < size.api_datasets:
            raise RuntimeError(f"the catalogues differ or are incomplete: {counts}")
        for kind in ("package_show", "package_search"):
            questions = requests_for(kind, size.api_requests, size.api_datasets)
            times = compare(clients, kind, questions)
            for label, fraction in (("p50", 0.5), ("p95", 0.95)):
                mine, theirs = percentile(times["ours"], fraction), percentile(times["stock"], fraction)
                results.append(result(
                    f"API {kind} {label}", mine / theirs, GOAL,
                    f"{ms(mine)} ours vs {ms(theirs)} stock; {len(questions)} requests each, "
                    f"{counts['ours']:,} datasets, gunicorn ({default_workers()} workers x 4 threads) each side, "
                    "keep-alive HTTP",
                    baseline="stock CKAN 2.12 on the same production server and data (bench_stock)",
                    ours_s=mine, stock_s=theirs, requests=len(questions), datasets=counts["ours"],
                ))
        for client in clients.values():
            client.close()
    return results


if __name__ == "__main__":
    benchmark_main(run, __doc__)

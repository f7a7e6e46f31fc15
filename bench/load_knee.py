"""9. A realistic load at rising concurrency: how many requests a second the portal serves before its
p95 passes one second, and that it fails none below that point.

The mix is shaped like a portal's day (``MIX``): residents browsing pages (home, dataset search,
dataset pages, the meldingen map), API clients searching and reading datasets, calendar apps polling
a waste calendar's ``.ics`` (a subscriber's app asks every few hours: many subscribers make a steady
share), feed readers (datasets, permits near an address, meldingen in an area), Open311 apps reading
meldingen and submitting new ones with a photo (multipart, five apps with a key each). A real
vergunningen harvest runs the whole time, one after the other. Rate limits are on, as configured by
default (the benchmark's other lines switch them off): a refusal counts as an error.

Served by the production server (``bench.server``: gunicorn as ``make run`` starts it here) on the
``big`` sandbox (10,000 datasets and 100,000 meldingen in the full run; 100,000 and 1,000,000 in the
national one). Concurrency rises step by step (``Sizes.knee_steps``, each ``knee_seconds`` long);
the first step whose p95 (over all requests) passes one second is the knee. The lines report the
throughput of the last step below it and the errors below it. Both are information: there is no
outside baseline for this mix (stock CKAN has no feeds, calendars or Open311).
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2

from bench import catalogue
from bench import harvest as harvest_bench
from bench.load import Report, Request, dataset_feed, open311_get, permits_feed, reports_feed, run_load
from bench.load_bench import _harvest_outcome, _harvest_source, _remove_harvested, _start_harvest
from bench.measure import Result, benchmark_main, ms, percentile, result
from bench.sandboxes import BENCH_VAR, VENV, Sandbox, clean_env, run_in_site, sandboxes
from bench.server import default_workers, running
from bench.sizes import sizes
from bench.sru_server import running_sru

KEY_PREFIX = "bench-knee-app-"
APPS = 5
CALENDARS = ("/afvalkalender/3512AH/13.ics", "/afvalkalender/3511NV/250A.ics")  # the demo fixture's two
KNEE_SECONDS = 1.0
# the settings the other benchmarks loosen (bench.sandboxes): this one runs with the defaults
LOOSENED = ("ckanext.openoverheid.meldingen.rate_limit", "ckanext.openoverheid.open311.rate_limit")


def rate_limited_ini(box: Sandbox) -> Path:
    """``box``'s ini with the rate limits at their defaults."""
    path = BENCH_VAR / f"{box.name}-rate-limited.ini"
    lines = [line for line in box.ini.read_text(encoding="utf-8").splitlines()
             if line.split("=")[0].strip() not in LOOSENED]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ckan(box: Sandbox, *args: str) -> str:
    done = subprocess.run([str(VENV / "bin" / "ckan"), "-c", str(box.ini), *args], env=clean_env(),
                          capture_output=True, text=True, check=True)
    return done.stdout


def app_keys(box: Sandbox) -> list[str]:
    """The Open311 keys of the five apps, made once per sandbox and kept (mode 600) in var/bench/."""
    keys = []
    for number in range(APPS):
        path = BENCH_VAR / f"{box.name}.{KEY_PREFIX}{number}"
        if not path.exists():  # a new name: the key of an earlier var/bench may still be in the database
            name = f"{KEY_PREFIX}{number}-{uuid.uuid4().hex[:8]}"
            key = _ckan(box, "openoverheid", "open311-key", "create", name).strip().splitlines()[-1]
            path.touch(mode=0o600)
            path.write_text(key)
        keys.append(path.read_text().strip())
    return keys


def ensure_calendars(box: Sandbox) -> None:
    """The waste calendars the subscribers poll: the demo's harvest of Utrecht's sample calendar."""
    run_in_site(box, "from ckanext.openoverheid.demo import afvalkalender; s = afvalkalender.load_demo(); "
                "sys.exit(0 if s.status == 'Finished' and not s.gather_errors and not s.object_errors else 1)")


def photo() -> bytes:
    """A phone photo as apps send it, scaled down: 1024×768 JPEG of noise (does not compress away)."""
    from PIL import Image

    rng = random.Random("knee-photo")
    image = Image.frombytes("RGB", (1024, 768), bytes(rng.getrandbits(8) for _ in range(1024 * 768 * 3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                 "Content-Type: image/jpeg\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def mix(keys: list[str], datasets: int) -> dict[str, tuple[int, Any]]:
    picture = photo()

    def page(path: str) -> Any:
        return lambda rng, key: ("GET", path, None, None, 200)

    def dataset_search_page(rng: random.Random, key: str | None) -> Request:
        return "GET", "/dataset/", {"q": rng.choice(catalogue.SUBJECTS)[1]}, None, 200

    def dataset_page(rng: random.Random, key: str | None) -> Request:
        return "GET", f"/dataset/{catalogue.dataset_name(rng.randrange(datasets))}", None, None, 200

    def api_show(rng: random.Random, key: str | None) -> Request:
        return ("GET", "/api/3/action/package_show", {"id": catalogue.dataset_name(rng.randrange(datasets))},
                None, 200)

    def api_search(rng: random.Random, key: str | None) -> Request:
        params = {"q": rng.choice(catalogue.SUBJECTS)[1], "rows": 20}
        if rng.random() < 0.3:
            params["fq"] = f"organization:{rng.choice(catalogue.ORGANIZATIONS)[0]}"
        return "GET", "/api/3/action/package_search", params, None, 200

    def calendar(rng: random.Random, key: str | None) -> Request:
        return "GET", rng.choice(CALENDARS), None, None, 200

    def report_with_photo(rng: random.Random, key: str | None) -> Request:
        method, path, _, _, expected = open311_get(rng, key)
        lat, lon = 52.06 + rng.random() * 0.04, 5.05 + rng.random() * 0.1
        fields = {"api_key": rng.choice(keys), "service_code": rng.choice(("zwerfafval", "losse-stoeptegel", "groen")),
                  "lat": f"{lat:.6f}", "long": f"{lon:.6f}",
                  "description": "Melding van de belastingtest, met foto: hier ligt iets dat opgeruimd moet worden."}
        return "POST", "/open311/v2/requests.json", None, multipart(fields, "media", "foto.jpg", picture), 201

    return {
        "page: home": (5, page("/")),
        "page: dataset search": (10, dataset_search_page),
        "page: dataset": (15, dataset_page),
        "page: meldingen map": (3, page("/meldingen")),
        "api: package_search": (12, api_search),
        "api: package_show": (8, api_show),
        "calendar .ics poll": (12, calendar),
        "feed: datasets": (5, dataset_feed),
        "feed: vergunningen nearby": (6, permits_feed),
        "feed: meldingen in an area": (4, reports_feed),
        "open311: requests in an area": (8, open311_get),
        "open311: services": (2, page("/open311/v2/services.json")),
        "open311: report with photo": (1, report_with_photo),
    }


def forget_knee_meldingen(box: Sandbox) -> int:
    with psycopg2.connect(box.database_url) as connection, connection.cursor() as cursor:
        cursor.execute("DELETE FROM openoverheid_melding WHERE api_key_id IN "
                       "(SELECT id FROM openoverheid_open311_key WHERE name LIKE %s)", (KEY_PREFIX + "%",))
        return cursor.rowcount


class Harvesting:
    """Harvests of the sandbox's vergunningen source, one after the other, until stopped."""

    def __init__(self, box: Sandbox, source_id: str) -> None:
        self.box, self.source_id = box, source_id
        self.outcomes: list[str] = []
        self.failure: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.outcomes.append(_harvest_outcome(_start_harvest(self.box, self.source_id)))
            except RuntimeError as error:
                self.failure = str(error)[-500:]
                return

    def __enter__(self) -> Harvesting:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def step_figures(report: Report, clients: int) -> dict[str, Any]:
    everything = [value for values in report.latencies.values() for value in values]
    return {"clients": clients, "requests": report.requests, "errors": report.errors,
            "throughput": round(report.throughput, 2), "p50": percentile(everything, 0.5),
            "p95": percentile(everything, 0.95), "error_kinds": dict(report.error_kinds),
            "error_samples": report.error_samples[:5],
            "kinds_p95_ms": {kind: round(percentile(v, 0.95) * 1000) for kind, v in sorted(report.latencies.items())}}


@dataclass(frozen=True)
class Knee:
    """Where a rising load's p95 passed the limit: the steps below it, the first step above it (None
    when none did), the last step below it."""

    below: list[dict[str, Any]]
    knee: dict[str, Any] | None
    last: dict[str, Any] | None

    @property
    def errors_below(self) -> int:
        return sum(step["errors"] for step in self.below)


def find_knee(steps: list[dict[str, Any]], limit: float = KNEE_SECONDS) -> Knee:
    """The knee of ``steps`` (in the order run; each with ``p95`` in seconds and ``errors``)."""
    knee = next((step for step in steps if step["p95"] > limit), None)
    below = steps[: steps.index(knee)] if knee is not None else list(steps)
    return Knee(below=below, knee=knee, last=below[-1] if below else None)


def run(size_name: str) -> list[Result]:
    size = sizes(size_name)
    box = sandboxes(size_name)["big"]
    keys = app_keys(box)
    ensure_calendars(box)
    ini = rate_limited_ini(box)
    load_mix = mix(keys, size.big_datasets)
    steps: list[dict[str, Any]] = []
    with running(ini, BENCH_VAR / "server.log") as server, \
            running_sru(size.harvest_records, harvest_bench.GEMEENTE) as sru_url:
        source_id = _harvest_source(box, sru_url)
        warm = run_load(server.url, 5, 2, mix=load_mix)
        if warm.errors:
            raise RuntimeError(f"the mix fails before any load: {warm.error_samples[:5]}")
        with Harvesting(box, source_id) as harvesting:
            for number, clients in enumerate(size.knee_steps):
                figures = step_figures(run_load(server.url, size.knee_seconds, clients, seed=number, mix=load_mix),
                                       clients)
                steps.append(figures)
                print(f"    {clients} clients: {figures['throughput']} req/s, p95 {ms(figures['p95'])}, "
                      f"{figures['errors']} errors", file=sys.stderr, flush=True)
                if figures["p95"] > KNEE_SECONDS:
                    break
        harvests = harvesting.outcomes
        if harvesting.failure:
            raise RuntimeError(f"the harvest during the load failed: {harvesting.failure}")
    _remove_harvested(box, source_id)
    removed = forget_knee_meldingen(box)
    (BENCH_VAR / f"knee-{size.label}.json").write_text(json.dumps(steps, indent=1))
    found = find_knee(steps)
    below, knee, last, errors_below = found.below, found.knee, found.last, found.errors_below
    where = (f"p95 passed 1 s at {knee['clients']} clients ({ms(knee['p95'])}, {knee['throughput']} req/s)"
             if knee else f"p95 stayed under 1 s up to {steps[-1]['clients']} clients, the last step")
    conditions = (f"gunicorn, {default_workers()} workers x 4 threads; {size.knee_seconds} s a step; rate limits on; "
                  f"{len(harvests)} vergunningen harvests ran meanwhile; {removed} test meldingen removed after")
    trail = "; ".join(f"{s['clients']}: {s['throughput']}/s p95 {ms(s['p95'])}" for s in steps)
    return [
        result("Realistic load: throughput below the knee", None, "",
               (f"{last['throughput']} req/s at {last['clients']} clients (p95 {ms(last['p95'])}); " if last else
                "no step stayed under 1 s; ") + f"{where}; steps {trail}; {conditions}",
               baseline="information: no outside baseline serves this mix (stock CKAN has no feeds, calendars "
                        "or Open311)", steps=steps, harvests=harvests),
        result("Realistic load: errors below the knee", None, "",
               f"{errors_below} errors in {sum(s['requests'] for s in below):,} requests below the knee"
               + (f": {[s['error_samples'] for s in below if s['errors']][:1]}" if errors_below else ""),
               baseline="information: our own error count", errors=errors_below),
    ]


if __name__ == "__main__":
    benchmark_main(run, __doc__)

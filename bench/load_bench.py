"""6. Load: ``bench.load``'s mix against the ``big`` sandbox's server while a harvest runs, for the
throughput and the errors (issue 9: zero failed requests while the portal is harvesting).

The harvest is a real one: ``ckan openoverheid harvest-now`` of a vergunningen source in the same sandbox, in a
process of its own, reading ``bench.sru_server``'s sample feed and writing the DataStore while the
load's clients search, read feeds, ask Open311 and post reports.

The mix runs in two halves, each followed by a quarter as long of the cheapest request CKAN has
(``status_show``) with the same clients: the ratio of the two throughputs says how much of the
server's capacity the real mix leaves, the error count whether it holds. The meldingen the POSTs
created are deleted afterwards, so the geo tables stay as loaded.
"""

from __future__ import annotations

import os
import subprocess
import uuid

import psycopg2

from bench import harvest as harvest_bench
from bench.load import Report, run_load
from bench.measure import Result, benchmark_main, ours_with_ours, result
from bench.sandboxes import BENCH_VAR, VENV, Sandbox, clean_env, run_in_site, sandboxes
from bench.server import running
from bench.sizes import sizes
from bench.sru_server import running_sru

KEY_NAME = "bench-load"
# The conditions of the load line, said beside its figures.
CONDITIONS = ("the harvest started with each half overlaps it only for a fraction of its minute (line 9 runs one the "
              "whole time); rate limits off; gunicorn as make run starts it here")
FLOOR = {"status_show": (1, lambda rng, key: ("GET", "/api/3/action/status_show", None, None, 200))}


def api_key(box: Sandbox) -> str:
    """The Open311 key of the load, made once per sandbox and kept (mode 600) in var/bench/."""
    path = BENCH_VAR / f"{box.name}.open311-key"
    if path.exists():
        return path.read_text().strip()
    name = f"{KEY_NAME}-{uuid.uuid4().hex[:8]}"  # the key of an earlier var/bench may still be in the database
    done = subprocess.run([str(VENV / "bin" / "ckan"), "-c", str(box.ini), "openoverheid", "open311-key", "create",
                           name], env=clean_env(), capture_output=True, text=True, check=True)
    key = done.stdout.strip().splitlines()[-1]
    path.touch(mode=0o600)
    path.write_text(key)
    return key


def forget_load_meldingen(box: Sandbox) -> int:
    with psycopg2.connect(box.database_url) as connection, connection.cursor() as cursor:
        cursor.execute("DELETE FROM openoverheid_melding WHERE api_key_id IN "
                       "(SELECT id FROM openoverheid_open311_key WHERE name LIKE %s)", (KEY_NAME + "%",))
        return cursor.rowcount


def _harvest_source(box: Sandbox, sru_url: str) -> str:
    """The sandbox's vergunningen source, pointed at this run's sample server."""
    output = run_in_site(box, "from bench import harvest; print(harvest.ensure_source(sys.argv[2]))", sru_url)
    return output.strip().splitlines()[-1]


def _remove_harvested(box: Sandbox, source_id: str) -> None:
    """Drop the dataset and DataStore table the load's harvests made: left in the sandbox, the permit
    search of the geo benchmark would search them too, beside the one table its bare query reads."""
    run_in_site(box, "from bench import harvest; harvest.reset(sys.argv[2])", source_id)


def _start_harvest(box: Sandbox, source_id: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(VENV / "bin" / "ckan"), "-c", str(box.ini), "openoverheid", "harvest-now", source_id],
                            env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _harvest_outcome(process: subprocess.Popen[str]) -> str:
    """The harvest's summary line; it must have finished without errors."""
    output, _ = process.communicate(timeout=1800)
    summary = next((line.strip() for line in output.splitlines() if line.startswith("Oogst ")
                    and "fout(en)" in line), "")
    if process.returncode != 0 or not summary:
        raise RuntimeError(f"the harvest during the load failed (exit {process.returncode}): {output[-2000:]}")
    return summary


def merge(reports: list[Report]) -> Report:
    total = Report(seconds=sum(r.seconds for r in reports))
    for report in reports:
        total.requests += report.requests
        total.errors += report.errors
        total.error_samples += report.error_samples
        total.error_kinds.update(report.error_kinds)
        for kind, values in report.latencies.items():
            total.latencies.setdefault(kind, []).extend(values)
    return total


def run(size_name: str) -> list[Result]:
    size = sizes(size_name)
    box = sandboxes(size_name)["big"]
    os.environ.setdefault("PGPASSFILE", str(clean_env()["PGPASSFILE"]))
    key = api_key(box)
    mixed: list[Report] = []
    floor: list[Report] = []
    harvests: list[str] = []
    with running(box.ini, BENCH_VAR / "server.log") as server, \
            running_sru(size.harvest_records, harvest_bench.GEMEENTE) as sru_url:
        source_id = _harvest_source(box, sru_url)
        run_load(server.url, 2, size.load_clients, key)  # warm-up: templates, caches, connections
        for _ in range(2):
            harvesting = _start_harvest(box, source_id)
            mixed.append(run_load(server.url, size.load_seconds / 2, size.load_clients, key))
            harvests.append(_harvest_outcome(harvesting))
            floor.append(run_load(server.url, size.load_seconds / 4, size.load_clients, mix=FLOOR))  # type: ignore[arg-type]
    _remove_harvested(box, source_id)
    removed = forget_load_meldingen(box)
    load, base = merge(mixed), merge(floor)
    summary = load.summary()
    kinds = ", ".join(f"{kind} p95 {figures['p95_ms']:.0f} ms" for kind, figures in summary["kinds"].items())
    samples = ": " + "; ".join(load.error_samples[:3]) if load.error_samples else ""
    return [
        result(
            "Load: errors", load.errors / load.requests if load.requests else None, "",
            f"{load.errors} errors in {load.requests:,} requests ({load.throughput:.1f} req/s, {size.load_clients} "
            f"clients, {load.seconds:.0f} s; {CONDITIONS}; harvests: {'; '.join(harvests)}; {removed} test "
            f"meldingen removed after){samples}",
            baseline=ours_with_ours("our own error count, nothing else"),
            **summary,
        ),
        result(
            "Load: mixed / status_show throughput", load.throughput / base.throughput if base.throughput else None,
            "", f"{load.throughput:.1f} vs {base.throughput:.1f} req/s; {CONDITIONS}; {kinds}",
            baseline="CKAN's own cheapest request (status_show), same clients and server, alternating slices",
            mixed=load.throughput, floor=base.throughput,
        ),
    ]


if __name__ == "__main__":
    benchmark_main(run, __doc__)

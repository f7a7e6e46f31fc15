"""``make bench``: prepare the benchmark sandboxes, load (or find) their data, run every benchmark,
print the table and write ``bench/results/<UTC time>-<git sha>.json`` (the lines, the commit and
whether the tree was dirty, the machine, the versions: ``bench.provenance``), a file to commit.
``make bench-docs`` (``bench.docs``) makes docs/bench.md's table from the newest committed one.

    python -m bench.run [--size quick|full|national] [--only api,export,harvest,geo,feeds,load,woo,search,knee]

Each benchmark runs in a process of its own (CKAN's configuration is global to a process) and
writes its lines to ``var/bench/results-NAME.json``; a benchmark that fails becomes a line that says
so, and the others still run. The loaded data is kept between runs (see docs/bench.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time

from bench import provenance
from bench.measure import Result, read_results
from bench.sandboxes import BENCH_VAR, PYTHON, ROOT, Sandbox, clean_env, prepare, sandboxes
from bench.sizes import SIZES, Sizes, sizes

# name → (module, sandboxes it needs, the line)
BENCHMARKS = {
    "api": ("bench.api_overhead", ("ours", "stock"), "1. API overhead"),
    "export": ("bench.export", ("ours", "big", "mid"), "2. Full-catalogue export"),
    "harvest": ("bench.harvest", ("harvest",), "3. Harvest throughput"),
    "geo": ("bench.geo", ("big",), "4. Geo queries"),
    "feeds": ("bench.feeds", (), "5. Feeds and calendars"),
    "load": ("bench.load_bench", ("big",), "6. Load"),
    "woo": ("bench.woo_sitemap", (), "7. Woo sitemaps"),
    "search": ("bench.search_load", ("big", "bigstock"), "8. Search under concurrent load"),
    "knee": ("bench.load_knee", ("big",), "9. Realistic load at rising concurrency"),
}
# what a run of each size measures unless --only says otherwise: every line (at the national size, those
# whose data does not grow with a catalogue, the API comparison, harvest, feeds and Woo sitemaps, at the full sizes)
BENCHMARKS_BY_SIZE = {"quick": tuple(BENCHMARKS), "full": tuple(BENCHMARKS), "national": tuple(BENCHMARKS)}


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def python(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m ARGS`` in the venv; its stderr (progress) passes through."""
    done = subprocess.run([str(PYTHON), "-m", *args], cwd=ROOT, env=clean_env(), stdout=subprocess.PIPE,
                          stderr=sys.stderr, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"python -m {' '.join(args)} failed (see above)")
    return done


def load_catalogue(box: Sandbox, count: int, clone_from: int | None = None, index_parts: int = 1) -> None:
    """The catalogue of ``box`` with ``count`` datasets (see bench.catalogue), then indexed in Solr by
    ``index_parts`` processes at once."""
    started = time.perf_counter()
    command = ["bench.catalogue", "--ini", str(box.ini), "--flavour", box.flavour, "--count", str(count)]
    if clone_from is not None:
        command += ["--clone-from", str(clone_from)]
    loaded = json.loads(python(*command).stdout.strip().splitlines()[-1])
    indexers = [
        subprocess.Popen([str(PYTHON), "-m", "bench.catalogue", "--ini", str(box.ini), "--index", "--part", str(part),
                          "--parts", str(index_parts)], cwd=ROOT, env=clean_env(), stdout=subprocess.PIPE,
                         stderr=sys.stderr, text=True)
        for part in range(index_parts)
    ]
    outputs = [process.communicate()[0] for process in indexers]
    if any(process.returncode for process in indexers):
        raise RuntimeError(f"indexing the catalogue of {box.name} failed (see above)")
    indexed = sum(json.loads(out.strip().splitlines()[-1])["indexed"] for out in outputs)
    print(f"    {box.name}: {loaded['datasets']:,} datasets ({loaded['created']:,} created, {loaded['copied']:,} "
          f"copied, {indexed:,} indexed; {time.perf_counter() - started:.0f} s)")


def prepare_data(wanted: list[str], size: Sizes) -> None:
    boxes = sandboxes(size.label)
    needed = sorted({name for bench in wanted for name in BENCHMARKS[bench][1]})
    if not needed:
        return
    say(f"Benchmark sandboxes: {', '.join(sorted({boxes[name].name for name in needed}))} "
        "(databases, Solr cores, migrations)")
    for name in needed:
        prepare(boxes[name])
    say("Benchmark data (kept between runs; only what is missing is loaded)")
    templates = min(size.api_datasets, 500)
    if "ours" in needed:
        load_catalogue(boxes["ours"], size.api_datasets)
    if "stock" in needed:
        load_catalogue(boxes["stock"], size.api_datasets)
    if "mid" in needed and boxes["mid"] != boxes["big"]:
        load_catalogue(boxes["mid"], size.mid_datasets, clone_from=templates, index_parts=2)
    if "bigstock" in needed:
        load_catalogue(boxes["bigstock"], size.big_datasets, clone_from=templates, index_parts=2)
    if "big" in needed:
        load_catalogue(boxes["big"], size.big_datasets, clone_from=templates, index_parts=2)
        started = time.perf_counter()
        counts = json.loads(python("bench.geodata", "--ini", str(boxes["big"].ini), "--rows",
                                   str(size.geo_rows)).stdout.strip().splitlines()[-1])
        print(f"    {boxes['big'].name}: {counts['meldingen']:,} meldingen, {counts['vergunningen']:,} permit notices "
              f"({time.perf_counter() - started:.0f} s)")


def run_benchmark(name: str, size: Sizes) -> list[Result]:
    module, _, title = BENCHMARKS[name]
    out = BENCH_VAR / f"results-{name}.json"
    out.unlink(missing_ok=True)
    say(f"{title} ({module})")
    started = time.perf_counter()
    done = subprocess.run([str(PYTHON), "-m", module, "--out", str(out), "--size", size.label],
                          cwd=ROOT, env=clean_env(), stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not out.exists():
        message = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        print(done.stderr[-4000:], file=sys.stderr)
        return [Result(name=title, ratio=None, goal="", met=False, detail=f"benchmark failed: {message[0]}",
                       baseline="none: the benchmark did not run")]
    results = read_results(out)
    for line in results:
        print(f"    {_line(line)}")
    print(f"    ({seconds:.0f} s)")
    return results


def _met(line: Result) -> str:
    return {True: "met", False: "NOT MET", None: "-"}[line.met]


def _line(line: Result) -> str:
    ratio = f"{line.ratio:.2f}x" if line.ratio is not None else "-"
    return f"{line.name}: {ratio} (goal {line.goal or 'none'}: {_met(line)})"


def table(results: list[Result]) -> str:
    rows = [("benchmark", "ratio", "goal", "met", "detail")]
    for line in results:
        ratio = f"{line.ratio:.2f}x" if line.ratio is not None else "-"
        rows.append((line.name, ratio, line.goal or "-", _met(line), line.detail))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    text = []
    for number, row in enumerate(rows):
        text.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
        if number == 0:
            text.append("  ".join("-" * w for w in widths) + "  " + "-" * 6)
    return "\n".join(text)


def record(results: list[Result], *, started: dt.datetime, seconds: float, size: Sizes, wanted: list[str],
           argv: list[str], git: dict[str, object]) -> dict[str, object]:
    """What a results file holds: the run, the code, the machine, the versions and the lines."""
    boxes = sandboxes(size.label)
    needed = sorted({name for bench in wanted for name in BENCHMARKS[bench][1]})
    return {
        "run": {"started": f"{started:%Y-%m-%d %H:%M:%S} UTC", "seconds": round(seconds), "size": size.label,
                "benchmarks": wanted, "command": " ".join(["python -m bench.run", *argv]).strip()},
        "git": git,
        "machine": provenance.machine(),
        "versions": provenance.versions(boxes[name].database_url for name in needed),
        "lines": [line.to_json() for line in results],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=tuple(SIZES), default="full",
                        help="quick: a smoke run of a few minutes; national: 100,000 datasets (docs/bench.md)")
    parser.add_argument("--quick", action="store_true", help="the same as --size quick")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    parser.add_argument("--prepare-only", action="store_true", help="only make the sandboxes and load their data")
    args = parser.parse_args()
    size = sizes("quick" if args.quick else args.size)
    wanted = [name.strip() for name in (args.only or ",".join(BENCHMARKS_BY_SIZE[size.label])).split(",")
              if name.strip()]
    unknown = [name for name in wanted if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    began = dt.datetime.now(dt.UTC)
    git = provenance.git_state()  # the code that runs: taken before anything is written
    started = time.perf_counter()
    prepare_data(wanted, size)
    if args.prepare_only:
        return
    results: list[Result] = []
    for name in wanted:
        results += run_benchmark(name, size)
    seconds = time.perf_counter() - started
    out = provenance.result_path(began, str(git["sha"]))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record(results, started=began, seconds=seconds, size=size, wanted=wanted,
                                     argv=sys.argv[1:], git=git),
                              indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    dirty = ", tree dirty: do not publish it" if git["dirty"] else ""
    say(f"Results ({size.label} run, {seconds:.0f} s; also in {out.relative_to(ROOT)}{dirty})")
    print(table(results))
    missed = [line.name for line in results if line.met is False]
    if missed:
        print(f"\n{len(missed)} of {sum(line.met is not None for line in results)} goals not met; "
              "docs/bench.md says why and what to do.")
    if any(line.detail.startswith("benchmark failed") for line in results):
        sys.exit(1)


if __name__ == "__main__":
    main()

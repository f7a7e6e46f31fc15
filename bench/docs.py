"""``make bench-docs``: write docs/bench.md's results tables from the latest committed result files.

    python -m bench.docs [--results bench/results/FILE.json ...] [--doc docs/bench.md] [--check]

The table sits between two marker lines in the document and is never typed by hand: everything
between them is replaced by what ``render`` makes of the results file, and nothing else in the
document changes. The output depends on the file alone (no clock, no locale, no machine), so running
it again, or on another machine, gives the same bytes. Without ``--results`` it takes, for each size
(national, full, quick), the newest file in ``bench/results/`` that git tracks: a table always points
at a run anyone can read back.
``--check`` changes nothing and exits with 1 when the document is not what the file gives.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.measure import OURS_WITH_OURS
from bench.sandboxes import ROOT

DOC = ROOT / "docs" / "bench.md"
START = "<!-- bench-results:start (made by `make bench-docs` from bench/results/; do not edit) -->"
END = "<!-- bench-results:end -->"


SIZE_ORDER = ("national", "full", "quick")


def latest_committed(root: Path = ROOT) -> list[Path]:
    """The newest results file git tracks of each size, largest size first (names sort by their UTC time)."""
    listed = subprocess.run(["git", "ls-files", "--", "bench/results/*.json"], cwd=root, capture_output=True,
                            text=True, check=True).stdout.split()
    if not listed:
        raise SystemExit("no committed results in bench/results/: run `make bench` and commit its file")
    newest: dict[str, Path] = {}
    for path in sorted((root / name for name in listed), key=lambda path: path.name):
        newest[json.loads(path.read_text(encoding="utf-8"))["run"]["size"]] = path
    return sorted(newest.values(), key=lambda path: _size_rank(json.loads(path.read_text(encoding="utf-8"))))


def _size_rank(results: dict[str, Any]) -> int:
    size = results["run"]["size"]
    return SIZE_ORDER.index(size) if size in SIZE_ORDER else len(SIZE_ORDER)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, no column breaks."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


SIGNS = {"<=": "≤", ">=": "≥"}


def _goal(line: dict[str, Any]) -> str:
    if not line["goal"]:
        return "information" if line["met"] is None else "–"  # without a goal, not met: it did not run
    operator, _, number = line["goal"].partition(" ")
    return f"{SIGNS.get(operator, operator)} {number}"


def _met(line: dict[str, Any]) -> str:
    return {True: "met", False: "**not met**", None: "–"}[line["met"]]


def _gigabytes(size: int | None) -> str:
    return "unknown" if size is None else f"{size / 1024 ** 3:.1f} GB"


def render(results: dict[str, Any], name: str) -> str:
    """The Markdown between the markers for the results file ``name`` (its path, as shown)."""
    run, git, box, versions = results["run"], results["git"], results["machine"], results["versions"]
    lines = results["lines"]
    dirty = " **with uncommitted changes**" if git["dirty"] else ""
    goals = [line for line in lines if line["goal"]]
    met = sum(line["met"] is True for line in goals)
    information = sum(not line["goal"] and line["met"] is None for line in lines)
    failed = sum(not line["goal"] and line["met"] is False for line in lines)
    ours = sum(line["baseline"].startswith(OURS_WITH_OURS) for line in lines)
    text = [
        f"From `{name}`: a {run['size']} run (`{run['command']}`) started {run['started']}, {run['seconds']:,} s, "
        f"at commit `{git['sha'][:12]}`{dirty}.",
        "",
        f"Machine: {box['cpu_cores']} cores ({_cell(box['cpu_model'])}), {_gigabytes(box['memory_bytes'])} memory, "
        f"{_cell(box['os'])}; Python {box['python']}. Versions: "
        + ", ".join(f"{key} {_cell(value)}" for key, value in sorted(versions.items())) + ".",
        "",
        "| line | against | ratio | goal | met | detail |",
        "|---|---|---|---|---|---|",
    ]
    for line in lines:
        text.append(f"| {_cell(line['name'])} | {_cell(line['baseline']) or '–'} | {_ratio(line['ratio'])} | "
                    f"{_goal(line)} | {_met(line)} | {_cell(line['detail'])} |")
    text += [
        "",
        f"{met} of {len(goals)} goals met. {information} lines are information and count for no goal "
        f"({ours} of them compare ours with ours)." + (f" {failed} benchmarks could not run." if failed else ""),
    ]
    return "\n".join(text)


def replace_between_markers(document: str, table: str) -> str:
    before, start, rest = document.partition(START + "\n")
    _, end, after = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"the document lacks the markers {START!r} … {END!r}")
    return f"{before}{START}\n{table}\n{END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, action="append",
                        help="a results file, again for more (default: the newest committed one of each size)")
    parser.add_argument("--doc", type=Path, default=DOC)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the document is stale")
    args = parser.parse_args(argv)
    paths = [path.resolve() for path in (args.results or latest_committed())]
    shown = [path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name for path in paths]
    table = "\n\n".join(render(json.loads(path.read_text(encoding="utf-8")), name)
                         for path, name in zip(paths, shown, strict=True))
    document = args.doc.read_text(encoding="utf-8")
    updated = replace_between_markers(document, table)
    if args.check:
        if updated != document:
            print(f"{args.doc} is not what {', '.join(shown)} give: run `make bench-docs`", file=sys.stderr)
            return 1
        return 0
    if updated != document:
        args.doc.write_text(updated, encoding="utf-8")
    print(f"{args.doc}: tables from {', '.join(shown)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

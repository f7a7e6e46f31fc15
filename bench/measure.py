"""Measuring side by side: interleaved rounds, percentiles, the peak memory of a process, results.

A figure is always ``ours / reference`` (or ``reference / ours`` where the goal is a speed-up), both
measured in the same script, one round of each in turn (ABAB…), so that a neighbour's burst of CPU
slows both sides and not one.
"""

from __future__ import annotations

import json
import math
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Result:
    """One line of the table and of a results file (``bench/results/*.json``).

    ``goal`` is written as it is checked, e.g. ``"<= 1.10"``; ``met`` is None when a line has no goal.
    ``baseline`` names what ours is measured against. A goal is only ever set against something from
    outside (stock CKAN, ckanext-dcat, ckanext-harvest, the bare library or SQL); a line that compares
    ours with ours is information (no goal, ``met`` None) and says so in its baseline.
    """

    name: str
    ratio: float | None
    goal: str
    met: bool | None
    detail: str
    figures: dict[str, Any] = field(default_factory=dict)  # the absolute numbers beside the ratio
    baseline: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.ratio is not None:
            data["ratio"] = round(self.ratio, 3)
        return data


def check(ratio: float | None, goal: str) -> bool | None:
    """Whether ``ratio`` meets ``goal`` (``"<= 1.10"`` or ``">= 2"``); None without a ratio or a goal."""
    if ratio is None or not goal or math.isnan(ratio):
        return None
    operator, _, number = goal.partition(" ")
    limit = float(number)
    if operator == "<=":
        return ratio <= limit
    if operator == ">=":
        return ratio >= limit
    raise ValueError(f"unknown goal {goal!r}: write '<= N' or '>= N'")


OURS_WITH_OURS = "information: ours compared with ours"


def result(name: str, ratio: float | None, goal: str, detail: str, *, baseline: str, **figures: Any) -> Result:
    """A line; ``baseline`` is required, and a goal against ourselves is refused (it would count as a
    win over nothing a user could pick instead)."""
    if not baseline.strip():
        raise ValueError(f"{name}: every line names its baseline")
    if goal and baseline.startswith(OURS_WITH_OURS):
        raise ValueError(f"{name}: a line that compares ours with ours carries no goal")
    return Result(name=name, ratio=ratio, goal=goal, met=check(ratio, goal), detail=detail, figures=figures,
                  baseline=baseline)


def ours_with_ours(what: str) -> str:
    """The baseline of an information line: ours against another run or size of ours."""
    return f"{OURS_WITH_OURS} ({what})"


def first_difference(ours: Sequence[str], theirs: Sequence[str],
                     same: Callable[[str, str], bool] = str.__eq__) -> str | None:
    """Where two answers stop being the same rows in the same order, said in words; None when they are."""
    for position, (mine, other) in enumerate(zip(ours, theirs, strict=False)):
        if not same(mine, other):
            return f"row {position + 1}: ours {mine}, bare {other}"
    if len(ours) != len(theirs):
        position = min(len(ours), len(theirs))
        extra = f"ours {ours[position]}" if len(ours) > position else f"bare {theirs[position]}"
        return f"row {position + 1}: {extra} only ({len(ours)} rows ours, {len(theirs)} bare)"
    return None


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` percentile (0.5, 0.95) by linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def interleaved(sides: dict[str, Callable[[], Any]], rounds: int, warmup: int = 1) -> dict[str, list[float]]:
    """Run each side once per round, in turn (A B A B …, the order flipped every other round so
    that neither side always follows the other), after ``warmup`` unrecorded rounds.
    Returns the seconds of every recorded call, per side."""
    names = list(sides)
    times: dict[str, list[float]] = {name: [] for name in names}
    for number in range(warmup + rounds):
        order = names if number % 2 == 0 else list(reversed(names))
        for name in order:
            started = time.perf_counter()
            sides[name]()
            elapsed = time.perf_counter() - started
            if number >= warmup:
                times[name].append(elapsed)
    return times


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class PeakRss:
    """The peak resident memory of another process (a server) while a block runs.

    Resets the kernel's high-water mark (``/proc/PID/clear_refs``, value 5) at the start and reads
    ``VmHWM`` at the end; a sampling thread (every 10 ms) is the fallback where the reset is not
    allowed. ``baseline`` is the RSS when the block started, ``peak`` the highest seen, in bytes.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.baseline = 0
        self.peak = 0
        self._sampled = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reset = False

    def _status(self, key: str) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
        return 0

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            try:
                self._sampled = max(self._sampled, self._status("VmRSS"))
            except OSError:
                return

    def __enter__(self) -> PeakRss:
        self.baseline = self._status("VmRSS")
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as handle:
                handle.write("5")
            self._reset = True
        except OSError:
            self._reset = False
        self._sampled = self.baseline
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        high_water = self._status("VmHWM") if self._reset else 0
        self.peak = max(high_water, self._sampled)

    @property
    def growth(self) -> int:
        """How far the peak rose above the RSS at the start: what the block itself needed."""
        return max(0, self.peak - self.baseline)


def mb(size: float) -> str:
    return f"{size / 1_048_576:.1f} MB"


def write_results(path: Path, results: list[Result]) -> None:
    """One benchmark's lines (``var/bench/results-NAME.json``, read back by ``bench.run``)."""
    path.write_text(json.dumps([r.to_json() for r in results], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def benchmark_main(run: Callable[[str], list[Result]], description: str | None) -> None:
    """The command line of one benchmark module, as ``bench.run`` calls it: ``--size NAME``, ``--out FILE``."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--size", default="full", help="quick, full or national (bench.sizes)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_results(args.out, run(args.size))


def read_results(path: Path) -> list[Result]:
    return [Result(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


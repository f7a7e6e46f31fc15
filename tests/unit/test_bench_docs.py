"""bench.docs: docs/bench.md's results table is made from a results file, the same bytes every time."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bench import docs

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bench"
RESULTS = FIXTURES / "2026-12-01T080000Z-0123456789ab.json"
EXPECTED = (FIXTURES / "expected-table.md").read_text(encoding="utf-8").rstrip("\n")
DOCUMENT = f"# Benchmarks\n\nBefore.\n\n{docs.START}\nan old table, typed by hand\n{docs.END}\n\nAfter.\n"


def write_doc(tmp_path: Path) -> Path:
    doc = tmp_path / "bench.md"
    doc.write_text(DOCUMENT, encoding="utf-8")
    return doc


def test_the_table_of_a_fixed_results_file_is_the_expected_one(tmp_path):
    doc = write_doc(tmp_path)
    assert docs.main(["--results", str(RESULTS), "--doc", str(doc)]) == 0
    assert doc.read_text(encoding="utf-8") == (
        f"# Benchmarks\n\nBefore.\n\n{docs.START}\n{EXPECTED}\n{docs.END}\n\nAfter.\n")


def test_running_it_again_changes_nothing(tmp_path):
    doc = write_doc(tmp_path)
    docs.main(["--results", str(RESULTS), "--doc", str(doc)])
    first = doc.read_bytes()
    assert docs.main(["--results", str(RESULTS), "--doc", str(doc)]) == 0
    assert doc.read_bytes() == first
    assert docs.main(["--results", str(RESULTS), "--doc", str(doc), "--check"]) == 0


def test_check_fails_on_a_stale_table_and_leaves_it(tmp_path):
    doc = write_doc(tmp_path)
    assert docs.main(["--results", str(RESULTS), "--doc", str(doc), "--check"]) == 1
    assert doc.read_text(encoding="utf-8") == DOCUMENT


def test_a_document_without_markers_is_refused(tmp_path):
    doc = tmp_path / "bench.md"
    doc.write_text("# Benchmarks\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="markers"):
        docs.main(["--results", str(RESULTS), "--doc", str(doc)])


def test_the_latest_committed_results_file_is_taken_not_a_newer_untracked_one(tmp_path):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", str(tmp_path)], check=True)
    results = tmp_path / "bench" / "results"
    results.mkdir(parents=True)
    for name in ("2026-11-29T080000Z-aaaaaaaaaaaa.json", "2026-12-01T080000Z-bbbbbbbbbbbb.json"):
        shutil.copy(RESULTS, results / name)
    subprocess.run([*git, "-C", str(tmp_path), "add", "bench"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "results"], check=True)
    shutil.copy(RESULTS, results / "2026-12-07T080000Z-cccccccccccc.json")  # not committed
    assert [path.name for path in docs.latest_committed(tmp_path)] == ["2026-12-01T080000Z-bbbbbbbbbbbb.json"]


def test_the_newest_committed_file_of_each_size_is_taken_largest_size_first(tmp_path):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", str(tmp_path)], check=True)
    results = tmp_path / "bench" / "results"
    results.mkdir(parents=True)
    fixture = json.loads(RESULTS.read_text(encoding="utf-8"))
    for name, size in (("2026-11-29T080000Z-aaaaaaaaaaaa.json", "full"),
                       ("2026-12-01T080000Z-bbbbbbbbbbbb.json", "quick"),
                       ("2026-12-02T080000Z-cccccccccccc.json", "national"),
                       ("2026-12-03T080000Z-dddddddddddd.json", "quick")):
        (results / name).write_text(json.dumps(dict(fixture, run=dict(fixture["run"], size=size))), encoding="utf-8")
    subprocess.run([*git, "-C", str(tmp_path), "add", "bench"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "results"], check=True)
    assert [path.name for path in docs.latest_committed(tmp_path)] == [
        "2026-12-02T080000Z-cccccccccccc.json", "2026-11-29T080000Z-aaaaaaaaaaaa.json",
        "2026-12-03T080000Z-dddddddddddd.json"]


def test_two_results_files_give_two_tables_in_the_order_given(tmp_path):
    doc = write_doc(tmp_path)
    assert docs.main(["--results", str(RESULTS), "--results", str(RESULTS), "--doc", str(doc)]) == 0
    assert doc.read_text(encoding="utf-8") == (
        f"# Benchmarks\n\nBefore.\n\n{docs.START}\n{EXPECTED}\n\n{EXPECTED}\n{docs.END}\n\nAfter.\n")



def test_a_benchmark_that_could_not_run_is_neither_a_goal_nor_information():
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    results["lines"] = [{"name": "3. Harvest throughput", "ratio": None, "goal": "", "met": False,
                         "detail": "benchmark failed: boom", "figures": {},
                         "baseline": "none: the benchmark did not run"}]
    table = docs.render(results, "x.json")
    assert "| 3. Harvest throughput | none: the benchmark did not run | – | – | **not met** |" in table
    assert table.endswith("0 of 0 goals met. 0 lines are information and count for no goal "
                          "(0 of them compare ours with ours). 1 benchmarks could not run.")


def test_the_published_document_is_what_its_results_file_gives():
    """docs/bench.md's table is the one `make bench-docs` makes from the newest committed result."""
    assert docs.main(["--check"]) == 0

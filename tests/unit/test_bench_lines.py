"""bench.measure: every line names its baseline, ours-with-ours lines carry no goal, and the geo
comparison of two answers finds the first row where they part."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.geo import same_guid
from bench.measure import OURS_WITH_OURS, first_difference, ours_with_ours, result
from bench.provenance import machine, result_path


def test_a_line_without_a_baseline_is_refused():
    with pytest.raises(ValueError, match="baseline"):
        result("API p95", 1.0, "<= 1.10", "detail", baseline=" ")


def test_a_line_comparing_ours_with_ours_cannot_carry_a_goal():
    with pytest.raises(ValueError, match="no goal"):
        result("Harvest re-run", 44.0, ">= 20", "detail", baseline=ours_with_ours("our first run"))
    line = result("Harvest re-run", 44.0, "", "detail", baseline=ours_with_ours("our first run"))
    assert line.met is None
    assert line.baseline.startswith(OURS_WITH_OURS)
    assert line.to_json()["baseline"] == line.baseline


def test_a_goal_against_an_outside_baseline_is_checked():
    assert result("API p95", 1.2, "<= 1.10", "d", baseline="stock CKAN 2.12").met is False
    assert result("API p95", 1.05, "<= 1.10", "d", baseline="stock CKAN 2.12").met is True


def test_the_same_ids_in_the_same_order_are_no_difference():
    assert first_difference(["3", "2", "1"], ["3", "2", "1"]) is None
    assert first_difference([], []) is None


def test_the_same_ids_in_another_order_are_a_difference():
    assert first_difference(["3", "1", "2"], ["3", "2", "1"]) == "row 2: ours 1, bare 2"


def test_other_ids_with_the_same_count_are_a_difference():
    assert first_difference(["3", "2", "9"], ["3", "2", "1"]) == "row 3: ours 9, bare 1"


def test_a_row_missing_on_one_side_is_a_difference():
    assert first_difference(["3", "2"], ["3", "2", "1"]) == "row 3: bare 1 only (2 rows ours, 3 bare)"
    assert first_difference(["3", "2", "1"], ["3", "2"]) == "row 3: ours 1 only (3 rows ours, 2 bare)"


def test_an_rss_guid_is_the_notice_url_or_the_page_link_with_its_identifier():
    assert same_guid("https://zoek.officielebekendmakingen.nl/gmb-1", "https://zoek.officielebekendmakingen.nl/gmb-1")
    assert same_guid("http://site/vergunningen#gmb-2", "#gmb-2")
    assert not same_guid("http://site/vergunningen#gmb-2", "#gmb-3")
    assert first_difference(["http://site/v#b", "u1"], ["#a", "u1"], same_guid) == (
        "row 1: ours http://site/v#b, bare #a")


def test_a_results_file_is_named_by_its_utc_time_and_sha(tmp_path):
    started = dt.datetime(2026, 12, 7, 5, 4, 3, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    path = result_path(started, "0123456789abcdef0123", tmp_path)
    assert path == tmp_path / "2026-12-07T040403Z-0123456789ab.json"


def test_the_machine_is_described():
    described = machine()
    assert described["cpu_cores"] >= 1
    assert described["memory_bytes"] > 0
    assert described["cpu_model"]
    assert described["python"].count(".") == 2


def test_the_knee_is_the_first_step_whose_p95_passes_the_limit_and_counts_only_the_errors_below_it():
    from bench.load_knee import find_knee

    steps = [{"clients": 2, "p95": 0.3, "errors": 0}, {"clients": 4, "p95": 0.8, "errors": 1},
             {"clients": 8, "p95": 1.4, "errors": 5}, {"clients": 12, "p95": 0.9, "errors": 0}]
    found = find_knee(steps, limit=1.0)
    assert found.knee == steps[2] and found.last == steps[1] and found.below == steps[:2]
    assert found.errors_below == 1  # a quieter step after the knee does not count as below it
    assert find_knee(steps[:2], limit=1.0).knee is None
    assert find_knee([{"clients": 2, "p95": 2.0, "errors": 0}], limit=1.0).last is None


def test_the_realistic_load_runs_with_the_rate_limits_the_other_lines_loosen(tmp_path, monkeypatch):
    from bench import load_knee
    from bench.sandboxes import Sandbox

    monkeypatch.setattr(load_knee, "BENCH_VAR", tmp_path)
    box = Sandbox("bench_test", "ours", 1)
    monkeypatch.setattr(Sandbox, "ini", property(lambda self: tmp_path / f"{self.name}.ini"))
    box.ini.write_text("[app:main]\nckanext.openoverheid.meldingen.rate_limit = 100000000\n"
                       "ckanext.openoverheid.open311.rate_limit = 100000000\nckan.site_id = x\n", encoding="utf-8")
    text = load_knee.rate_limited_ini(box).read_text(encoding="utf-8")
    assert "rate_limit" not in text and "ckan.site_id = x" in text


def test_a_national_run_has_its_own_large_sites_and_shares_the_full_run_s_others():
    from bench.sandboxes import sandboxes

    national, full = sandboxes("national"), sandboxes("full")
    assert national["big"].name == "benchn_big" and national["bigstock"].name == "benchn_bigst"
    assert national["bigstock"].flavour == "stock" and national["big"].flavour == "ours"
    assert national["mid"] == full["big"] and national["ours"] == full["ours"]
    assert full["mid"] == full["big"]
    assert len({box.redis_db for box in (national["big"], national["bigstock"], *full.values())}) == 6


def test_the_export_benchmark_forgets_exactly_the_fragments_the_portal_keeps(ckan_config, monkeypatch):
    import fnmatch

    from bench.export import fragment_keys
    from bench.sandboxes import sandboxes
    from ckanext.openoverheid.keys import key_prefix

    box = sandboxes("full")["big"]
    monkeypatch.setitem(ckan_config, "ckan.site_id", box.site_id)
    kept = key_prefix("export-rdf") + "3f2a5c1e-9b7d-4e1f-8a6b-0c2d4e6f8a1b"  # + dataset id
    assert fnmatch.fnmatchcase(kept, fragment_keys(box))
    monkeypatch.setitem(ckan_config, "ckan.site_id", "another-portal")
    assert not fnmatch.fnmatchcase(key_prefix("export-rdf") + "3f2a", fragment_keys(box))

"""Long CLI work shows progress and ends with a summary: the catalogue export and a harvest run now."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from ckan.cli.cli import ckan
from vergunningen_sru_server import records_pages, running_sru_server, sample_records

pytestmark = pytest.mark.usefixtures("portal")

MOTIVATION = "De gegevens bevatten persoonsgegevens van bewoners die niet openbaar mogen worden."


@pytest.fixture
def organization(api) -> dict[str, Any]:
    return api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")


def test_export_writes_every_dataset_with_progress_and_a_summary(cli, api, organization, tmp_path, monkeypatch):
    from ckanext.openoverheid import cli as portal_cli

    monkeypatch.setattr(portal_cli, "EXPORT_PROGRESS_EVERY", 2)
    for index in range(4):
        api("package_create", name=f"open-{index}", title=f"Open {index}", notes="Openbaar",
            owner_org=organization["id"],
            resources=[{"name": "Data", "url": f"https://data.example.nl/open-{index}.csv", "format": "CSV"}])
    api("package_create", name="gesloten", title="Gesloten", notes="Niet openbaar", owner_org=organization["id"],
        access_rights="niet-publiek", woo_grounds=["5.1.2.e"], woo_motivation=MOTIVATION,
        review_date=(datetime.date.today() + datetime.timedelta(days=90)).isoformat(),
        resources=[{"name": "Geheim", "url": "https://data.example.nl/geheimxyz.csv", "format": "CSV"}])

    target = tmp_path / "catalogus.jsonl"
    result = cli.invoke(ckan, ["openoverheid", "export", "jsonl", str(target)])
    assert result.exit_code == 0, result.output
    assert "2/5 datasets" in result.output and "4/5 datasets" in result.output
    assert "Export: 5 datasets als jsonl" in result.output
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert sorted(d["name"] for d in lines) == ["gesloten", "open-0", "open-1", "open-2", "open-3"]
    assert "geheimxyz" not in target.read_text(encoding="utf-8")

    refused = cli.invoke(ckan, ["openoverheid", "export", "pdf", str(target)])
    assert refused.exit_code != 0 and "rdf" in refused.output


def test_harvest_now_runs_a_source_and_summarises(cli, api, organization):
    with running_sru_server() as server:
        server.pages = records_pages(sample_records(12))
        source = api("harvest_source_create", name="bron-vergunningen-utrecht", title="Vergunningen Utrecht",
                     url=server.url, source_type="vergunningen", frequency="MANUAL", owner_org=organization["id"],
                     config=json.dumps({"gemeente": "Utrecht", "pause": 0, "timeout": 2, "page_size": 5}))
        result = cli.invoke(ckan, ["openoverheid", "harvest-now", source["name"]])
    assert result.exit_code == 0, result.output
    assert "Oogst Finished" in result.output and "0 fout(en)" in result.output

    # the Dutch name of before still works
    missing = cli.invoke(ckan, ["openoverheid", "oogst", "bestaat-niet"])
    assert missing.exit_code != 0 and "ckan harvester sources" in missing.output

"""Long CLI work shows progress and ends with a summary (the catalogue export, a harvest run now), and the
command line speaks the portal's language."""

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


def _english_portal_ini(tmp_path, ckan_config) -> str:
    """The test configuration with ``ckan.locale_default = en``: every ``ckan`` run reads its configuration
    file again, so a ``ckan_config`` mark would not reach the command."""
    ini = tmp_path / "english.ini"
    ini.write_text(f"[app:main]\nuse = config:{ckan_config['__file__']}\nckan.locale_default = en\n", encoding="utf-8")
    return str(ini)


def _text(result) -> str:
    """The output with click's line wrapping undone."""
    return " ".join(result.output.split())


def test_the_command_line_speaks_the_portal_language(cli, tmp_path, ckan_config):
    # help and output in ckan.locale_default: Dutch as configured for the tests ...
    group_help = cli.invoke(ckan, ["openoverheid", "--help"])
    assert group_help.exit_code == 0, group_help.output
    assert "Open311-API-sleutels van apps die meldingen versturen" in group_help.output
    assert "Open311 API keys" not in group_help.output
    assert "Gebruik: ckan openoverheid" in group_help.output and "Toon dit bericht en stop." in group_help.output
    review_help = cli.invoke(ckan, ["openoverheid", "review", "--help"])
    assert "Zoek afschermingen" in _text(review_help) and "standaard vandaag" in _text(review_help)
    reindexed = cli.invoke(ckan, ["openoverheid", "reindex"])
    assert reindexed.exit_code == 0, reindexed.output
    assert "Zoekindex vergelijken met de database" in reindexed.output
    assert "Herindexering: 0 verouderd, 0 geïndexeerd, 0 fout(en)." in reindexed.output
    assert "Open Overheid: demogegevens en onderhoud" in cli.invoke(ckan, ["--help"]).output

    # ... and English for a portal configured in English, under the Dutch alias too
    english = {"CKAN_INI": _english_portal_ini(tmp_path, ckan_config)}
    group_help = cli.invoke(ckan, ["openoverheid", "--help"], env=english)
    assert "Open311 API keys of apps that send meldingen" in group_help.output
    assert "Usage: ckan openoverheid" in group_help.output and "Show this message and exit." in group_help.output
    review_help = cli.invoke(ckan, ["openoverheid", "herbeoordeel", "--help"], env=english)
    assert "Find closures past their review date" in _text(review_help) and "default today" in _text(review_help)
    reindexed = cli.invoke(ckan, ["openoverheid", "reindex"], env=english)
    assert reindexed.exit_code == 0, reindexed.output
    assert "Reindex: 0 stale, 0 indexed, 0 error(s)." in reindexed.output
    missing = cli.invoke(ckan, ["openoverheid", "harvest-now", "bestaat-niet"], env=english)
    assert missing.exit_code != 0 and "source not found: check the name" in missing.output

"""Every public dataset the portal makes itself reaches the MQA's Excellent band (≥ 351 of 405) once the
link check has visited its links: the demo's public datasets (files the portal serves itself), the
openheidsregister, the meldingen and verzoeken open data, and the harvested vergunningen and
afvalkalender tables. The link check asks the portal itself
(a live server on a real socket) for every link under ``ckan.site_url``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import ckan.model as model
import live_server as live
import pytest
from afvalkalender_server import route, running_afvalwijzer
from ckan.lib.redis import connect_to_redis
from vergunningen_sru_server import records_pages, running_sru_server, sample_records

from ckanext.openoverheid.demo import catalogue
from ckanext.openoverheid.harvest.run_now import run_source_now
from ckanext.openoverheid.keys import key_prefix
from ckanext.openoverheid.meldingen import opendata as meldingen_opendata
from ckanext.openoverheid.openheid import register_dataset
from ckanext.openoverheid.openheid.policy import is_closed
from ckanext.openoverheid.quality import report
from ckanext.openoverheid.verzoeken import opendata as verzoeken_opendata
from harvesters.afvalkalender.base import amsterdam_today

live_server = live.live_server

EXCELLENT = 351


@pytest.fixture
def checked_against_the_portal(portal: None, live_server: str, ckan_config: Any, monkeypatch: Any) -> Iterator[None]:
    """Links under ckan.site_url (http://test.ckan.net) are asked at the live server; no old results."""
    monkeypatch.setitem(ckan_config, report.PORTAL_URL_OPTION, live_server)
    redis = connect_to_redis()
    for key in redis.scan_iter(key_prefix("quality") + "*"):
        redis.delete(key)
    yield


def score_after_link_check(api: Any, name: str) -> dict[str, Any]:
    dataset = api("package_show", _method="GET", id=name)
    results = report.check_links(dataset)
    assert results and all(result.reachable for result in results), [
        (result.url, result.status, result.error) for result in results if not result.reachable]
    return api("dataset_quality", _method="GET", id=name)


def missing(quality: dict[str, Any]) -> dict[str, str]:
    return {i["key"]: i["missing"] for d in quality["dimensions"] for i in d["indicators"] if i["missing"]}


@pytest.mark.usefixtures("checked_against_the_portal")
def test_every_public_demo_dataset_is_excellent_after_a_link_check(api: Any) -> None:
    catalogue.load()
    public = [d["name"] for d in catalogue.demo_content()["datasets"] if not is_closed(d["access_rights"])]
    assert len(public) == 5
    scores = {name: score_after_link_check(api, name) for name in public}
    # uploaded files: sizes known, links answer, the graph conforms: every point
    assert {name: (q["total"], missing(q)) for name, q in scores.items() if q["total"] < 405} == {}
    assert all(q["band"] == "excellent" for q in scores.values())
    # loading again uploads nothing: the files are compared by size
    messages: list[str] = []
    catalogue.load(progress=messages.append)
    assert not any("uploaded" in message for message in messages), messages
    # a link left by an earlier demo is replaced by the files
    begroting = api("package_show", _method="GET", id="begroting-zwolle-2026")
    api("resource_create", package_id=begroting["id"], name="Begroting (ODS)", format="ODS",
        url="https://data.example.nl/zwolle/begroting-2026.ods")
    catalogue.load()
    resources = api("package_show", _method="GET", id="begroting-zwolle-2026")["resources"]
    assert sorted(r["name"] for r in resources) == ["Begroting (CSV)", "Begroting (JSON)"]
    assert all(r["url_type"] == "upload" for r in resources)


@pytest.mark.usefixtures("checked_against_the_portal")
def test_the_openheidsregister_dataset_is_excellent_after_a_link_check(api: Any) -> None:
    api("organization_create", name="beheer-portaal", title="Beheer portaal")
    register_dataset.ensure_register_dataset("beheer-portaal")
    quality = score_after_link_check(api, register_dataset.DATASET_NAME)
    assert quality["total"] >= EXCELLENT, (quality["total"], missing(quality))


@pytest.mark.usefixtures("checked_against_the_portal")
def test_the_meldingen_open_data_is_excellent_after_a_link_check(api: Any) -> None:
    created = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    dataset, _ = meldingen_opendata.ensure_dataset(model.Group.get(created["id"]))
    quality = score_after_link_check(api, dataset["name"])
    assert quality["total"] >= EXCELLENT, (quality["total"], missing(quality))


@pytest.mark.usefixtures("checked_against_the_portal")
def test_the_verzoeken_open_data_is_excellent_after_a_link_check(api: Any) -> None:
    created = api("organization_create", name="beheer-portaal", title="Beheer portaal")
    dataset, _ = verzoeken_opendata.ensure_dataset(model.Group.get(created["id"]))
    quality = score_after_link_check(api, dataset["name"])
    assert quality["total"] >= EXCELLENT, (quality["total"], missing(quality))


def harvest(api: Any, organization: dict[str, Any], name: str, source_type: str, url: str,
            config: dict[str, Any]) -> str:
    """Run a new source of ``source_type`` once; the name of the dataset it filled."""
    source = api("harvest_source_create", name=name, title=name, url=url, source_type=source_type,
                 frequency="MANUAL", owner_org=organization["id"], config=json.dumps(config))
    summary = run_source_now(source["id"])
    assert summary.status == "Finished" and summary.object_errors == [], summary
    return f"{name}-data"


@pytest.mark.usefixtures("checked_against_the_portal")
def test_a_harvested_vergunningen_table_is_excellent_after_a_link_check(api: Any) -> None:
    organization = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    with running_sru_server() as sru:
        sru.pages = records_pages(sample_records(20))
        name = harvest(api, organization, "bron-vergunningen-utrecht", "vergunningen", sru.url,
                       {"gemeente": "Utrecht", "sinds": "2025-01-01", "pause": 0, "timeout": 2})
    quality = score_after_link_check(api, name)
    assert quality["total"] >= EXCELLENT, (quality["total"], missing(quality))


@pytest.mark.usefixtures("checked_against_the_portal")
def test_a_harvested_afvalkalender_table_is_excellent_after_a_link_check(api: Any) -> None:
    organization = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    address = "3512AH 13"
    with running_afvalwijzer() as provider:
        provider.answer(address, route(amsterdam_today().year))
        name = harvest(api, organization, "bron-afvalkalender-utrecht", "afvalkalender", provider.url,
                       {"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "geheim",
                        "adressen": [address], "pause": 0, "timeout": 3,
                        "contact_email": "afval@utrecht.example"})
    quality = score_after_link_check(api, name)
    assert quality["total"] >= EXCELLENT, (quality["total"], missing(quality))
    assert dt.date.fromisoformat(api("package_show", _method="GET", id=name)["temporal_coverage"][0]["start"])

"""Harvesting another CKAN through its Action API (issue 22): ckanext-harvest's CKAN harvester with the
portal's rules. A second organisation harvests the first one's datasets from this portal's own API (over
a real socket, through the portal's HTTP guard): the copies are new datasets of the harvesting
organisation — the originals, whose ids and names the remote gives, are never touched —, the closed ones
keep their access rights and Woo grounds and arrive without resources (the API withholds them from
anonymous visitors), the private one does not arrive; a second run changes nothing; options that would
assign other organisations or groups are refused."""

from __future__ import annotations

import json
from typing import Any

import ckan.model as model
import harvest_jobs
import live_server as live
import pytest
from ckanext.harvest.model import HarvestSource
from dcat_catalogue import Catalogue, create_catalogue
from harvest_jobs import run_with_queues

pytestmark = pytest.mark.usefixtures("portal")
live_server = live.live_server
empty_queues = harvest_jobs.empty_queues
ONLY_DCATDORP = {"organizations_filter_include": ["gemeente-dcatdorp"]}


@pytest.fixture
def catalogue(api: Any, ckan_config: Any, monkeypatch: Any) -> Catalogue:
    # the served API lives on this machine's loopback address, which sources may not use by default
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.allowed_private_hosts", "127.0.0.1")
    return create_catalogue(api)


def _source(api: Any, url: str, organization: dict[str, Any], name: str, **config: Any) -> dict[str, Any]:
    return api("harvest_source_create", name=name, title="CKAN Dcatdorp", url=url, source_type="ckan",
               frequency="MANUAL", owner_org=organization["id"], config=json.dumps({**ONLY_DCATDORP, **config}))


def _held(api: Any, organization: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = api("package_search", _method="GET", fq=f"owner_org:{organization['id']}", rows=100,
                include_private=True)["results"]
    return {dataset["title"]: api("package_show", _method="GET", id=dataset["id"])
            for dataset in found if dataset.get("type") == "dataset"}


def _as_they_were(api: Any, catalogue: Catalogue) -> dict[str, tuple[Any, ...]]:
    shown = [api("package_show", _method="GET", id=d["id"]) for d in (*catalogue.listed, catalogue.private)]
    return {d["id"]: (d["owner_org"], d["name"], d["metadata_modified"], [r["id"] for r in d["resources"]])
            for d in shown}


def test_a_second_organisation_harvests_this_portals_api_and_a_second_run_changes_nothing(
        app, api, catalogue, live_server, empty_queues):
    originals_before = _as_they_were(api, catalogue)
    harvester = api("organization_create", name="provincie-ckanoogst", title="Provincie Ckanoogst")
    source = _source(api, live_server, harvester, "bron-ckan-dcatdorp")

    first = run_with_queues(source["id"], empty_queues)
    assert first["gather_errors"] == [] and first["object_errors"] == [], first
    copies = _held(api, harvester)
    assert set(copies) == {d["title"] for d in catalogue.listed}, "the public and closed datasets, not the private one"
    assert _as_they_were(api, catalogue) == originals_before, "the originals (same ids on the remote) untouched"
    original_ids = {d["id"] for d in (*catalogue.listed, catalogue.private)}
    assert not {copy["id"] for copy in copies.values()} & original_ids

    public = copies[catalogue.public["title"]]
    assert public["owner_org"] == harvester["id"]
    assert public["access_rights"] == "publiek"
    assert public["theme"] == catalogue.public["theme"]
    assert [(r["url"], r["format"]) for r in public["resources"]] == [
        (r["url"], r["format"]) for r in catalogue.public["resources"]]
    assert not {r["id"] for r in public["resources"]} & {r["id"] for r in catalogue.public["resources"]}
    for original in (catalogue.restricted, catalogue.closed):
        copy = copies[original["title"]]
        assert copy["access_rights"] == original["access_rights"]
        assert sorted(copy["woo_grounds"]) == sorted(original["woo_grounds"])
        assert copy["woo_motivation"] == original["woo_motivation"]
        assert copy["resources"] == [], "a closed dataset arrives without its resources"
    assert catalogue.marker not in json.dumps(copies)
    assert catalogue.private_marker not in json.dumps(copies)

    modified = {title: d["metadata_modified"] for title, d in copies.items()}
    second = run_with_queues(source["id"], empty_queues)
    assert second["gather_errors"] == [] and second["object_errors"] == [], second
    assert second["stats"].get("updated", 0) == 0 and second["stats"].get("added", 0) == 0, second["stats"]
    assert {title: d["metadata_modified"] for title, d in _held(api, harvester).items()} == modified


def test_two_organisations_harvesting_the_same_portal_get_their_own_copies(
        app, api, catalogue, live_server, empty_queues):
    first_org = api("organization_create", name="provincie-ckan-een", title="Provincie Ckan Een")
    second_org = api("organization_create", name="provincie-ckan-twee", title="Provincie Ckan Twee")
    first_source = _source(api, live_server, first_org, "bron-ckan-een")
    # ckanext-harvest allows one source per URL and configuration
    second_source = _source(api, live_server, second_org, "bron-ckan-twee", force_all=True)
    assert run_with_queues(first_source["id"], empty_queues)["object_errors"] == []
    before = {t: (d["id"], d["metadata_modified"]) for t, d in _held(api, first_org).items()}
    assert run_with_queues(second_source["id"], empty_queues)["object_errors"] == []
    assert {t: (d["id"], d["metadata_modified"]) for t, d in _held(api, first_org).items()} == before
    second = _held(api, second_org)
    assert set(second) == set(before)
    assert all(d["owner_org"] == second_org["id"] for d in second.values())
    assert not {copy_id for copy_id, _ in before.values()} & {d["id"] for d in second.values()}


def test_a_copy_deleted_here_comes_back_with_the_next_run(app, api, catalogue, live_server, empty_queues):
    harvester = api("organization_create", name="provincie-ckan-terug", title="Provincie Ckan Terug")
    source = _source(api, live_server, harvester, "bron-ckan-terug")
    assert run_with_queues(source["id"], empty_queues)["object_errors"] == []
    copy = _held(api, harvester)[catalogue.public["title"]]
    api("package_delete", id=copy["id"])
    again = run_with_queues(source["id"], empty_queues)
    assert again["gather_errors"] == [] and again["object_errors"] == [], again
    back = api("package_show", _method="GET", id=copy["id"])
    assert (back["state"], back["owner_org"], back["name"]) == ("active", harvester["id"], copy["name"])


def test_a_source_saved_with_a_refused_option_before_stops_at_gather(app, api, catalogue, live_server, empty_queues):
    """A source saved before this plugin refused the option (or written past the API) harvests nothing."""
    harvester = api("organization_create", name="provincie-ckan-oud", title="Provincie Ckan Oud")
    source = _source(api, live_server, harvester, "bron-ckan-oud")
    stored = model.Session.get(HarvestSource, source["id"])
    stored.config = json.dumps({**ONLY_DCATDORP, "remote_orgs": "create"})
    model.Session.commit()
    job = run_with_queues(source["id"], empty_queues)
    assert len(job["gather_errors"]) == 1 and "remote_orgs" in job["gather_errors"][0], job
    assert _held(api, harvester) == {}


@pytest.mark.parametrize("option", [
    {"remote_orgs": "create"}, {"remote_groups": "only_local"}, {"default_groups": ["thema"]},
    {"api_key": "geheim"}, {"default_extras": {"access_rights": "publiek"}}])
def test_options_that_assign_other_organisations_or_groups_are_refused(app, api, sysadmin, option):
    organization = api("organization_create", name="gemeente-opties", title="Gemeente Opties")
    response = app.post("/api/3/action/harvest_source_create", json={
        "name": "bron-opties", "title": "Opties", "url": "https://data.example.org", "source_type": "ckan",
        "frequency": "MANUAL", "owner_org": organization["id"], "config": json.dumps(option)},
        headers={"Authorization": sysadmin["token"]})
    assert response.status_code == 409
    assert next(iter(option)) in json.dumps(response.json["error"]["config"])


def test_a_ckan_source_on_a_private_address_is_refused_when_saved(app, api, sysadmin, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.allowed_private_hosts", "")
    organization = api("organization_create", name="gemeente-ckan-intern", title="Gemeente Ckan Intern")
    response = app.post("/api/3/action/harvest_source_create", json={
        "name": "bron-ckan-intern", "title": "Intern", "url": "http://127.0.0.1:9/", "source_type": "ckan",
        "frequency": "MANUAL", "owner_org": organization["id"]}, headers={"Authorization": sysadmin["token"]})
    assert response.status_code == 409
    assert "127.0.0.1" in json.dumps(response.json["error"]["url"])

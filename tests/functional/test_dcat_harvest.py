"""Harvesting another portal's DCAT catalogue (issue 22): ckanext-dcat's RDF harvester with the portal's
rules. The round trip: a second organisation harvests the first one's catalogue as this portal serves it
(over a real socket, through the portal's HTTP guard), and holds the same public datasets, the closed
ones with their access rights and Woo grounds and without download URLs, none of the private one; a
second run changes nothing; a source of one organisation never writes into another's datasets."""

from __future__ import annotations

import json
from typing import Any

import harvest_jobs
import live_server as live
import pytest
from dcat_catalogue import Catalogue, create_catalogue
from harvest_jobs import run_with_queues

pytestmark = pytest.mark.usefixtures("portal")
live_server = live.live_server
empty_queues = harvest_jobs.empty_queues


@pytest.fixture
def catalogue(api: Any, ckan_config: Any, monkeypatch: Any) -> Catalogue:
    # the served catalogue lives on this machine's loopback address, which sources may not use by default
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.allowed_private_hosts", "127.0.0.1")
    return create_catalogue(api)


def _source(api: Any, url: str, organization: dict[str, Any], name: str = "bron-dcatdorp",
            **config: Any) -> dict[str, Any]:
    return api("harvest_source_create", name=name, title="Catalogus Dcatdorp", url=url, source_type="dcat_rdf",
               frequency="MANUAL", owner_org=organization["id"], config=json.dumps(config))


def _harvested(api: Any, organization: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = api("package_search", _method="GET", fq=f"owner_org:{organization['id']}", rows=100,
                include_private=True)["results"]
    return {dataset["title"]: dataset for dataset in found if dataset.get("type") == "dataset"}


def test_a_second_organisation_harvests_the_served_catalogue_and_a_second_run_changes_nothing(
        app, api, catalogue, live_server, empty_queues):
    harvester = api("organization_create", name="provincie-oogst", title="Provincie Oogst")
    url = f"{live_server}/catalog.ttl?fq=organization:gemeente-dcatdorp"
    source = _source(api, url, harvester)

    first = run_with_queues(source["id"], empty_queues)
    assert first["gather_errors"] == [] and first["object_errors"] == [], first
    copies = _harvested(api, harvester)
    originals = {d["title"]: d for d in (catalogue.public, catalogue.restricted, catalogue.closed)}
    assert set(copies) == set(originals), "the public and closed datasets, not the private one"

    public = copies[catalogue.public["title"]]
    assert public["access_rights"] == "publiek"
    assert [r["url"] for r in public["resources"]] == [r["url"] for r in catalogue.public["resources"]]
    assert public["theme"] == catalogue.public["theme"]
    for original in (catalogue.restricted, catalogue.closed):
        copy = copies[original["title"]]
        assert copy["access_rights"] == original["access_rights"]
        assert sorted(copy["woo_grounds"]) == sorted(original["woo_grounds"])
        assert copy["resources"] == [], "a closed dataset arrives without download URLs"
    assert catalogue.marker not in json.dumps(copies)

    modified = {title: d["metadata_modified"] for title, d in copies.items()}
    second = run_with_queues(source["id"], empty_queues)
    assert second["gather_errors"] == [] and second["object_errors"] == [], second
    assert second["stats"].get("updated", 0) == 0 and second["stats"].get("added", 0) == 0, second["stats"]
    again = _harvested(api, harvester)
    assert {title: d["metadata_modified"] for title, d in again.items()} == modified


def test_a_source_never_writes_into_another_organisations_datasets(app, api, catalogue, live_server, empty_queues):
    """Two organisations harvest the same catalogue: each gets its own copies, and a run of one leaves the
    other's untouched (ckanext-dcat alone would find "the existing dataset" by identifier portal-wide)."""
    url = f"{live_server}/catalog.ttl?fq=organization:gemeente-dcatdorp"
    first_org = api("organization_create", name="provincie-een", title="Provincie Een")
    second_org = api("organization_create", name="provincie-twee", title="Provincie Twee")
    first_source = _source(api, url, first_org, "bron-een")
    # ckanext-harvest allows one source per URL and configuration: the same catalogue, its format named
    second_source = _source(api, url, second_org, "bron-twee", rdf_format="text/turtle")
    assert run_with_queues(first_source["id"], empty_queues)["object_errors"] == []
    before = {t: d["metadata_modified"] for t, d in _harvested(api, first_org).items()}
    assert run_with_queues(second_source["id"], empty_queues)["object_errors"] == []
    assert {t: d["metadata_modified"] for t, d in _harvested(api, first_org).items()} == before
    assert set(_harvested(api, second_org)) == set(before)
    assert not set(d["id"] for d in _harvested(api, first_org).values()) & set(
        d["id"] for d in _harvested(api, second_org).values())


def test_a_source_on_a_private_address_is_refused_when_saved(app, api, sysadmin, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.allowed_private_hosts", "")
    organization = api("organization_create", name="gemeente-nieuwsgierig", title="Gemeente Nieuwsgierig")
    response = app.post("/api/3/action/harvest_source_create", json={
        "name": "bron-intern", "title": "Intern", "url": "http://127.0.0.1:9/catalog.ttl", "source_type": "dcat_rdf",
        "frequency": "MANUAL", "owner_org": organization["id"]}, headers={"Authorization": sysadmin["token"]})
    assert response.status_code == 409
    assert "127.0.0.1" in json.dumps(response.json["error"]["url"])

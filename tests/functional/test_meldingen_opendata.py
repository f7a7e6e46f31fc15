"""The open dataset "Meldingen openbare ruimte <gemeente>": created with the first melding, its
DataStore table, CSV and GeoJSON kept current on every change, hidden meldingen taken out, and
rebuilt from the database by `ckan openoverheid meldingen sync`."""

from __future__ import annotations

import csv
import io

import ckan.plugins.toolkit as tk
import meldingen_support
from click.testing import CliRunner
from meldingen_support import IN_ANDERDORP, create_melding

from ckanext.openoverheid.meldingen.cli import meldingen as meldingen_cli

municipalities = meldingen_support.municipalities
with_open_data = meldingen_support.with_open_data

DATASET = "meldingen-openbare-ruimte-gemeente-testdam"


def _rows(api, table_id):
    return {r["service_request_id"]: r for r in api("datastore_search", _method="GET", resource_id=table_id)["records"]}


def test_the_first_melding_creates_the_dataset_and_each_change_updates_it(app, api, with_open_data):
    editor = with_open_data.editor["name"]
    first = create_melding(description="Tegel los bij de school")
    dataset = api("package_show", _method="GET", id=DATASET)
    assert dataset["title"] == "Meldingen openbare ruimte Testdam"
    assert dataset["organization"]["name"] == "gemeente-testdam"
    assert dataset["access_rights"] == "publiek" and dataset["license_id"] == "cc-zero"
    formats = sorted(r["format"] for r in dataset["resources"])
    assert formats == ["CSV", "DataStore", "GeoJSON"]
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))

    rows = _rows(api, table["id"])
    assert rows[first["id"]]["status"] == "nieuw"
    assert rows[first["id"]]["beschrijving"] == "Tegel los bij de school"
    assert rows[first["id"]]["url"] == f"http://test.ckan.net/meldingen/{first['id']}"

    second = create_melding(service_code="zwerfafval", description="Afval", lat=52.1, lon=5.1)
    tk.get_action("melding_update_create")({"user": editor}, {"id": first["id"], "status": "opgelost"})
    rows = _rows(api, table["id"])
    assert set(rows) == {first["id"], second["id"]}
    assert rows[first["id"]]["status"] == "opgelost" and rows[first["id"]]["open311_status"] == "closed"

    tk.get_action("melding_hide")({"user": editor}, {"id": second["id"], "reason": "Misbruik"})
    assert set(_rows(api, table["id"])) == {first["id"]}

    # the CSV comes straight from the table; the GeoJSON from the same public dicts
    dump = app.get(f"/datastore/dump/{table['id']}?format=csv").get_data(as_text=True)
    records = list(csv.DictReader(io.StringIO(dump.lstrip("\ufeff"))))
    assert [int(r["service_request_id"]) for r in records] == [first["id"]]
    geojson = app.get("/meldingen/open-data/gemeente-testdam.geojson")
    assert geojson.mimetype == "application/geo+json"
    features = geojson.get_json()["features"]
    assert [f["id"] for f in features] == [first["id"]]
    assert features[0]["properties"]["status"] == "opgelost"
    geo_resource = next(r for r in dataset["resources"] if r["format"] == "GeoJSON")
    assert geo_resource["url"].endswith("/meldingen/open-data/gemeente-testdam.geojson")
    assert app.get("/meldingen/open-data/gemeente-nergens.geojson").status_code == 404

    # another municipality gets a dataset of its own
    create_melding(lat=IN_ANDERDORP[0], lon=IN_ANDERDORP[1])
    assert api("package_show", _method="GET", id="meldingen-openbare-ruimte-gemeente-anderdorp")["title"] == (
        "Meldingen openbare ruimte Anderdorp")


def test_sync_rebuilds_the_tables_from_the_database(api, municipalities, ckan_config, monkeypatch):
    # changes made while syncing was off (or failed) ...
    kept = create_melding(description="Blijft")
    hidden = create_melding(description="Wordt verborgen", lat=52.1, lon=5.1)
    tk.get_action("melding_hide")({"user": municipalities.admin["name"]}, {"id": hidden["id"]})
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.datastore_sync", True)
    # ... are brought in by the command
    result = CliRunner().invoke(meldingen_cli, ["sync"])
    assert result.exit_code == 0, result.output
    assert "gemeente-testdam: 1" in result.output
    dataset = api("package_show", _method="GET", id=DATASET)
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    assert set(_rows(api, table["id"])) == {kept["id"]}
    # running it again changes nothing
    assert CliRunner().invoke(meldingen_cli, ["sync"]).exit_code == 0
    assert set(_rows(api, table["id"])) == {kept["id"]}
    assert len(api("package_show", _method="GET", id=DATASET)["resources"]) == 3

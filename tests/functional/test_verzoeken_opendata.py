"""The open dataset "Verzoeken en ideeën": created with the first public request, a DataStore row per
public request kept current on confirmation, support, answer and hiding, without any address; rebuilt
from the database by `ckan openoverheid verzoeken sync`. Requests made and confirmed through the API
and a real SMTP server."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import verzoeken_support
from ckan.tests import factories
from click.testing import CliRunner
from verzoeken_support import api, confirm_from_mail, confirmed_request, unique_email

from ckanext.openoverheid.verzoeken.cli import verzoeken as verzoeken_cli

municipalities = verzoeken_support.municipalities
verzoeken_limits = verzoeken_support.verzoeken_limits
sink = verzoeken_support.sink

DATASET = "verzoeken-en-ideeen"
GROUND = "5.1.2.e"  # the respect for privacy


@pytest.fixture
def with_open_data(verzoeken_limits: Any, ckan_config: Any, monkeypatch: Any) -> Any:
    """``verzoeken_limits`` with the portal's organisation owning the open data, kept current."""
    portal = factories.Organization(name="portaalbeheer", title="Portaalbeheer")
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.verzoeken.opendata_organization", portal["name"])
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.verzoeken.datastore_sync", True)
    return verzoeken_limits


def _table(api_call):
    dataset = api_call("package_show", _method="GET", id=DATASET)
    return dataset, next(r for r in dataset["resources"] if r.get("datastore_active"))


def _rows(api_call, table_id):
    return {r["id"]: r for r in api_call("datastore_search", _method="GET", resource_id=table_id)["records"]}


def test_each_public_request_is_a_row_kept_current_and_hidden_ones_are_removed(app, api, with_open_data, sink):
    editor = with_open_data.editor
    unconfirmed = api_call_create(app, titel="Nog niet bevestigd")
    assert app.get(f"/api/3/action/package_show?id={DATASET}").status_code == 404  # nothing public yet

    requester = unique_email("indiener")
    first = confirmed_request(app, sink, soort="data", titel="Bomen in Testdam", toelichting="Alle bomen.",
                              organisatie="gemeente-testdam", email=requester)
    dataset, table = _table(api)
    assert dataset["title"] == "Verzoeken en ideeën" and dataset["organization"]["name"] == "portaalbeheer"
    assert dataset["access_rights"] == "publiek" and dataset["license_id"] == "cc-zero"
    assert sorted(r["format"] for r in dataset["resources"]) == ["CSV", "DataStore"]
    row = _rows(api, table["id"])[first["id"]]
    assert {k: row[k] for k in ("soort", "titel", "organisatie", "status", "support_count")} == {
        "soort": "data", "titel": "Bomen in Testdam", "organisatie": "gemeente-testdam", "status": "ontvangen",
        "support_count": 1}
    assert row["url"] == f"http://test.ckan.net/verzoeken/{first['id']}"

    supporter = unique_email("steun")
    before = len(sink.messages())
    assert api_post(app, "verzoek_steun", id=first["id"], email=supporter).status_code == 200
    confirm_from_mail(app, sink, supporter, before + 1)
    assert _rows(api, table["id"])[first["id"]]["support_count"] == 2

    answer = factories.Dataset(owner_org=with_open_data.testdam["id"], title="Bomen Testdam")
    assert api_post(app, "verzoek_update", editor, id=first["id"], status="gepubliceerd", dataset=answer["name"],
                    antwoord="Gepubliceerd als open data.").status_code == 200
    row = _rows(api, table["id"])[first["id"]]
    assert row["status"] == "gepubliceerd" and row["dataset"] == answer["name"]
    assert row["antwoord"] == "Gepubliceerd als open data."

    idea = confirmed_request(app, sink, soort="idee", titel="Bankjes langs het water", toelichting="Meer bankjes.",
                             organisatie="gemeente-testdam", lat=52.09, lon=5.12)
    rows = _rows(api, table["id"])
    assert set(rows) == {first["id"], idea["id"]} and unconfirmed not in rows
    assert (rows[idea["id"]]["lat"], rows[idea["id"]]["lon"]) == (52.09, 5.12)

    assert api_post(app, "verzoek_hide", editor, id=idea["id"], reason="Dubbel").status_code == 200
    assert set(_rows(api, table["id"])) == {first["id"]}

    dump = app.get(f"/datastore/dump/{table['id']}?format=csv").get_data(as_text=True)
    records = list(csv.DictReader(io.StringIO(dump.lstrip("\ufeff"))))
    assert [int(r["id"]) for r in records] == [first["id"]]
    for address in (requester, supporter):
        assert address.split("@")[0] not in dump


def test_a_refusal_of_closed_data_carries_its_woo_grounds(app, api, with_open_data, sink):
    verzoek = confirmed_request(app, sink, soort="data", titel="Camerabeelden", toelichting="Alle beelden.",
                                organisatie="gemeente-testdam")
    refused = api_post(app, "verzoek_update", with_open_data.editor, id=verzoek["id"], status="afgewezen",
                       antwoord="De beelden tonen herkenbare voorbijgangers en raken daarmee hun persoonlijke "
                                "levenssfeer; wij publiceren ze daarom niet.",
                       gesloten=True, woo_grounds=[GROUND], review_date=_next_year())
    assert refused.status_code == 200, refused.json
    _, table = _table(api)
    row = _rows(api, table["id"])[verzoek["id"]]
    assert row["status"] == "afgewezen" and row["woo_grounds"] == ",".join(refused.json["result"]["woo_grounds"])


def test_the_sync_command_rebuilds_the_table_from_the_database(app, api, with_open_data, sink, ckan_config,
                                                               monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.verzoeken.datastore_sync", False)
    kept = confirmed_request(app, sink, soort="data", titel="Lantaarnpalen", toelichting="Waar staan ze?")
    hidden = confirmed_request(app, sink, soort="data", titel="Scheldpartij", toelichting="Weg ermee.",
                               organisatie="gemeente-testdam")
    assert api_post(app, "verzoek_hide", with_open_data.editor, id=hidden["id"], reason="Misbruik").status_code == 200
    assert app.get(f"/api/3/action/package_show?id={DATASET}").status_code == 404  # syncing was off

    result = CliRunner().invoke(verzoeken_cli, ["sync"])
    assert result.exit_code == 0, result.output
    _, table = _table(api)
    assert set(_rows(api, table["id"])) == {kept["id"]}
    assert CliRunner().invoke(verzoeken_cli, ["sync"]).exit_code == 0  # again: nothing changes
    assert set(_rows(api, table["id"])) == {kept["id"]}
    assert len(_table(api)[0]["resources"]) == 2


def api_post(app, action, user=None, **fields):
    return api(app, action, user, **fields)


def api_call_create(app, titel):
    created = api_post(app, "verzoek_create", soort="data", titel=titel, toelichting="Wacht op de link.",
                       email=unique_email())
    assert created.status_code == 200
    return created.json["result"]["id"]


def _next_year():
    import datetime as dt

    return (dt.date.today() + dt.timedelta(days=365)).isoformat()

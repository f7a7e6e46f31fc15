"""A portal whose ``ckan.plugins`` lacks ckanext-harvest (and our harvester plugins) still serves the
waste calendars and permits its DataStore holds: ``/afvalkalender/<postcode>/<nr>.ics`` and
``/vergunningen`` with its API and feeds. The tables are made as a harvest would leave them (a
dataset with one DataStore table), on the real PostgreSQL, DataStore and Solr."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import feedparser
import pytest

from ckanext.openoverheid.afvalkalender.table import TABLE as CALENDAR_TABLE
from ckanext.openoverheid.afvalkalender.table import dataset_fields as calendar_dataset_fields
from ckanext.openoverheid.vergunningen import query

PLUGINS_WITHOUT_HARVEST = (
    "openoverheid activity scheming_datasets dcat datastore openoverheid_afvalkalender openoverheid_vergunningen"
)

pytestmark = pytest.mark.ckan_config("ckan.plugins", PLUGINS_WITHOUT_HARVEST)

PERMIT_TYPES = {"document_date": "date", "published_date": "date", "modified": "timestamp",
                "einde_bezwaartermijn": "date", "lat": "float8", "lon": "float8"}


@pytest.fixture
def serving_portal(clean_db: Any, clean_index: Any, with_plugins: Any, migrate_db_for: Any,
                   clean_datastore_db: None, clean_afvalkalender_redis: None) -> dict[str, Any]:
    """The portal without harvest; returns the site context and an organisation."""
    migrate_db_for("activity")
    assert not p.plugin_loaded("harvest") and not p.plugin_loaded("openoverheid_afvalkalender_harvester")
    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    organization = tk.get_action("organization_create")(dict(context), {"name": "gemeente-utrecht",
                                                                          "title": "Gemeente Utrecht"})
    return {"context": context, "organization": organization}


def _dataset_with_table(portal: dict[str, Any], fields: dict[str, Any], name: str,
                        table_fields: list[dict[str, Any]], primary_key: list[str],
                        records: list[dict[str, Any]], private: bool = False) -> dict[str, Any]:
    context = portal["context"]
    dataset = tk.get_action("package_create")(
        dict(context), dict(fields, name=name, owner_org=portal["organization"]["id"], private=private))
    tk.get_action("datastore_create")(dict(context), {
        "resource": {"package_id": dataset["id"], "name": fields["title"], "format": "DataStore"},
        "fields": table_fields, "primary_key": primary_key, "records": records, "force": True,
    })
    return dataset


def _calendar_rows(today: dt.date) -> list[dict[str, Any]]:
    checked = dt.datetime(today.year, 1, 2, 8, 0).isoformat()
    return [
        {"postcode": "3512AH", "huisnummer": 13, "toevoeging": "", "afvaltype": waste, "omschrijving": label,
         "datum": (today + dt.timedelta(days=days)).isoformat(), "provider_label": label, "bijgewerkt": checked}
        for waste, label, days in (("gft", "Groente-, fruit- en tuinafval", 3), ("papier", "Papier en karton", 10))
    ]


def test_a_calendar_in_the_datastore_is_served_as_ics_json_and_page(app: Any, serving_portal: dict[str, Any]
                                                                     ) -> None:
    today = dt.date.today()
    rows = _calendar_rows(today)
    _dataset_with_table(serving_portal, calendar_dataset_fields("Utrecht"), "afvalkalender-utrecht-data",
                        CALENDAR_TABLE.fields, CALENDAR_TABLE.primary_key, rows)

    ics = app.get("/afvalkalender/3512AH/13.ics")
    assert ics.status_code == 200, ics.get_data(as_text=True)[:500]
    body = ics.get_data(as_text=True)
    assert body.count("BEGIN:VEVENT") == len(rows)
    for row in rows:
        assert f"DTSTART;VALUE=DATE:{row['datum'].replace('-', '')}" in body

    shown = app.get("/afvalkalender/3512AH/13.json").get_json()
    assert [(m["datum"], m["afvaltype"]) for m in shown["ophaalmomenten"]] == [
        (row["datum"], row["afvaltype"]) for row in rows]
    assert shown["gemeente"] == "Utrecht"
    assert shown["organisatie"]["title"] == "Gemeente Utrecht"
    assert shown["dataset"]["name"] == "afvalkalender-utrecht-data"

    page = app.get("/afvalkalender", query_string={"postcode": "3512AH", "huisnummer": "13"})
    assert page.status_code == 200
    assert "Papier en karton" in page.get_data(as_text=True)


def test_an_unknown_address_is_not_fetched_without_the_harvester(app: Any, serving_portal: dict[str, Any]) -> None:
    _dataset_with_table(serving_portal, calendar_dataset_fields("Utrecht"), "afvalkalender-utrecht-data",
                        CALENDAR_TABLE.fields, CALENDAR_TABLE.primary_key, _calendar_rows(dt.date.today()))
    assert app.get("/afvalkalender/3511NV/250.ics").status_code == 404


def _permit(number: int, lat: float, lon: float) -> dict[str, Any]:
    published = dt.date(2026, 3, 1) + dt.timedelta(days=number)
    return {
        "identifier": f"gmb-2026-{number}", "title": f"Kapvergunning Voorstraat {number}", "soort": "kap",
        "fase": "verleend", "document_date": published.isoformat(), "published_date": published.isoformat(),
        "modified": f"{published.isoformat()}T09:00:00", "einde_bezwaartermijn": None, "straat": "Voorstraat",
        "huisnummer": str(number), "postcode": "3512AH", "woonplaats": "Utrecht", "gemeente": "Utrecht",
        "lat": lat, "lon": lon, "url": f"https://zoek.officielebekendmakingen.nl/gmb-2026-{number}.html",
    }


PERMIT_FIELDS = [{"id": column, "type": PERMIT_TYPES.get(column, "text")} for column in query.COLUMNS]
PERMIT_DATASET = {
    "title": "Vergunningen Utrecht", "notes": "Bekendmakingen van vergunningen in de gemeente Utrecht.",
    "license_id": "cc-zero", "theme": ["http://standaarden.overheid.nl/owms/terms/Ruimte_en_infrastructuur"],
    "frequency": "http://publications.europa.eu/resource/authority/frequency/DAILY",
    "access_rights": "publiek",
}


def test_permits_in_the_datastore_are_served_on_the_page_the_api_and_the_feed(
        app: Any, serving_portal: dict[str, Any]) -> None:
    permits = [_permit(1, 52.0907, 5.1214), _permit(2, 52.0911, 5.1230)]
    _dataset_with_table(serving_portal, PERMIT_DATASET, "vergunningen-utrecht-data", PERMIT_FIELDS,
                        ["identifier"], permits)
    # a private dataset with a permit table: not for an anonymous visitor
    _dataset_with_table(serving_portal, dict(PERMIT_DATASET, title="Vergunningen intern"),
                        "vergunningen-intern-data", PERMIT_FIELDS, ["identifier"], [_permit(3, 52.09, 5.12)],
                        private=True)

    found = app.get("/api/openoverheid/vergunningen").get_json()
    assert sorted(row["identifier"] for row in found["results"]) == sorted(p["identifier"] for p in permits)

    page = app.get("/vergunningen")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for permit in permits:
        assert permit["title"] in text
    assert "gmb-2026-3" not in text

    feed = feedparser.parse(app.get("/feeds/vergunningen.atom").get_data())
    assert sorted(entry.title for entry in feed.entries) == sorted(p["title"] for p in permits)

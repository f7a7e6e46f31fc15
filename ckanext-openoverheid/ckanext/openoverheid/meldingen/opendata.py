"""The open dataset "Meldingen openbare ruimte <gemeente>": one per municipality, with a DataStore
table (CSV through CKAN's DataStore dump) and a GeoJSON resource.

Kept current synchronously: every create, status change or hide upserts (or deletes) one row, a
few milliseconds, in the same request. Why not a background job: `make run` starts no worker, a
queued job could lag or be lost unseen, and one row per change is cheap. A failed sync is logged
and never undoes the change (the melding is the source of truth); `ckan openoverheid meldingen
sync` rebuilds every table from the database.

Each organisation's meldingen go into its own dataset only: a dataset of that name owned by
another organisation is never written into; the sync logs that, and ``sync_all``
reports it and goes on with the other organisations.

Columns come from ``records.public_melding`` only: no e-mail, no IP address, and hidden meldingen
are removed from the table.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from sqlalchemy import select

from ckanext.openoverheid import cli_text, opendata_table
from ckanext.openoverheid.meldingen import records, settings
from ckanext.openoverheid.meldingen.model import Melding

log = logging.getLogger(__name__)

DATASET_PREFIX = "meldingen-openbare-ruimte-"
TABLE_FIELDS = [
    {"id": "service_request_id", "type": "int"},
    {"id": "categorie_code", "type": "text"},
    {"id": "categorie", "type": "text"},
    {"id": "status", "type": "text"},
    {"id": "open311_status", "type": "text"},
    {"id": "beschrijving", "type": "text"},
    {"id": "adres", "type": "text"},
    {"id": "lat", "type": "float8"},
    {"id": "lon", "type": "float8"},
    {"id": "gemeld_op", "type": "timestamp"},
    {"id": "bijgewerkt_op", "type": "timestamp"},
    {"id": "foto_url", "type": "text"},
    {"id": "url", "type": "text"},
]
TABLE = opendata_table.TableSpec(
    name="Meldingen (tabel)", description="Eén rij per zichtbare melding; sleutel: service_request_id.",
    fields=TABLE_FIELDS, primary_key=["service_request_id"], indexes=["categorie_code", "status"],
)


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def place_name(title: str) -> str:
    """'Gemeente Utrecht' → 'Utrecht': the dataset title names the place once."""
    for prefix in ("Gemeente ", "gemeente "):
        if title.startswith(prefix):
            return title[len(prefix) :]
    return title


def dataset_name(organization_name: str) -> str:
    return f"{DATASET_PREFIX}{organization_name}"[:100]


def dataset_fields(organization: model.Group) -> dict[str, Any]:
    """DCAT-AP-DONL metadata of the municipality's meldingen dataset (schemas/dataset.yaml)."""
    place = place_name(organization.title or organization.name)
    return {
        "name": dataset_name(organization.name),
        "title": f"Meldingen openbare ruimte {place}",
        "notes": (
            f"Meldingen van inwoners over problemen in de openbare ruimte van {place} (losse tegels, kapotte "
            "straatverlichting, zwerfafval ...) met categorie, status, locatie en de reactie van de gemeente. "
            "Bijgewerkt bij elke wijziging. Zonder persoonsgegevens: e-mailadressen en IP-adressen van melders "
            "worden nooit gepubliceerd; verborgen meldingen staan er niet in. Ook als Open311 GeoReport v2 "
            "op /open311/v2/."
        ),
        "owner_org": organization.id,
        "license_id": "cc-zero",
        "tags": [{"name": "meldingen"}, {"name": "openbare ruimte"}, {"name": "open311"}],
        "theme": ["http://standaarden.overheid.nl/owms/terms/Ruimte_en_infrastructuur"],
        "frequency": "http://publications.europa.eu/resource/authority/frequency/CONT",
        # no contact point: the schema then names the owning organisation (the municipality)
        "spatial_coverage": [{"text": place}],
        # the table holds every melding since the dataset was made
        "temporal_coverage": [{"start": datetime.date.today().isoformat()}],
        "access_rights": "publiek",
    }


def row(melding: dict[str, Any]) -> dict[str, Any]:
    """A table row from a public melding dict."""
    return {
        "service_request_id": melding["id"],
        "categorie_code": melding["service_code"],
        "categorie": melding["category"],
        "status": melding["status"],
        "open311_status": melding["open311_status"],
        "beschrijving": melding["description"],
        "adres": melding["address"],
        "lat": melding["lat"],
        "lon": melding["lon"],
        "gemeld_op": (melding["requested"] or "").replace("+00:00", "") or None,
        "bijgewerkt_op": (melding["updated"] or "").replace("+00:00", "") or None,
        "foto_url": melding["photo_url"],
        "url": melding["url"],
    }


def geojson_feature(melding: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature (WGS84 point) with the public fields."""
    properties = {k: v for k, v in melding.items() if k not in ("lat", "lon", "updates")}
    return {"type": "Feature", "id": melding["id"], "geometry": {"type": "Point", "coordinates": [melding["lon"],
            melding["lat"]]}, "properties": properties}


def ensure_dataset(organization: model.Group) -> tuple[dict[str, Any], dict[str, Any]]:
    """The organisation's meldingen dataset and its DataStore resource, created when missing."""
    wanted = dataset_fields(organization)
    site = settings.site_url()

    def downloads(table_id: str) -> list[dict[str, Any]]:
        return [
            {"name": "Meldingen (CSV)", "url": f"{site}/datastore/dump/{table_id}?format=csv", "format": "CSV",
             "description": "Alle zichtbare meldingen als CSV, rechtstreeks uit de DataStore-tabel."},
            {"name": "Meldingen (GeoJSON)", "url": f"{site}/meldingen/open-data/{organization.name}.geojson",
             "format": "GeoJSON",
             "description": "Alle zichtbare meldingen als GeoJSON FeatureCollection (WGS84), altijd actueel."},
        ]

    return opendata_table.ensure_dataset(
        _context(), organization.id, wanted, TABLE, downloads,
        not_owned=f"The dataset {wanted['name']} belongs to another organisation; the meldingen of "
                  f"{organization.name} are not written into it. Rename or remove that dataset, then run "
                  "`ckan openoverheid meldingen sync`",
    )


def _organization_dict(organization: model.Group) -> dict[str, Any]:
    return {"name": organization.name, "title": organization.title}


def _public(melding: Melding, organization: model.Group) -> dict[str, Any]:
    return records.public_melding(melding, organization=_organization_dict(organization),
                                  site_url=settings.site_url(), lang="nl")


def enabled() -> bool:
    return settings.datastore_sync() and p.plugin_loaded("datastore")


def sync_melding(melding: Melding) -> None:
    """Bring the melding's row in its municipality's table up to date; log, never raise."""
    if not enabled():
        return
    try:
        organization = model.Group.get(melding.organization_id)
        if organization is None:
            return
        _, table = ensure_dataset(organization)
        if melding.hidden:
            tk.get_action("datastore_delete")(
                _context(), {"resource_id": table["id"], "filters": {"service_request_id": melding.id}, "force": True}
            )
        else:
            tk.get_action("datastore_upsert")(
                _context(),
                {"resource_id": table["id"], "records": [row(_public(melding, organization))], "method": "upsert",
                 "force": True},
            )
    except Exception:  # noqa: BLE001 - the melding is saved; the table is rebuilt by `meldingen sync`
        model.Session.rollback()  # whatever the failed action left half-done; the melding is committed
        log.exception("Could not update the open data of melding %s; run `ckan openoverheid meldingen sync`",
                      melding.id)


def sync_all(progress: Callable[[str], None] = lambda message: None) -> int:
    """Rebuild every municipality's table from the database; returns the number of rows written."""
    if not p.plugin_loaded("datastore"):
        raise RuntimeError("The datastore plugin is not enabled; add it to ckan.plugins to publish meldingen")
    written = 0
    organization_ids: Iterable[str] = model.Session.scalars(select(Melding.organization_id).distinct()).all()
    for organization_id in organization_ids:
        organization = model.Group.get(organization_id)
        if organization is None:
            continue
        try:
            _, table = ensure_dataset(organization)
        except opendata_table.DatasetNotOwned as error:
            log.warning("%s", error)
            progress(cli_text._("{organization}: skipped: {error}").format(organization=organization.name, error=error))
            continue
        meldingen = model.Session.scalars(
            select(Melding).where(Melding.organization_id == organization_id).order_by(Melding.id)
        ).all()
        visible = [row(_public(m, organization)) for m in meldingen if not m.hidden]
        for start in range(0, len(visible), 500):
            tk.get_action("datastore_upsert")(
                _context(),
                {"resource_id": table["id"], "records": visible[start : start + 500], "method": "upsert",
                 "force": True},
            )
        for melding in meldingen:
            if melding.hidden:
                tk.get_action("datastore_delete")(
                    _context(),
                    {"resource_id": table["id"], "filters": {"service_request_id": melding.id}, "force": True},
                )
        written += len(visible)
        progress(cli_text._("{organization}: {count} meldingen").format(organization=organization.name,
                                                                        count=len(visible)))
    return written

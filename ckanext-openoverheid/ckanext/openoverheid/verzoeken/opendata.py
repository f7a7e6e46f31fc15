"""The open dataset "Verzoeken en ideeën": every public request as a row of a DataStore table (CSV
through CKAN's DataStore dump), one dataset for the whole portal.

Kept current synchronously, as the meldingen's open data is (see ``meldingen.opendata`` for why not
a background job): confirming a request or a support, an answer and hiding upsert or delete one row.
A failed sync is logged and never undoes the change; ``sync_all`` rebuilds the table.

The dataset belongs to ``ckanext.openoverheid.verzoeken.opendata_organization`` (by default the
organisation that runs the portal, ``ckanext.openoverheid.register_organization``); with neither
set nothing is published. A dataset of that name owned by another organisation is never written into.

Rows come from ``records.public_verzoek`` only: no e-mail address, no IP address; unconfirmed and
hidden requests are not in the table (a request hidden later is removed).
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Iterable
from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from sqlalchemy import select

from ckanext.openoverheid import opendata_table
from ckanext.openoverheid.verzoeken import queries, records, settings
from ckanext.openoverheid.verzoeken.model import Verzoek

log = logging.getLogger(__name__)

DATASET_NAME = "verzoeken-en-ideeen"
TABLE_FIELDS = [
    {"id": "id", "type": "int"},
    {"id": "soort", "type": "text"},
    {"id": "titel", "type": "text"},
    {"id": "toelichting", "type": "text"},
    {"id": "organisatie", "type": "text"},
    {"id": "status", "type": "text"},
    {"id": "antwoord", "type": "text"},
    {"id": "dataset", "type": "text"},
    {"id": "woo_grounds", "type": "text"},
    {"id": "support_count", "type": "int"},
    {"id": "created", "type": "timestamp"},
    {"id": "updated", "type": "timestamp"},
    {"id": "lat", "type": "float8"},
    {"id": "lon", "type": "float8"},
    {"id": "url", "type": "text"},
]

TABLE = opendata_table.TableSpec(
    name="Verzoeken en ideeën (tabel)", description="Eén rij per openbaar verzoek of idee; sleutel: id.",
    fields=TABLE_FIELDS, primary_key=["id"], indexes=["soort", "status", "organisatie"],
)


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def is_public(verzoek: Verzoek) -> bool:
    return verzoek.confirmed is not None and not verzoek.hidden


def dataset_fields(organization: model.Group) -> dict[str, Any]:
    """DCAT-AP-DONL metadata of the dataset (schemas/dataset.yaml)."""
    return {
        "name": DATASET_NAME,
        "title": "Verzoeken en ideeën",
        "notes": (
            "Dataverzoeken en ideeën van inwoners aan de organisaties van dit portaal, met soort, status, "
            "het openbare antwoord, de dataset die een verzoek beantwoordt, de Woo-gronden van een weigering "
            "en het aantal steunbetuigingen. Bijgewerkt bij elke wijziging. Zonder persoonsgegevens: "
            "e-mailadressen en IP-adressen van indieners en steunbetuigers worden nooit gepubliceerd; "
            "onbevestigde en verborgen verzoeken staan er niet in. Ook als RSS/Atom op /feeds/verzoeken.rss."
        ),
        "owner_org": organization.id,
        "license_id": "cc-zero",
        "tags": [{"name": "verzoeken"}, {"name": "participatie"}, {"name": "dataverzoeken"}],
        "theme": ["http://standaarden.overheid.nl/owms/terms/Bestuur"],
        "frequency": "http://publications.europa.eu/resource/authority/frequency/CONT",
        "access_rights": "publiek",
        # every request since the dataset was made, to the portal's organisations across the country
        "temporal_coverage": [{"start": datetime.date.today().isoformat()}],
        "spatial_coverage": [{"text": "Nederland", "uri": "http://publications.europa.eu/resource/authority/country/NLD"}],
    }


def row(verzoek: dict[str, Any]) -> dict[str, Any]:
    """A table row from a public request dict (``records.public_verzoek``)."""
    organization = verzoek.get("organization") or {}
    dataset = verzoek.get("dataset") or {}
    return {
        "id": verzoek["id"],
        "soort": verzoek["soort"],
        "titel": verzoek["titel"],
        "toelichting": verzoek["toelichting"],
        "organisatie": organization.get("name"),
        "status": verzoek["status"],
        "antwoord": verzoek.get("antwoord"),
        "dataset": dataset.get("name"),
        "woo_grounds": ",".join(verzoek.get("woo_grounds") or []) or None,
        "support_count": verzoek["support_count"],
        "created": (verzoek["created"] or "").replace("+00:00", "") or None,
        "updated": (verzoek["updated"] or "").replace("+00:00", "") or None,
        "lat": verzoek.get("lat"),
        "lon": verzoek.get("lon"),
        "url": verzoek["url"],
    }


def public_rows(verzoeken: Iterable[Verzoek]) -> list[dict[str, Any]]:
    """Rows of the public requests among ``verzoeken`` (codes, not translated names)."""
    public = [v for v in verzoeken if is_public(v)]
    session = model.Session
    groups = queries.groups_by_id(session, [v.organization_id for v in public])
    packages = queries.packages_by_id(session, [v.dataset_id for v in public])
    result = []
    for verzoek in public:
        package = packages.get(verzoek.dataset_id or "")
        if package is not None and (package.state != "active" or package.private):
            package = None
        result.append(row(records.public_verzoek(
            verzoek, organization=groups.get(verzoek.organization_id or ""), dataset=package, updates=None,
            site_url=settings.site_url(), _=lambda text: text)))
    return result


def owner() -> model.Group | None:
    name = settings.opendata_organization()
    group = model.Group.get(name) if name else None
    return group if group is not None and group.is_organization and group.state == "active" else None


def ensure_dataset(organization: model.Group) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dataset and its DataStore resource, created when missing."""
    wanted = dataset_fields(organization)

    def downloads(table_id: str) -> list[dict[str, Any]]:
        return [{"name": "Verzoeken en ideeën (CSV)", "format": "CSV",
                 "url": f"{settings.site_url()}/datastore/dump/{table_id}?format=csv",
                 "description": "Alle openbare verzoeken en ideeën als CSV, rechtstreeks uit de DataStore-tabel."}]

    return opendata_table.ensure_dataset(
        _context(), organization.id, wanted, TABLE, downloads,
        not_owned=f"The dataset {wanted['name']} belongs to another organisation; the requests are not written "
                  "into it. Rename or remove that dataset.",
    )


def enabled() -> bool:
    return settings.datastore_sync() and p.plugin_loaded("datastore")


def _write(table_id: str, verzoeken: list[Verzoek]) -> int:
    rows = public_rows(verzoeken)
    for start in range(0, len(rows), 500):
        tk.get_action("datastore_upsert")(_context(), {
            "resource_id": table_id, "records": rows[start:start + 500], "method": "upsert", "force": True})
    gone = [v.id for v in verzoeken if not is_public(v)]
    if gone:
        tk.get_action("datastore_delete")(_context(), {
            "resource_id": table_id, "filters": {"id": gone}, "force": True})
    return len(rows)


def sync_verzoek(verzoek: Verzoek) -> None:
    """Bring the request's row up to date (removed when not public); log, never raise."""
    if not enabled():
        return
    organization = owner()
    if organization is None:
        _warn_no_owner()
        return
    if not is_public(verzoek) and not _dataset_exists():
        return  # nothing to remove, and no reason to create the dataset
    try:
        _, table = ensure_dataset(organization)
        _write(table["id"], [verzoek])
    except Exception:  # noqa: BLE001 - the request is saved; sync_all rebuilds the table
        model.Session.rollback()
        log.exception("Could not update the open data of request %s", verzoek.id)


@functools.cache
def _warn_no_owner() -> None:
    """Once per process: the configuration lacks an owner."""
    log.warning("No organisation owns the open data of the requests; set "
                "ckanext.openoverheid.verzoeken.opendata_organization to publish them")


def _dataset_exists() -> bool:
    return model.Package.get(DATASET_NAME) is not None


def sync_all() -> int:
    """Rebuild the table from the database; returns the number of rows written."""
    if not p.plugin_loaded("datastore"):
        raise RuntimeError("The datastore plugin is not enabled; add it to ckan.plugins to publish requests")
    organization = owner()
    if organization is None:
        raise RuntimeError("Set ckanext.openoverheid.verzoeken.opendata_organization (or "
                           "ckanext.openoverheid.register_organization) to publish the requests")
    _, table = ensure_dataset(organization)
    verzoeken = list(model.Session.scalars(select(Verzoek).order_by(Verzoek.id)))
    return _write(table["id"], verzoeken)

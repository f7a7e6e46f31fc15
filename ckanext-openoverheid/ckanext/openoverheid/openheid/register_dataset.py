"""The openheidsregister as an open dataset of its own ("this register is itself an open dataset").

The dataset describes the register and points at its live distributions (CSV, JSON through the
Action API, RSS and Atom), so that it is found, harvested and exported like any other dataset. It
belongs to the organisation that runs the portal (``ckanext.openoverheid.register_organization``).
A dataset named ``openheidsregister`` of another organisation is never overwritten: the command
says whose it is and what to change.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid import cli_text

DATASET_NAME = "openheidsregister"
ORGANIZATION_OPTION = "ckanext.openoverheid.register_organization"
NLD = "http://publications.europa.eu/resource/authority/language/NLD"
NETHERLANDS = "http://publications.europa.eu/resource/authority/country/NLD"
WOO_IN_FORCE = "2022-05-01"


class RegisterDatasetError(Exception):
    """The register dataset cannot be made; the message says what to configure."""


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _absolute(path: str) -> str:
    return str(tk.config.get("ckan.site_url") or "").rstrip("/") + path


def wanted_dataset(organization: str) -> dict[str, Any]:
    """The dataset dict of the register (without id)."""
    action_url = _absolute("/api/3/action/openheid_register")
    return {
        "name": DATASET_NAME,
        "title": "Openheidsregister",
        "owner_org": organization,
        "notes": (
            "Elke dataset van dit portaal die niet openbaar is, met de organisatie, de openbaarheid "
            "(beperkt of niet-publiek), de weigeringsgronden uit de Wet open overheid, de motivering, de "
            "herbeoordelingsdatum en sinds wanneer; per organisatie het aandeel open datasets. "
            "Overheidsinformatie is openbaar, tenzij een wettelijke grond anders zegt: dit register maakt "
            "zichtbaar wanneer en waarom dat zo is. De gegevens zijn steeds actueel."
        ),
        "license_id": "cc-zero",
        "tags": [{"name": "openheid"}, {"name": "woo"}, {"name": "openbaarheid"}],
        "theme": ["http://standaarden.overheid.nl/owms/terms/Bestuur"],
        "language": [NLD],
        "metadata_language": NLD,
        "frequency": "http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT",
        "dataset_status": "http://data.overheid.nl/status/beschikbaar",
        "access_rights": "publiek",
        "modified": datetime.date.today().isoformat(),
        # from the day the Woo took effect; the whole country's governments may publish here
        "temporal_coverage": [{"start": WOO_IN_FORCE}],
        "spatial_coverage": [{"text": "Nederland", "uri": NETHERLANDS}],
        "resources": [
            {"name": "Openheidsregister (CSV)", "url": _absolute("/openheid.csv"), "format": "CSV",
             "mimetype": "text/csv", "description": "Eén regel per dataset die niet openbaar is."},
            {"name": "Openheidsregister (JSON, API)", "url": action_url, "format": "JSON",
             "mimetype": "application/json",
             "description": "De actie openheid_register van de CKAN Action API, met het aandeel open per organisatie."},
            {"name": "Openheidsregister (RSS)", "url": _absolute("/feeds/openheid.rss"), "format": "RSS",
             "mimetype": "application/rss+xml", "description": "Nieuwe en gewijzigde sluitingen als feed."},
            {"name": "Openheidsregister (Atom)", "url": _absolute("/feeds/openheid.atom"), "format": "ATOM",
             "mimetype": "application/atom+xml", "description": "Dezelfde feed in Atom."},
        ],
    }


def ensure_register_dataset(organization: str | None = None) -> dict[str, Any]:
    """Create or update the register dataset; returns it.

    :param organization: name of the owning organisation; default the configured one
    :raises RegisterDatasetError: when no organisation is given or configured, or it does not exist
    """
    organization = organization or tk.config.get(ORGANIZATION_OPTION)
    if not organization:
        raise RegisterDatasetError(
            cli_text._("No organisation for the openheidsregister: set {option} in ckan.ini or give "
                       "--organization NAME.").format(option=ORGANIZATION_OPTION)
        )
    context = _site_context()
    try:
        owner_dict = tk.get_action("organization_show")(dict(context), {"id": organization, "include_datasets": False})
    except tk.ObjectNotFound:
        raise RegisterDatasetError(
            cli_text._("The organisation '{name}' does not exist; create it first or choose another.").format(
                name=organization)
        ) from None
    wanted = wanted_dataset(organization)
    try:
        existing = tk.get_action("package_show")(dict(context), {"id": DATASET_NAME})
    except tk.ObjectNotFound:
        return tk.get_action("package_create")(dict(context), wanted)
    owner = existing.get("organization") or {}
    if owner.get("name") != owner_dict["name"]:
        raise RegisterDatasetError(
            cli_text._("The dataset '{dataset}' exists already and belongs to the organisation '{owner}', not to "
                       "'{organization}': it is not overwritten. Choose that organisation with --organization or "
                       "in {option}, or have it rename the dataset.").format(
                dataset=DATASET_NAME, owner=owner.get("title") or owner.get("name") or "-",
                organization=owner_dict["name"], option=ORGANIZATION_OPTION)
        )
    wanted["owner_org"] = owner_dict["id"]
    resources_by_url = {r["url"]: r for r in existing.get("resources", [])}
    for resource in wanted["resources"]:
        if resource["url"] in resources_by_url:
            resource["id"] = resources_by_url[resource["url"]]["id"]
    return tk.get_action("package_update")(dict(context), dict(wanted, id=existing["id"]))


def register_dataset_name() -> str | None:
    """The register dataset's name when it exists and is active, for links to it."""
    try:
        pkg = tk.get_action("package_show")(_site_context(), {"id": DATASET_NAME})
    except tk.ObjectNotFound:
        return None
    return pkg["name"] if pkg.get("state") == "active" else None

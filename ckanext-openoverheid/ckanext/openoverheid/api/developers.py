"""The front door for developers: ``/ontwikkelaars`` (``/en/ontwikkelaars``), one page that lists every
way to read the portal by machine (the OpenAPI reference, CKAN's Action API, Open311, DCAT, feeds,
calendars, exports), with working links, curl examples, how to get an Open311 key and the rate limits
as configured.

It is a page of its own next to ``/api/openoverheid/``: that one is generated from the OpenAPI
document and describes our own paths one by one; this one also covers what the document does not
(ckanext-dcat's catalogue, CKAN's Action API, Open311's key) and says which entry point is for what.
A section whose plugin is not loaded is left out, as the front page's tasks are.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, current_app

developers = Blueprint("openoverheid_developers", __name__)

ENDPOINT = "openoverheid_developers.index"


def contact_email() -> str:
    """Where developers write for an Open311 key or with questions (the catalogue's contact point)."""
    return str(tk.config.get("ckanext.openoverheid.catalog_contact_email") or "")


def page_url(anchor: str = "", external: bool = False) -> str:
    url = str(tk.url_for(ENDPOINT, _external=external))
    return f"{url}#{anchor}" if anchor else url


def _site_url() -> str:
    return str(tk.config.get("ckan.site_url") or "").rstrip("/")


def _limit(option: str) -> int:
    try:
        return int(tk.config.get(option) or 0)
    except (TypeError, ValueError):
        return 0


def rate_limits() -> dict[str, int]:
    """The configured limits (0: none), for the page to state."""
    return {
        "meldingen": _limit("ckanext.openoverheid.meldingen.rate_limit"),
        "meldingen_window": max(1, _limit("ckanext.openoverheid.meldingen.rate_limit_window")),
        "open311": _limit("ckanext.openoverheid.open311.rate_limit"),
        "afvalkalender": _limit("ckanext.openoverheid.afvalkalender.on_demand_per_client"),
        "afvalkalender_window": max(1, _limit("ckanext.openoverheid.afvalkalender.on_demand_window")),
    }


def _loaded(*endpoints: str) -> bool:
    return all(endpoint in current_app.view_functions for endpoint in endpoints)


def sections() -> dict[str, bool]:
    """Which parts of the page apply: the plugins behind them are loaded."""
    return {
        "dcat": _loaded("dcat.read_catalog"),
        "export": _loaded("openoverheid_export.datasets"),
        "open311": _loaded("open311.discovery"),
        "meldingen": _loaded("meldingen_feeds.feed", "meldingen.geojson"),
        "vergunningen": _loaded("vergunningen.api"),
        "afvalkalender": _loaded("afvalkalender.zoek"),
        "openheid": _loaded("openheid.register"),
        "woo": _loaded("woo_pages.feed"),
        "verzoeken": _loaded("verzoeken_feeds.feed"),
    }


@developers.route("/ontwikkelaars", endpoint="index")
def index() -> str:
    context: dict[str, Any] = {
        "site_url": _site_url(),
        "api_page": tk.url_for("openoverheid_api.index"),
        "openapi_json": tk.url_for("openoverheid_api.openapi"),
        "contact_email": contact_email(),
        "limits": rate_limits(),
        "has": sections(),
    }
    return tk.render("openoverheid/api/developers.html", context)

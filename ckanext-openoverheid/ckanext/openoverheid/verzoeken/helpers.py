"""Template helpers of the public verzoeken pages: the choices of the form and filters, the map settings,
dates and Woo grounds in the page's language."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from markupsafe import Markup

from ckanext.openoverheid.meldingen import settings as map_settings
from ckanext.openoverheid.verzoeken import records
from ckanext.openoverheid.verzoeken.model import Soort, Status


def verzoeken_map_config(lat: float | None = None, lon: float | None = None, zoom: int | None = None) -> Markup:
    """The map settings as JSON for a ``data-`` attribute (tiles, attribution, start view), the same
    tiles as the other maps of the portal."""
    if lat is None or lon is None:
        lat, lon = map_settings.map_center()
    return Markup.escape(json.dumps({
        "tileUrl": map_settings.tile_url(), "attribution": map_settings.attribution(),
        "center": [lat, lon], "zoom": zoom or 13,
    }, ensure_ascii=False))


def verzoeken_organizations() -> list[dict[str, str]]:
    """The active organisations a resident can address, by title."""
    groups = model.Session.query(model.Group).filter_by(is_organization=True, state="active")
    return sorted(({"name": g.name, "title": g.title or g.name} for g in groups), key=lambda g: g["title"].lower())


def verzoeken_soorten() -> list[dict[str, str]]:
    return [{"code": s.value, "name": records.soort_name(s, tk._)} for s in Soort]


def verzoeken_statuses() -> list[dict[str, str]]:
    return [{"code": s.value, "name": records.status_name(s, tk._)} for s in Status]


def verzoeken_date(value: str | None, with_hours: bool = False) -> str:
    """An ISO date or timestamp as "7 december 2026" (English "December 7, 2026"), in the page's language."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return tk.h.render_datetime(moment, with_hours=with_hours)


def verzoeken_woo_grounds(codes: list[str] | None) -> list[tuple[str, str, str | None]]:
    """(code, label, link to the law) of the Woo grounds of a refusal."""
    return tk.h.openoverheid_woo_ground_links(codes or [])


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "verzoeken_map_config": verzoeken_map_config,
        "verzoeken_organizations": verzoeken_organizations,
        "verzoeken_soorten": verzoeken_soorten,
        "verzoeken_statuses": verzoeken_statuses,
        "verzoeken_date": verzoeken_date,
        "verzoeken_woo_grounds": verzoeken_woo_grounds,
    }

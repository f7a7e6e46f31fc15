"""``/manifest.webmanifest`` and its icons: residents add the portal, the report form and their
afvalkalender to a phone's home screen. Names follow the site title and the page's language."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, abort

from ckanext.openoverheid.served import served
from ckanext.openoverheid.theme import icon, settings

theme = Blueprint("openoverheid_theme", __name__)

# (endpoint, name) of the tasks a resident returns to; left out when its plugin is not loaded
SHORTCUTS = (
    ("meldingen.new", "Report a problem"),
    ("afvalkalender.zoek", "My waste calendar"),
)


def _shortcuts() -> list[dict[str, Any]]:
    return [{"name": tk._(name), "url": tk.url_for(endpoint)} for endpoint, name in served(SHORTCUTS)]


def manifest_document() -> dict[str, Any]:
    title = str(tk.config.get("ckan.site_title") or "")
    colour = settings.theme_colour()
    return {
        "name": title,
        "short_name": title[:30],
        "description": str(tk.config.get("ckan.site_description") or ""),
        "lang": tk.h.lang() or "nl",
        "start_url": tk.url_for("home.index"),
        "scope": tk.url_for("home.index", locale="default"),  # every language of the site
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": colour,
        "icons": [
            {
                "src": tk.url_for("openoverheid_theme.icon", size=size),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in icon.SIZES
        ],
        "shortcuts": _shortcuts(),
    }


@theme.route("/manifest.webmanifest", endpoint="manifest")
def manifest() -> Response:
    body = json.dumps(manifest_document(), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/manifest+json")


@theme.route("/app-icon-<int:size>.png", endpoint="icon")
def app_icon(size: int) -> Response:
    if size not in icon.SIZES:
        abort(404)
    response = Response(icon.app_icon_png(size, settings.theme_colour()), mimetype="image/png")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response

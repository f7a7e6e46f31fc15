"""What every feed view asks of CKAN the same way: a value as a Solr phrase, the site's title, and the
organisation a feed URL names."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def solr_phrase(value: str) -> str:
    """A value as a quoted Solr phrase, so that no character of it can change the query."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def site_title() -> str:
    return str(tk.config.get("ckan.site_title") or "Open Overheid")


def active_organization(name: str) -> dict[str, Any] | None:
    """The active organisation ``name`` (or id), or None when there is none the public may see."""
    if "\x00" in name:  # PostgreSQL refuses a NUL in a query parameter; no organisation has one
        return None
    try:
        organization = tk.get_action("organization_show")({}, {"id": name, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    return organization if organization.get("state") == "active" else None

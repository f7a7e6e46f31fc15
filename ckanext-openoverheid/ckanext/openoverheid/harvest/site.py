"""What harvests and on-demand fetches share: the site user's context and the limits on what a
source may answer. Free of ckanext-harvest: the serving plugins use it too."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def allowed_private_hosts() -> list[str]:
    return tk.config.get("ckanext.openoverheid.allowed_private_hosts").split()


def max_response_bytes() -> int:
    """``ckanext.openoverheid.harvest.max_bytes``: the largest answer a source may send (decoded)."""
    return tk.config.get("ckanext.openoverheid.harvest.max_bytes")

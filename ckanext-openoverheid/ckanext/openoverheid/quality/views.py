"""The organisation's quality page: its datasets by metadata quality score, lowest first, for the
organisation's editors and admins and for sysadmins."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

quality = Blueprint("openoverheid_quality", __name__)

PAGE_LIMIT = 100  # datasets scored on one page; the CLI covers a whole organisation


@quality.route("/organization/<id>/kwaliteit", endpoint="organization")
def organization_quality(id: str) -> Any:  # noqa: A002 - CKAN's name for the route part
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        organization = tk.get_action("organization_show")(context, {"id": id, "include_datasets": False})
        tk.check_access("package_create", context, {"owner_org": organization["id"]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors and admins of this organisation see its metadata quality."))
    found = tk.get_action("package_search")(context, {
        "fq": f'+owner_org:"{organization["id"]}" +dataset_type:dataset', "rows": PAGE_LIMIT,
        "include_private": True, "sort": "name asc"})
    rows = [(dataset, tk.get_action("dataset_quality")(context, {"id": dataset["id"]}))
            for dataset in found["results"]]
    rows.sort(key=lambda row: (row[1]["total"], row[0]["name"]))
    return tk.render("openoverheid/quality/organization.html", {
        "organization": organization, "rows": rows, "count": found["count"], "limit": PAGE_LIMIT})

"""The openheidsregister as a page and as CSV (JSON is the action ``openheid_register``)."""

from __future__ import annotations

import csv
import io

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

openheid = Blueprint("openheid", __name__)

CSV_COLUMNS = (
    "name", "title", "url", "organization", "access_rights", "woo_grounds", "woo_motivation",
    "review_date", "closed_since", "review_expired",
)


def _register() -> dict:
    organization = tk.request.args.get("organization") or None
    return tk.get_action("openheid_register")({}, {"organization": organization} if organization else {})


@openheid.route("/openheid", endpoint="register")
def register_page() -> str:
    return tk.render("openoverheid/openheid/register.html", {"register": _register()})


@openheid.route("/openheid.csv", endpoint="register_csv")
def register_csv() -> Response:
    register = _register()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in register["datasets"]:
        writer.writerow(
            [
                entry["name"], entry["title"], entry["url"], entry["organization"]["name"],
                entry["access_rights"], " ".join(entry["woo_grounds"]), entry["woo_motivation"] or "",
                entry["review_date"] or "", entry["closed_since"] or "", "ja" if entry["review_expired"] else "nee",
            ]
        )
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="openheidsregister.csv"'},
    )

"""The OpenAPI document as JSON (``/api/openoverheid/openapi.json``) and as a page (``/api/openoverheid/``).

The page is rendered on the server from the same document, so what people read and what tools read
cannot differ; it needs no JavaScript and loads nothing from elsewhere.
"""

from __future__ import annotations

import json
from collections import OrderedDict

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.openoverheid.api import conventions, document
from ckanext.openoverheid.feeds.http import conditional_response, etag_for

api = Blueprint("openoverheid_api", __name__)
conventions.apply(api)
api.after_app_request(conventions.add_headers_to_our_actions)


def _site_url() -> str:
    return str(tk.config.get("ckan.site_url") or "").rstrip("/")


@api.route("/api/openoverheid/openapi.json", endpoint="openapi")
def openapi_json() -> Response:
    body = json.dumps(document.served(_site_url()), ensure_ascii=False, indent=2).encode("utf-8")
    return conditional_response(body, etag_for([body]), None, "application/json")


@api.route("/api/openoverheid/", endpoint="index")
def index() -> str:
    raw = document.load()
    by_tag: OrderedDict[str, list[document.Operation]] = OrderedDict(
        (str(tag["name"]), []) for tag in raw.get("tags") or []
    )
    for operation in document.operations(raw):
        by_tag.setdefault(operation.tags[0] if operation.tags else "", []).append(operation)
    tag_descriptions = {str(tag["name"]): str(tag.get("description") or "") for tag in raw.get("tags") or []}
    return tk.render(
        "openoverheid/api/index.html",
        {
            "info": raw["info"],
            "groups": [(tag, tag_descriptions.get(tag, ""), ops) for tag, ops in by_tag.items() if ops],
            "json_url": tk.url_for("openoverheid_api.openapi"),
            "site_url": _site_url(),
        },
    )

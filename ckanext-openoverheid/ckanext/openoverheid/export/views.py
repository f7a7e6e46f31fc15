"""Routes of the full-catalogue export, and 406 for DCAT formats that do not exist.

``/export/datasets.rdf`` (RDF/XML, DCAT-AP-DONL), ``.csv`` and ``.jsonl`` stream every public dataset
in constant memory. They answer conditional requests: the ETag and Last-Modified come from the
number of public datasets and the newest ``metadata_modified``, so a harvester that asks again
without a change gets a 304 without the portal writing the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.dcat.utils import CONTENT_TYPES as DCAT_CONTENT_TYPES
from flask import Blueprint, Response, json, request
from werkzeug.http import http_date, is_resource_modified

from ckanext.openoverheid.export import source, writers

export = Blueprint("openoverheid_export", __name__)

# ckanext-dcat's endpoints that take a format from the URL (/catalog.<_format>, /dataset/<_id>.<_format>)
DCAT_FORMAT_ENDPOINTS = frozenset({"dcat.read_catalog", "dcat.read_dataset", "dcat.read_dataset_series"})


@dataclass(frozen=True)
class ExportFormat:
    mimetype: str
    chunks: Callable[[], Iterator[str]]


def _site_url() -> str:
    return str(tk.config.get("ckan.site_url") or "").rstrip("/")


def _rdf_chunks() -> Iterator[str]:
    return source.rdf_export(source.public_datasets())


def _csv_chunks() -> Iterator[str]:
    return writers.csv_lines(source.public_datasets(), _site_url())


def _jsonl_chunks() -> Iterator[str]:
    return writers.jsonl_lines(source.public_datasets())


EXPORT_FORMATS: dict[str, ExportFormat] = {
    "rdf": ExportFormat("application/rdf+xml", _rdf_chunks),
    "csv": ExportFormat("text/csv", _csv_chunks),
    "jsonl": ExportFormat("application/jsonl", _jsonl_chunks),
}


def not_acceptable(requested: str, supported: list[str]) -> Response:
    """406 as application/problem+json, naming the formats that do exist."""
    body = {
        "type": "about:blank",
        "title": "Not Acceptable",
        "status": 406,
        "detail": tk._("Unknown format '{format}'. Supported formats: {formats}").format(
            format=requested, formats=", ".join(supported)
        ),
        "supported": supported,
    }
    return Response(json.dumps(body), status=406, mimetype="application/problem+json")


def _filename(extension: str) -> str:
    site_id = re.sub(r"[^A-Za-z0-9._-]", "-", str(tk.config.get("ckan.site_id") or "openoverheid"))
    return f"{site_id}-datasets.{extension}"


@export.route("/export/datasets.<extension>", endpoint="datasets")
def datasets(extension: str) -> Response:
    chosen = EXPORT_FORMATS.get(extension)
    if chosen is None:
        return not_acceptable(extension, sorted(EXPORT_FORMATS))

    state = source.catalogue_state()
    headers = {"ETag": state.etag(extension), "Cache-Control": "public, no-cache", "Vary": "Accept-Encoding"}
    if state.newest is not None:
        headers["Last-Modified"] = http_date(state.newest)
    if not is_resource_modified(request.environ, etag=headers["ETag"], last_modified=state.newest):
        return Response(status=304, headers=headers)

    headers["Content-Disposition"] = f'attachment; filename="{_filename(extension)}"'
    return Response(_streamed(chosen), mimetype=chosen.mimetype, headers=headers)


def _streamed(chosen: ExportFormat) -> Iterator[str]:
    """The body runs after the request has ended — CKAN has already removed the request's database
    session — outside any request or application context: it needs none (it searches as an anonymous
    visitor, with an explicit context) and so can leave nothing behind in ``g``. The database session
    it opens is removed when it ends, also when the client goes away halfway."""
    try:
        yield from chosen.chunks()
    finally:
        model.Session.remove()


@export.before_app_request
def refuse_unknown_dcat_format() -> Response | None:
    """ckanext-dcat fails with a 500 on ``/catalog.foo``; answer 406 with the formats it has."""
    rule = request.url_rule
    if rule is None or rule.endpoint not in DCAT_FORMAT_ENDPOINTS:
        return None
    requested = (request.view_args or {}).get("_format")
    if requested is None or requested in DCAT_CONTENT_TYPES:
        return None
    return not_acceptable(str(requested), sorted(DCAT_CONTENT_TYPES))

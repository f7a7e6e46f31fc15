"""Demo Woo publications (``data/publicaties.yaml``): per demo municipality a Woo decision with its
inventory, a council proposal and a covenant, each document a small PDF uploaded through
``resource_create``, the path every upload takes, so the metadata stripping of ``woo/uploader.py``
removes the author the PDF was made with.

Idempotent: a publication is found by its name and a document by its name within it; what exists is
patched only where the file says something else, and a document's file is uploaded once.
"""

from __future__ import annotations

import io
import re
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from werkzeug.datastructures import FileStorage

from ckanext.openoverheid import cli_text
from ckanext.openoverheid.demo import data_text, documents
from ckanext.openoverheid.demo.catalogue import Progress, Summary

# The document fields the file sets; the rest (author, lines) only make the PDF.
DOCUMENT_FIELDS = ("name", "description", "inventarisnummer", "access_rights", "woo_grounds",
                   "woo_motivation", "review_date", "woo_redaction_grounds")
NOT_DATASET_FIELDS = ("documenten",)


def demo_publications() -> list[dict[str, Any]]:
    return yaml.safe_load(data_text("publicaties.yaml"))["publicaties"]


def load(progress: Progress = lambda message: None) -> Summary:
    """Create or bring up to date every demo publication and its documents; counts publications."""
    summary = Summary()
    for wanted in demo_publications():
        publication = _upsert_publication(wanted, summary, progress)
        for document in wanted["documenten"]:
            _upsert_document(publication, document, progress)
    return summary


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _upsert_publication(wanted: dict[str, Any], summary: Summary, progress: Progress) -> dict[str, Any]:
    fields = {key: value for key, value in wanted.items() if key not in NOT_DATASET_FIELDS}
    fields["type"] = "publicatie"
    try:
        existing = tk.get_action("package_show")(_context(), {"id": fields["name"]})
    except tk.ObjectNotFound:
        created = tk.get_action("package_create")(_context(), fields)
        summary.created += 1
        progress(cli_text._("publication {name}: created").format(name=fields["name"]))
        return created
    if (existing.get("organization") or {}).get("name") != fields["owner_org"]:
        raise RuntimeError(f"The dataset {fields['name']} belongs to another organisation than "
                           f"{fields['owner_org']}: the demo does not overwrite it. Rename or remove it first")
    have = dict(existing, owner_org=fields["owner_org"])
    if existing.get("state") == "deleted" or any(have.get(key) != value for key, value in fields.items()):
        updated = tk.get_action("package_patch")(_context(), dict(fields, id=existing["id"], state="active"))
        summary.updated += 1
        progress(cli_text._("publication {name}: updated").format(name=fields["name"]))
        return updated
    summary.unchanged += 1
    return existing


def _upsert_document(publication: dict[str, Any], wanted: dict[str, Any], progress: Progress) -> None:
    fields = {key: wanted[key] for key in DOCUMENT_FIELDS if key in wanted}
    existing = next((r for r in publication.get("resources", []) if r.get("name") == wanted["name"]), None)
    if existing is None:
        filename = _filename(publication["name"], wanted)
        content = documents.pdf(wanted["name"], wanted.get("lines", []), wanted["author"])
        upload = FileStorage(stream=io.BytesIO(content), filename=filename, content_type="application/pdf")
        tk.get_action("resource_create")(_context(), dict(fields, package_id=publication["id"], format="PDF",
                                                          upload=upload))
        progress(cli_text._("document {name}: uploaded").format(name=filename))
        return
    if any(existing.get(key) != value for key, value in fields.items()):
        tk.get_action("resource_patch")(_context(), dict(fields, id=existing["id"]))
        progress(cli_text._("document {name}: updated").format(name=existing["url"].rsplit("/", 1)[-1]))


def _filename(publication: str, document: dict[str, Any]) -> str:
    number = document.get("inventarisnummer")
    slug = re.sub(r"[^a-z0-9]+", "-", document["name"].lower()).strip("-")
    return f"{publication}-{number}-{slug}.pdf" if number else f"{publication}-{slug}.pdf"

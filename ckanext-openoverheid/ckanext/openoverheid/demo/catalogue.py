"""Dutch demo content for `make run`: municipalities as organisations and a handful of datasets.

A public dataset's resources are small files (``data/files/``) uploaded to the portal, so that the
portal serves them itself: their download URLs answer, CKAN knows their size, and the datasets reach
the MQA's Excellent band after a link check (docs/quality.md). Closed datasets keep links that never
answer: their data is not published at all.

Loading is idempotent: an organisation or dataset that exists is updated only when the demo file
says something else, so running it again is quick and never duplicates anything.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from werkzeug.datastructures import FileStorage

from ckanext.openoverheid import cli_text
from ckanext.openoverheid.demo import data_text

Progress = Callable[[str], None]


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def demo_content() -> dict[str, Any]:
    return yaml.safe_load(data_text("demo.yaml"))


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _differs(wanted: dict[str, Any], existing: dict[str, Any]) -> bool:
    for key, value in wanted.items():
        if key in ("resources", "tags"):
            continue
        have = existing.get(key)
        if key == "owner_org":
            have = (existing.get("organization") or {}).get("name")
        if have != value:
            return True
    if "tags" in wanted:
        if sorted(t["name"] for t in existing.get("tags", [])) != sorted(t["name"] for t in wanted["tags"]):
            return True
    if "resources" in wanted:
        have = [(r.get("name"), r.get("url"), r.get("format")) for r in existing.get("resources", [])]
        want = [(r.get("name"), r.get("url"), r.get("format")) for r in wanted["resources"]]
        if have != want:
            return True
    return False


def _upsert(kind: str, wanted: dict[str, Any], summary: Summary, progress: Progress) -> dict[str, Any]:
    try:
        existing = tk.get_action(f"{kind}_show")(_context(), {"id": wanted["name"]})
    except tk.ObjectNotFound:
        created = tk.get_action(f"{kind}_create")(_context(), dict(wanted))
        summary.created += 1
        progress(cli_text._("{kind} {name}: created").format(kind=kind, name=wanted["name"]))
        return created
    if kind == "package" and (existing.get("organization") or {}).get("name") != wanted.get("owner_org"):
        raise RuntimeError(f"The dataset {wanted['name']} belongs to another organisation than "
                           f"{wanted.get('owner_org')}: the demo does not overwrite it. Rename or remove it first")
    if existing.get("state") == "deleted" or _differs(wanted, existing):
        updated = tk.get_action(f"{kind}_update")(_context(), dict(wanted, id=existing["id"]))
        summary.updated += 1
        progress(cli_text._("{kind} {name}: updated").format(kind=kind, name=wanted["name"]))
        return updated
    summary.unchanged += 1
    return existing


def demo_file(name: str) -> bytes:
    return (resources.files(__package__) / "data" / "files" / name).read_bytes()


def upload_files(dataset: dict[str, Any], wanted: list[dict[str, Any]], progress: Progress) -> None:
    """Upload each file resource of ``wanted`` that is missing or whose file changed (by size); remove
    the dataset's other resources (links of an earlier demo)."""
    existing = {resource["name"]: resource for resource in dataset.get("resources", [])}
    names = {spec["name"] for spec in wanted}
    for name, resource in existing.items():
        if name not in names:
            tk.get_action("resource_delete")(_context(), {"id": resource["id"]})
    for spec in wanted:
        content = demo_file(spec["file"])
        fields = {key: value for key, value in spec.items() if key != "file"}
        have = existing.get(spec["name"])
        if have is not None and have.get("url_type") == "upload" and str(have.get("size")) == str(len(content)):
            continue
        upload = FileStorage(stream=io.BytesIO(content), filename=spec["file"],
                             content_type=spec.get("mimetype") or "application/octet-stream")
        if have is None:
            tk.get_action("resource_create")(_context(), dict(fields, package_id=dataset["id"], upload=upload))
        else:
            tk.get_action("resource_update")(_context(), dict(fields, id=have["id"], upload=upload))
        progress(cli_text._("file {name}: uploaded").format(name=spec["file"]))


def load(progress: Progress = lambda message: None) -> Summary:
    content = demo_content()
    summary = Summary()
    for organization in content["organisaties"]:
        _upsert("organization", organization, summary, progress)
    for dataset in content["datasets"]:
        files = [resource for resource in dataset.get("resources", []) if resource.get("file")]
        if files:
            # package_update without "resources" keeps the uploaded ones; they are compared by size below
            dataset = {key: value for key, value in dataset.items() if key != "resources"}
        saved = _upsert("package", dataset, summary, progress)
        if files:
            upload_files(saved, files, progress)
    return summary

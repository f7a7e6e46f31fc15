"""Dutch demo content for `make run`: municipalities as organisations and a handful of datasets.

Loading is idempotent: an organisation or dataset that exists is updated only when the demo file
says something else, so running it again is quick and never duplicates anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

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


def load(progress: Progress = lambda message: None) -> Summary:
    content = demo_content()
    summary = Summary()
    for organization in content["organisaties"]:
        _upsert("organization", organization, summary, progress)
    for dataset in content["datasets"]:
        _upsert("package", dataset, summary, progress)
    return summary

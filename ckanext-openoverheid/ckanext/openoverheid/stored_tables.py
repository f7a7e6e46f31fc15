"""DataStore tables found by their columns, for a portal that serves permits and calendars without
ckanext-harvest (which otherwise says which datasets its sources filled).

A table counts when it has every column the serving code reads, so no query over it can fail on a
missing column. Whose it is, and who may read it, stays CKAN's: its dataset must be an active
dataset, and it is read through ``package_show`` as the viewer, so a private or closed ("open,
tenzij") dataset adds no table for someone who may not see its data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

_TABLES_WITH_COLUMNS = sa.text(
    "SELECT table_name FROM information_schema.columns "
    "WHERE table_schema = 'public' AND column_name = ANY(:columns) "
    "GROUP BY table_name HAVING count(DISTINCT column_name) = :wanted"
)


@dataclass(frozen=True)
class StoredTable:
    """A DataStore table (its resource id) and the dataset dict it belongs to, as the viewer sees it."""

    resource_id: str
    dataset: dict[str, Any]


def tables_with_columns(columns: Sequence[str]) -> list[str]:
    """The resource ids of the DataStore tables that have every one of ``columns``."""
    from ckanext.datastore.backend.postgres import get_read_engine

    with get_read_engine().connect() as connection:
        rows = connection.execute(_TABLES_WITH_COLUMNS, {"columns": list(columns), "wanted": len(set(columns))})
        return [str(name) for (name,) in rows]


def _datasets_of(resource_ids: list[str]) -> dict[str, list[str]]:
    """Active dataset id -> its active resources among ``resource_ids``."""
    if not resource_ids:
        return {}
    query = (
        model.Session.query(model.Resource.id, model.Resource.package_id)
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .filter(model.Resource.id.in_(resource_ids), model.Resource.state == "active",
                model.Package.state == "active", model.Package.type == "dataset")
    )
    found: dict[str, list[str]] = {}
    for resource_id, package_id in query:
        found.setdefault(package_id, []).append(resource_id)
    return found


def _readable(resource_id: str, viewer: dict[str, Any]) -> bool:
    try:
        tk.check_access("datastore_search", dict(viewer), {"resource_id": resource_id})
    except tk.NotAuthorized:
        return False
    return True


def readable_tables(columns: Sequence[str], context: dict[str, Any]) -> list[StoredTable]:
    """The tables with ``columns`` whose dataset and rows the viewer of ``context`` may read, one per
    dataset (its first such table), by dataset name."""
    viewer = {"user": context.get("user") or "", "auth_user_obj": context.get("auth_user_obj")}
    tables = []
    for package_id, resource_ids in _datasets_of(tables_with_columns(columns)).items():
        try:
            dataset = tk.get_action("package_show")(dict(viewer), {"id": package_id})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            continue
        resource = next((r for r in dataset.get("resources", [])
                         if r.get("id") in resource_ids and r.get("datastore_active")), None)
        if resource is not None and _readable(resource["id"], viewer):
            tables.append(StoredTable(resource_id=resource["id"], dataset=dataset))
    return sorted(tables, key=lambda table: str(table.dataset["name"]))

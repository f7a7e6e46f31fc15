"""An open dataset the portal keeps itself from one of its own registers (meldingen, verzoeken): one
dataset per owning organisation, one DataStore table in it, and the downloads made from that table.

The feature says what the dataset and its table are (``dataset_fields``, ``TableSpec``); this module
makes whatever is missing and refuses to write into a dataset of that name that another organisation
owns (a name is portal-wide, the data is the organisation's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk


class DatasetNotOwned(Exception):
    """A dataset with the wanted name exists but belongs to another organisation."""


@dataclass(frozen=True)
class TableSpec:
    """The DataStore table of the dataset: its resource's name and description, columns and keys."""

    name: str
    description: str
    fields: list[dict[str, Any]]
    primary_key: list[str]
    indexes: list[str]


def ensure_dataset(
    context: dict[str, Any],
    organization_id: str,
    wanted: dict[str, Any],
    table: TableSpec,
    downloads: Callable[[str], list[dict[str, Any]]],
    not_owned: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dataset ``wanted`` (created when missing) and its DataStore resource (created with the
    resources ``downloads(table_id)`` when missing). ``not_owned`` is the message of the
    :class:`DatasetNotOwned` raised when the dataset belongs to another organisation."""
    try:
        dataset = tk.get_action("package_show")(dict(context), {"id": wanted["name"]})
    except tk.ObjectNotFound:
        dataset = tk.get_action("package_create")(dict(context), wanted)
    if dataset.get("owner_org") != organization_id:
        raise DatasetNotOwned(not_owned)
    resource = next((r for r in dataset["resources"] if r.get("datastore_active")), None)
    if resource is not None:
        return dataset, resource
    created = tk.get_action("datastore_create")(dict(context), {
        "resource": {"package_id": dataset["id"], "name": table.name, "format": "DataStore",
                     "description": table.description},
        "fields": table.fields,
        "primary_key": table.primary_key,
        "indexes": table.indexes,
        "force": True,
    })
    resource = tk.get_action("resource_show")(dict(context), {"id": created["resource_id"]})
    for download in downloads(resource["id"]):
        tk.get_action("resource_create")(dict(context), dict(download, package_id=dataset["id"]))
    return tk.get_action("package_show")(dict(context), {"id": dataset["id"]}), resource

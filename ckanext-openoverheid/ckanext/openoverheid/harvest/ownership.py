"""Refuse a harvest source whose dataset is not its own to fill, when the source is saved.

Each source of ours (vergunningen, afvalkalender, …) fills one dataset of its own organisation
(``table_target.target_dataset_name``). A source whose dataset already exists in another
organisation, is a harvest source, or is filled by another source is refused at
``harvest_source_create``/``harvest_source_update`` (and the web form, which go through
``package_create``/``package_update``) with an error on ``name`` that says who owns the dataset and
what to change; ``import_stage`` refuses it again, for a source or dataset moved since.

Registered once, by the ``openoverheid_harvest`` plugin (``harvest/logic/action.py``), beside the
source-URL guard (``source_url.py``).
"""

from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.harvest.source_url import guarded_source_types
from ckanext.openoverheid.harvest.table_target import (
    ConflictKind,
    TargetConflict,
    planned_target_name,
    target_conflict,
)


def conflict_message(conflict: TargetConflict) -> str:
    """What is wrong and what to change, in the user's language."""
    if conflict.kind is ConflictKind.OTHER_ORGANIZATION:
        return tk._(
            "This source would fill the dataset {dataset}, which belongs to the organisation {organization}. "
            "A source fills a dataset of its own organisation only: give the source another name, or ask "
            "{organization} to move the dataset."
        ).format(dataset=conflict.dataset_name, organization=conflict.owner_org_title)
    if conflict.kind is ConflictKind.NOT_A_DATASET:
        return tk._(
            "This source would fill the dataset {dataset}, but that name belongs to a harvest source of "
            "{organization}. Give the source another name."
        ).format(dataset=conflict.dataset_name, organization=conflict.owner_org_title)
    return tk._(
        "This source would fill the dataset {dataset}, which the harvest source {source} of {organization} "
        "already fills. Give the source another name."
    ).format(dataset=conflict.dataset_name, source=conflict.other_source, organization=conflict.owner_org_title)


def _organization_id(value: Any) -> str | None:
    group = model.Group.get(str(value)) if value else None
    return group.id if group is not None else None


def refuse_foreign_target(data_dict: dict[str, Any]) -> None:
    """ValidationError on ``name`` when a source of ours would fill a dataset that is not its own.

    A source without a name or organisation is left to the form's own validation.
    """
    data_dict = data_dict or {}
    if data_dict.get("source_type") not in guarded_source_types():
        return
    saved = model.Package.get(str(data_dict.get("id") or "")) if data_dict.get("id") else None
    name = str(data_dict.get("name") or (saved.name if saved is not None else "")).strip()
    owner_org = _organization_id(data_dict.get("owner_org") or (saved.owner_org if saved is not None else None))
    if not name or owner_org is None:
        return
    source_id = saved.id if saved is not None else None
    conflict = target_conflict(source_id, owner_org, planned_target_name(source_id, name, owner_org))
    if conflict is not None:
        raise tk.ValidationError({"name": [conflict_message(conflict)]})

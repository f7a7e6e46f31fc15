"""A work-around for ckanext-harvest 1.6.3 on CKAN 2.12, until ckanext-harvest fixes it.

``harvest_source_reindex`` (run when a job finishes) indexes the source from a dict read with
``validate=False``, so the copy Solr keeps lacks what the harvest schema adds on show: ``source_type``,
``config``, ``frequency``. CKAN 2.12's ``package_show`` answers from that copy, so after the first job
``harvest_source_show`` has no ``source_type`` and ``ckan harvester run-test`` fails with KeyError.
Harvest sources are therefore always read from the database (they are few, and read rarely).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

HARVEST_SOURCE_TYPE = "harvest"


@tk.chained_action
@tk.side_effect_free
def package_show(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """Harvest sources come from the database, not from Solr's incomplete copy."""
    key = (data_dict or {}).get("id") or (data_dict or {}).get("name_or_id") or ""
    package = model.Package.get(key) if key else None
    if package is not None and package.type == HARVEST_SOURCE_TYPE:
        context["use_cache"] = False
    return next_action(context, data_dict)


def get_actions() -> dict[str, Callable[..., Any]]:
    return {"package_show": package_show}

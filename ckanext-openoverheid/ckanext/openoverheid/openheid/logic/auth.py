"""Auth of the openness register, and chained auth that keeps a closed dataset's data from outsiders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.openheid.withholding import activity_is_withheld, resource_is_withheld


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def resource_show(next_auth: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """Closed datasets: no resource, download, preview or DataStore table for outsiders."""
    if resource_is_withheld(context, (data_dict or {}).get("id") or (data_dict or {}).get("resource_id")):
        return {"success": False, "msg": tk._("The data of this dataset is not public.")}
    return next_auth(context, data_dict)


def _withhold_activity_data(next_auth: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]
                            ) -> Any:
    activity_id = (data_dict or {}).get("id") or ""
    if activity_is_withheld(context, activity_id):
        return {"success": False, "msg": tk._("The data of this dataset is not public.")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def activity_data_show(next_auth: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """A closed dataset's old versions hold its resources: not for outsiders."""
    return _withhold_activity_data(next_auth, context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def activity_diff(next_auth: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    return _withhold_activity_data(next_auth, context, data_dict)


@tk.auth_allow_anonymous_access
def openheid_register(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    functions: dict[str, Callable[..., Any]] = {
        "activity_data_show": activity_data_show,
        "activity_diff": activity_diff,
        "openheid_register": openheid_register,
        "resource_show": resource_show,
    }
    return functions

"""Clean answers where CKAN's own actions crash on input from outside (issue 15).

Walking every action as an outsider (``tests/functional/test_action_authz.py``) found CKAN 2.12
actions that answer 500 to a malformed or hostile request: an assertion on a group that does not
exist, a parameter of the wrong type, an auth function that asserts a logged-in user. Each is
chained here to refuse such a request with the error CKAN uses for it (403, 404 or 409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk

Action = Callable[..., Any]


def _data(data_dict: Any) -> dict[str, Any]:
    return data_dict if isinstance(data_dict, dict) else {}


def _existing_group(is_organization: bool) -> Action:
    """``*_member_create``/``*_member_delete``: CKAN asserts that the group exists (500 otherwise)."""

    def action(next_action: Action, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
        group_id = _data(data_dict).get("id")
        group = model.Group.get(group_id) if isinstance(group_id, str) and group_id else None
        if group is None or bool(group.is_organization) != is_organization:
            raise tk.ObjectNotFound(tk._("Organization not found") if is_organization else tk._("Group not found"))
        return next_action(context, data_dict)

    return action


def _dict_parameter(name: str) -> Action:
    def action(next_action: Action, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
        value = _data(data_dict).get(name)
        if value is not None and not isinstance(value, dict):
            raise tk.ValidationError({name: [tk._("Must be a dictionary")]})
        return next_action(context, data_dict)

    return action


def _required(*names: str) -> Action:
    """Actions that read a parameter with ``data_dict[name]`` before validating (a KeyError, 500)."""

    def action(next_action: Action, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
        missing = [name for name in names if not isinstance(_data(data_dict).get(name), str)]
        if missing:
            raise tk.ValidationError({name: [tk._("Missing value")] for name in missing})
        return next_action(context, data_dict)

    return action


def _task_status_update_many(next_action: Action, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    tk.check_access("task_status_update", context, _data(data_dict))
    data = _data(data_dict).get("data")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise tk.ValidationError({"data": [tk._("Must be a list of dictionaries")]})
    return next_action(context, data_dict)


# side-effect free: GET stays allowed
READS = frozenset({"tag_list", "tag_search", "tag_autocomplete", "group_autocomplete", "organization_autocomplete",
                   "datastore_search_sql"})


def _named(name: str, action: Action) -> Action:
    action.__name__ = name
    action.__doc__ = f"CKAN's {name}, refusing malformed input with a clear error instead of a crash."
    if name in READS:
        action = tk.side_effect_free(action)
    return tk.chained_action(action)


def get_actions() -> dict[str, Action]:
    actions = {
        "group_member_create": _existing_group(is_organization=False),
        "group_member_delete": _existing_group(is_organization=False),
        "organization_member_create": _existing_group(is_organization=True),
        "organization_member_delete": _existing_group(is_organization=True),
        "package_create_default_resource_views": _dict_parameter("package"),
        "tag_list": _dict_parameter("fields"),
        "tag_search": _dict_parameter("fields"),
        "tag_autocomplete": _dict_parameter("fields"),
        "task_status_update_many": _task_status_update_many,
        "group_autocomplete": _required("q"),
        "organization_autocomplete": _required("q"),
        "user_invite": _required("group_id"),
    }
    if p.plugin_loaded("datastore"):
        actions["datastore_search_sql"] = _required("sql")
        actions["datastore_run_triggers"] = _required("resource_id")
    return {name: _named(name, action) for name, action in actions.items()}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_collaborator_list(next_auth: Action, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """CKAN's asserts a logged-in user (500 for anonymous callers): refuse them plainly."""
    if not context.get("user"):
        return {"success": False, "msg": tk._("You must be logged in to see a dataset's collaborators.")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def activity_show(next_auth: Action, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """The activity plugin's reads ``include_data`` without the default its action gives it (500)."""
    return next_auth(context, {"include_data": True, **_data(data_dict)})


def get_auth_functions() -> dict[str, Action]:
    functions = {"package_collaborator_list": package_collaborator_list}
    if p.plugin_loaded("activity"):
        functions["activity_show"] = activity_show
    return functions

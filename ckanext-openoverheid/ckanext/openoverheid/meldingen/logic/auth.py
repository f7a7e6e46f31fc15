"""Who may do what with meldingen.

Anyone may report and read (except hidden meldingen). Handling — status changes, responses,
hiding — is for the editors and admins of the municipality (organisation) that handles the
melding; sysadmins may do everything (CKAN lets them pass every auth function).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.meldingen.model import Melding
from ckanext.openoverheid.staff import STAFF_ROLES, is_staff, organization_named, staff_organization_ids

__all__ = ["STAFF_ROLES", "is_staff", "organization_named", "staff_organization_ids", "get_auth_functions"]


def _melding(data_dict: dict[str, Any]) -> Melding | None:
    try:
        return model.Session.get(Melding, int((data_dict or {})["id"]))
    except (KeyError, TypeError, ValueError):
        return None


@tk.auth_allow_anonymous_access
def melding_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


@tk.auth_allow_anonymous_access
def melding_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    melding = _melding(data_dict)
    if melding is not None and melding.hidden and not is_staff(context.get("user"), melding.organization_id):
        return {"success": False, "msg": tk._("This report has been hidden by the municipality.")}
    return {"success": True}


@tk.auth_allow_anonymous_access
def melding_search(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    # Hidden meldingen are filtered by the action to the organisations the user handles.
    return {"success": True}


@tk.auth_allow_anonymous_access
def melding_nearby(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


@tk.auth_allow_anonymous_access
def melding_category_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


def melding_update_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    melding = _melding(data_dict)
    if melding is None or not is_staff(context.get("user"), melding.organization_id):
        return {
            "success": False,
            "msg": tk._("Only editors and admins of the municipality that handles this report may change it."),
        }
    return {"success": True}


def melding_hide(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return melding_update_create(context, data_dict)


def melding_photo_hide(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return melding_update_create(context, data_dict)


def melding_queue(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The handling queue: for anyone who handles meldingen of at least one organisation."""
    if not staff_organization_ids(context.get("user")):
        return {
            "success": False,
            "msg": tk._("The queue is for editors and admins of a municipality that handles reports."),
        }
    return {"success": True}


def melding_statistics(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The dashboard: for the staff of that organisation (of any they handle when none is named)."""
    user = context.get("user")
    name = (data_dict or {}).get("organization")
    if name:
        group = organization_named(name)
        allowed = group is not None and is_staff(user, group.id)
    else:
        allowed = bool(staff_organization_ids(user))
    if not allowed:
        return {"success": False,
                "msg": tk._("The dashboard is for editors and admins of the municipality that handles the reports.")}
    return {"success": True}


# The reporter's follow-up: no account, the signed link in their mail is the authority (the actions
# check it); "my reports" mails only the address itself.
@tk.auth_allow_anonymous_access
def melding_followup(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    return {
        "melding_followup_link_show": melding_followup,
        "melding_reporter_update_create": melding_followup,
        "melding_solved_answer": melding_followup,
        "melding_my_reports_request": melding_followup,
        "melding_my_reports_list": melding_followup,
        "melding_create": melding_create,
        "melding_show": melding_show,
        "melding_search": melding_search,
        "melding_nearby": melding_nearby,
        "melding_category_list": melding_category_list,
        "melding_update_create": melding_update_create,
        "melding_hide": melding_hide,
        "melding_photo_hide": melding_photo_hide,
        "melding_queue": melding_queue,
        "melding_statistics": melding_statistics,
    }

"""Who may do what with requests.

Anyone may ask, support and read (public requests: confirmed and not hidden). Answering — status,
response, the answering dataset, moving a request to another organisation — and hiding are for the
editors and admins of the organisation the request is addressed to; a request addressed to no
organisation is routed by the portal's sysadmins (CKAN lets them pass every auth function).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.staff import is_staff
from ckanext.openoverheid.verzoeken.model import Verzoek


def _verzoek(data_dict: dict[str, Any]) -> Verzoek | None:
    try:
        return model.Session.get(Verzoek, int((data_dict or {})["id"]))
    except (KeyError, TypeError, ValueError):
        return None


def may_handle(user: str | None, verzoek: Verzoek) -> bool:
    return is_staff(user, verzoek.organization_id)


@tk.auth_allow_anonymous_access
def anyone(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


@tk.auth_allow_anonymous_access
def verzoek_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    verzoek = _verzoek(data_dict)
    if verzoek is not None and (verzoek.hidden or verzoek.confirmed is None) and not may_handle(
            context.get("user"), verzoek):
        return {"success": False, "msg": tk._("This request is not public.")}
    return {"success": True}


def verzoek_update(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    verzoek = _verzoek(data_dict)
    if verzoek is None or not may_handle(context.get("user"), verzoek):
        return {"success": False,
                "msg": tk._("Only editors and admins of the organisation this request is addressed to may answer it.")}
    return {"success": True}


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    return {
        "verzoek_create": anyone,
        "verzoek_show": verzoek_show,
        "verzoek_list": anyone,
        "verzoek_steun": anyone,
        "verzoek_confirm": anyone,
        "verzoek_similar": anyone,
        "verzoek_update": verzoek_update,
        "verzoek_hide": verzoek_update,
    }

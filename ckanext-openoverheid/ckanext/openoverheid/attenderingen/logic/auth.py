"""Who may do what with alerts. Subscribing, confirming, ending and the "my alerts" page need no
account: the signed link in a mail is the proof of owning the address. Sending what is due at once
is for sysadmins (CKAN lets them pass every auth function)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def anyone(context: dict[str, Any], data_dict: dict[str, Any] | None) -> dict[str, bool]:
    return {"success": True}


def sysadmins_only(context: dict[str, Any], data_dict: dict[str, Any] | None) -> dict[str, Any]:
    return {"success": False, "msg": tk._("Only sysadmins may send the alerts at once.")}


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    return {
        "attendering_create": anyone,
        "attendering_confirm": anyone,
        "attendering_unsubscribe": anyone,
        "attendering_manage_link": anyone,
        "attendering_list": anyone,
        "attendering_update": anyone,
        "attendering_delete": anyone,
        "attendering_send_due": sysadmins_only,
    }

"""Who may call the afvalkalender's actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def afvalkalender_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    """Anyone: the dates are public; which tables a viewer may read is decided per dataset."""
    return {"success": True}


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    return {"afvalkalender_show": afvalkalender_show}

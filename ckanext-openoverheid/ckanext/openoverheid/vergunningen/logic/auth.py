"""Who may call the vergunningen actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def vergunningen_search(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Anyone: permit notices are public by law; closed datasets drop out in vergunningen_tables."""
    return {"success": True}


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    return {"vergunningen_search": vergunningen_search, "vergunningen_locate": vergunningen_search}

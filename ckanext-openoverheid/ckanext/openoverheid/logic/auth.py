"""The core plugin's auth functions: "open, tenzij" (``openheid/logic/auth.py``) and the guards on
CKAN's own actions (``core_guards.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckanext.openoverheid.logic import core_guards
from ckanext.openoverheid.openheid.logic import auth as openheid_auth
from ckanext.openoverheid.quality import logic as quality_logic


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    return {**openheid_auth.get_auth_functions(), **core_guards.get_auth_functions(),
            **quality_logic.get_auth_functions()}

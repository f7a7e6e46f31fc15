"""The core plugin's actions: "open, tenzij" (``openheid/logic/action.py``), saving while Solr is down
(``resilience.py``) and the guards on CKAN's own actions (``core_guards.py``). Each feature's plugin
registers its own actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckanext.openoverheid import resilience
from ckanext.openoverheid.logic import core_guards
from ckanext.openoverheid.openheid.logic import action as openheid_action
from ckanext.openoverheid.quality import logic as quality_logic


def get_actions() -> dict[str, Callable[..., Any]]:
    return {**openheid_action.get_actions(), **resilience.get_actions(), **core_guards.get_actions(),
            **quality_logic.get_actions()}

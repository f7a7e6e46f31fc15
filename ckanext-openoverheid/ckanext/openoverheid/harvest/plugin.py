"""Wiring only: the ``openoverheid_harvest`` plugin, the portal's rules for ckanext-harvest.

Who may call its actions and what they show of a source (``logic/auth.py``), the checks before a
source is saved (``logic/action.py``: its own organisation's datasets, a safe URL) and the
``ckan openoverheid harvest-now`` command (``cli.py``). Needed whenever ``harvest`` is enabled, and
by the harvester plugins ``openoverheid_vergunningen_harvester`` and ``openoverheid_afvalkalender_harvester``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid import plugin_set
from ckanext.openoverheid.harvest import cli
from ckanext.openoverheid.harvest.logic import action, auth


@tk.blanket.cli(cli.get_commands)
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
class OpenOverheidHarvestPlugin(p.SingletonPlugin):
    """ckanext-harvest for a portal shared by many organisations."""

    p.implements(p.IConfigurer, inherit=True)

    def update_config(self, config: Any) -> None:
        plugin_set.check_loaded_plugins()
        # before CKAN builds its action and auth registries (see register_every_name)
        auth.register_every_name()

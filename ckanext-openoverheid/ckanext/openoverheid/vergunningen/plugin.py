"""Wiring only: the ``openoverheid_vergunningen`` plugin serves permit notices (the map page
``/vergunningen``, the feeds, the JSON API and the actions they call) from the DataStore tables that
hold them. Harvesting them is ``openoverheid_vergunningen_harvester``; without it (and without
ckanext-harvest) the portal serves what its tables hold."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid import plugin_set
from ckanext.openoverheid.vergunningen import views
from ckanext.openoverheid.vergunningen.logic import action, auth


@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
class VergunningenPlugin(p.SingletonPlugin):
    """Permit notices: map, feeds, API; the shared layout and translations come with ``openoverheid``."""

    p.implements(p.IConfigurer, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "openoverheid_vergunningen")
        plugin_set.check_loaded_plugins()

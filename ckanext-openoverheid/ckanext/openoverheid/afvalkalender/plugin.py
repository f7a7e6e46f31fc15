"""Wiring only: the ``openoverheid_afvalkalender`` plugin serves waste calendars (the page
``/afvalkalender``, the calendar, JSON and RSS of each address and the ``afvalkalender_show`` action)
from the DataStore tables that hold them. Harvesting them is ``openoverheid_afvalkalender_harvester``;
without it (and without ckanext-harvest) the portal serves what its tables hold."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid import plugin_set
from ckanext.openoverheid.afvalkalender import views
from ckanext.openoverheid.afvalkalender.logic import action, auth


@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
class AfvalkalenderPlugin(p.SingletonPlugin):
    """Waste collection dates per address; the shared layout and translations come with ``openoverheid``."""

    p.implements(p.IConfigurer, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        plugin_set.check_loaded_plugins()

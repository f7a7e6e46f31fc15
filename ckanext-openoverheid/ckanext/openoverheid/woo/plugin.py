"""Wiring only: the plugin ``openoverheid_woo`` (Woo publications, their documents, the sitemaps for the
national Woo-index). Needs ``openoverheid`` (templates, translations, the "open, tenzij" rules) and
ckanext-scheming's ``scheming_datasets`` and ``scheming_organizations`` (the ``publicatie`` type and the
organisation's ``tooi_identifier``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.woo import helpers, views


@tk.blanket.helpers(helpers.get_helpers)
@tk.blanket.blueprints(views.get_blueprints)
class WooPlugin(p.SingletonPlugin):
    """Government documents published "open, tenzij" under the Wet open overheid."""

    p.implements(p.IConfigurer)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")

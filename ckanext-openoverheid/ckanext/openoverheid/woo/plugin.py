"""Wiring only: the plugin ``openoverheid_woo`` (Woo publications, their documents, the sitemaps for the
national Woo-index). Needs ``openoverheid`` (templates, translations, the "open, tenzij" rules) and
ckanext-scheming's ``scheming_datasets`` and ``scheming_organizations`` (the ``publicatie`` type and the
organisation's ``tooi_identifier``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.woo import cli, helpers, uploader, views


@tk.blanket.cli(cli.get_commands)
@tk.blanket.helpers(helpers.get_helpers)
@tk.blanket.blueprints(views.get_blueprints)
class WooPlugin(p.SingletonPlugin):
    """Government documents published "open, tenzij" under the Wet open overheid."""

    p.implements(p.IConfigurer)
    p.implements(p.IUploader, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")

    # IUploader: uploaded documents lose their metadata before they are stored (woo/uploader.py).

    def get_resource_uploader(self, data_dict: dict[str, Any]) -> Any:
        return uploader.resource_uploader(data_dict)

    def get_uploader(self, upload_to: str, old_filename: str | None) -> None:
        return None  # images of users, groups and the site: CKAN's own uploader

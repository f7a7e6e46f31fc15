"""Wiring only: the plugin ``openoverheid_woo`` (Woo publications, their documents, the sitemaps for the
national Woo-index). Needs ``openoverheid`` (templates, translations, the "open, tenzij" rules) and
ckanext-scheming's ``scheming_datasets`` and ``scheming_organizations`` (the ``publicatie`` type and the
organisation's ``tooi_identifier``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.woo import cli, helpers, pages, uploader, views


def _blueprints() -> list[Any]:
    """The sitemaps (``views``) and the pages people read (``pages``)."""
    return [*views.get_blueprints(), *pages.get_blueprints()]


@tk.blanket.cli(cli.get_commands)
@tk.blanket.helpers(helpers.get_helpers)
@tk.blanket.blueprints(_blueprints)
class WooPlugin(p.SingletonPlugin):
    """Government documents published "open, tenzij" under the Wet open overheid."""

    p.implements(p.IConfigurer)
    p.implements(p.IUploader, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "openoverheid_woo")

    # IUploader: uploaded documents lose their metadata before they are stored (woo/uploader.py).

    def get_resource_uploader(self, data_dict: dict[str, Any]) -> Any:
        return uploader.resource_uploader(data_dict)

    def get_uploader(self, upload_to: str, old_filename: str | None) -> None:
        return None  # images of users, groups and the site: CKAN's own uploader

    # IFacets, IPackageController: the publication search's facet on the category, shown by its label.

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        if package_type == pages.TYPE:
            facets_dict["informatiecategorie"] = tk._("Information category")
        return facets_dict

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        facet = search_results.get("search_facets", {}).get("informatiecategorie")
        for item in facet["items"] if facet else []:
            item["display_name"] = helpers.openoverheid_woo_category_label(item["name"])
        return search_results

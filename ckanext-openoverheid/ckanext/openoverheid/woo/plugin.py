"""Wiring only: the plugin ``openoverheid_woo`` (Woo publications, their documents, the sitemaps for the
national Woo-index). Needs ``openoverheid`` (templates, translations, the "open, tenzij" rules) and
ckanext-scheming's ``scheming_datasets`` and ``scheming_organizations`` (the ``publicatie`` type and the
organisation's ``tooi_identifier``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.woo import helpers, pages


@tk.blanket.blueprints(pages.get_blueprints)
@tk.blanket.helpers(helpers.get_helpers)
class WooPlugin(p.SingletonPlugin):
    """Government documents published "open, tenzij" under the Wet open overheid."""

    p.implements(p.IConfigurer)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "openoverheid_woo")

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        if package_type == pages.TYPE:
            facets_dict["informatiecategorie"] = tk._("Information category")
        return facets_dict

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        facet = search_results.get("search_facets", {}).get("informatiecategorie")
        for item in facet["items"] if facet else []:
            item["display_name"] = helpers.openoverheid_woo_category_label(item["name"])
        return search_results

"""Wiring only: CKAN interfaces to the functions that do the work elsewhere in this package."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.openoverheid import cli, helpers, plugin_set, proxies, resilience, valuelists, views
from ckanext.openoverheid.logic import action, auth, validators
from ckanext.openoverheid.openheid import indexing, withholding


@tk.blanket.config_declarations
@tk.blanket.cli(cli.get_commands)
@tk.blanket.helpers(helpers.get_helpers)
@tk.blanket.validators(validators.get_validators)
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints(views.get_blueprints)
class OpenOverheidPlugin(p.SingletonPlugin, DefaultTranslation):
    """The portal: Dutch defaults, our templates, schemas, actions, pages and commands."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "openoverheid")
        if not config.get("licenses_group_url"):
            # CKAN's licence register from our value list, so license_title/license_url/isopen agree with it
            config["licenses_group_url"] = valuelists.ckan_licenses_url()
        plugin_set.check_loaded_plugins()

    # IPackageController: "open, tenzij" on every dataset dict that leaves CKAN

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return indexing.index_fields(pkg_dict)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        public = withholding.for_viewer(context, pkg_dict)
        if public is not pkg_dict:
            # package_show returns the dict it passed us: change it in place
            pkg_dict.clear()
            pkg_dict.update(public)
        return pkg_dict

    # IMiddleware: Solr down answers 503 with a clear message, not a 500 (resilience.py); the client's
    # address behind the configured reverse proxies (proxies.py)

    def make_middleware(self, app: Any, config: Any) -> Any:
        return proxies.trust_forwarded(resilience.register_error_handlers(app), config)

"""Wiring only: CKAN interfaces to the functions that do the work elsewhere in this package."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.openoverheid import cli, helpers, validators, views
from ckanext.openoverheid.logic import action, auth


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

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "openoverheid")

"""Wiring only: the alerts plugin ``openoverheid_attenderingen`` (e-mail alerts for permits, waste
collection, meldingen and datasets). Needs the ``openoverheid`` plugin for templates, assets and the
Dutch translations, and the plugins whose data it watches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid import personal_data
from ckanext.openoverheid.attenderingen import cli, delivery, helpers, jobs, outbox, subscriptions, views
from ckanext.openoverheid.attenderingen.logic import action, auth


@tk.blanket.config_declarations(str(Path(__file__).with_name("config_declaration.yaml")))
@tk.blanket.cli(cli.get_commands)
@tk.blanket.helpers(helpers.get_helpers)
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints(views.get_blueprints)
class AttenderingenPlugin(p.SingletonPlugin):
    """Residents subscribe by e-mail, without an account, and are told once of what is new."""

    p.implements(p.IConfigurer)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "openoverheid_attenderingen")
        # our own lines never name an address; SMTP errors and tracebacks might
        personal_data.keep_addresses_out_of(*(module.log.name for module in (delivery, jobs, outbox, subscriptions,
                                                                             action)))

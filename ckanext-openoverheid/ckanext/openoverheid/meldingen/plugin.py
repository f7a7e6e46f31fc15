"""Wiring only: the participation plugin ``openoverheid_participatie`` (meldingen openbare ruimte,
Open311, feeds and open data). Needs the ``openoverheid`` plugin for templates, assets and the
Dutch translations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid import personal_data
from ckanext.openoverheid.meldingen import cli, helpers, views
from ckanext.openoverheid.meldingen.logic import action, auth, validators


@tk.blanket.config_declarations(str(Path(__file__).with_name("config_declaration.yaml")))
@tk.blanket.cli(cli.get_commands)
@tk.blanket.helpers(helpers.get_helpers)
@tk.blanket.validators(validators.get_validators)
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints(views.get_blueprints)
class ParticipatiePlugin(p.SingletonPlugin):
    """Residents report problems in public space; municipalities handle them in the open."""

    p.implements(p.IConfigurer)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "openoverheid_meldingen")
        tk.add_public_directory(config, "../public")  # the core's built vendor files (Leaflet)
        # CKAN's mailer logs each recipient ("Sent email to …") and quotes it in SMTP errors
        personal_data.keep_addresses_out_of("ckan.lib.mailer", "ckanext.openoverheid.meldingen.mail")

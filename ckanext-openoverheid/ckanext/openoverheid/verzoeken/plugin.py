"""Wiring only: the plugin ``openoverheid_verzoeken`` (data requests and ideas, supported by others and
answered in public). Needs the ``openoverheid`` plugin for templates, assets and the Dutch
translations; with ``openoverheid_attenderingen`` the requester and supporters are mailed every answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid import personal_data
from ckanext.openoverheid.verzoeken import (
    cli,
    feed_views,
    helpers,
    mail,
    openheid_section,
    staff_helpers,
    staff_views,
    views,
)
from ckanext.openoverheid.verzoeken.logic import action, auth, validators


@tk.blanket.config_declarations(str(Path(__file__).with_name("config_declaration.yaml")))
@tk.blanket.helpers(lambda: {**helpers.get_helpers(), **staff_helpers.get_helpers()})
@tk.blanket.cli(cli.get_commands)
@tk.blanket.validators(validators.get_validators)
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints(lambda: [*views.get_blueprints(), *staff_views.get_blueprints(), *feed_views.get_blueprints()])
class VerzoekenPlugin(p.SingletonPlugin):
    """Residents ask for data and propose ideas; organisations answer in the open."""

    p.implements(p.IConfigurer)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "openoverheid_verzoeken")
        openheid_section.add_to_register()
        # CKAN's mailer logs each recipient ("Sent email to …") and quotes it in SMTP errors
        personal_data.keep_addresses_out_of("ckan.lib.mailer", mail.log.name, action.log.name)

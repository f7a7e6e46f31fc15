"""Commands of the verzoeken plugin, added to the shared `ckan openoverheid` group:

    ckan openoverheid verzoeken sync    # rebuild the open data table from the database
"""

from __future__ import annotations

import click

from ckanext.openoverheid.cli import group_with
from ckanext.openoverheid.cli_text import N_, _, group
from ckanext.openoverheid.verzoeken import opendata


@group("verzoeken", help=N_("Maintenance of the data requests and ideas."),
       short_help=N_("Data requests and ideas: maintenance"))
def verzoeken() -> None:
    pass


@verzoeken.command("sync", help=N_(
    'Rebuild the open data ("Verzoeken en ideeën") from the database. Safe to repeat.'))
def sync() -> None:
    try:
        written = opendata.sync_all()
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    click.secho(_("Open data updated: {count} requests.").format(count=written), fg="green")


def get_commands() -> list[click.Command]:
    """``ckan openoverheid`` with this plugin's group added."""
    return [group_with([verzoeken])]

"""Commands of the participation plugin, which adds them to the shared `ckan openoverheid` group:

    ckan openoverheid open311-key create NAME   # prints the new key as its last line
    ckan openoverheid open311-key list
    ckan openoverheid open311-key revoke NAME
    ckan openoverheid meldingen sync            # rebuild the open data tables from the database
"""

from __future__ import annotations

import click

from ckanext.openoverheid.cli import group_with
from ckanext.openoverheid.meldingen import apikeys, opendata


@click.group("open311-key", short_help="Open311 API keys of apps that send meldingen")
def open311_key() -> None:
    """Create, list and revoke the API keys that Open311 clients need to POST meldingen."""


@open311_key.command("create")
@click.argument("name")
def create_key(name: str) -> None:
    """Create a key for the app NAME; the key is shown once, as the last line."""
    try:
        record, key = apikeys.create(name)
    except apikeys.ApiKeyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Open311-sleutel voor {record.name} aangemaakt; bewaar hem nu, hij wordt niet opnieuw getoond:")
    click.echo(key)


@open311_key.command("list")
def list_keys() -> None:
    """Show the clients with a key (never the keys themselves)."""
    for record in apikeys.all_keys():
        state = f"ingetrokken {record.revoked:%Y-%m-%d}" if record.revoked else "actief"
        click.echo(f"{record.name}\t{record.created:%Y-%m-%d}\t{state}")


@open311_key.command("revoke")
@click.argument("name")
def revoke_key(name: str) -> None:
    """Revoke the key of the app NAME: its POSTs are refused from now on."""
    try:
        apikeys.revoke(name)
    except apikeys.ApiKeyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Sleutel van {name} ingetrokken.")


@click.group("meldingen", short_help="Meldingen openbare ruimte: maintenance")
def meldingen() -> None:
    """Maintenance of the meldingen."""


@meldingen.command("sync")
def sync() -> None:
    """Rebuild the open data ("Meldingen openbare ruimte <gemeente>") from the database. Safe to repeat."""
    try:
        written = opendata.sync_all(progress=lambda message: click.echo(f"  {message}"))
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    click.secho(f"Open data bijgewerkt: {written} meldingen.", fg="green")


def get_commands() -> list[click.Command]:
    """``ckan openoverheid`` with this plugin's groups added."""
    return [group_with([open311_key, meldingen])]

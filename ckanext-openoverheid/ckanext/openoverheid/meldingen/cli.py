"""Commands of the participation plugin, which adds them to the shared `ckan openoverheid` group:

    ckan openoverheid open311-key create NAME   # prints the new key as its last line
    ckan openoverheid open311-key list
    ckan openoverheid open311-key revoke NAME
    ckan openoverheid meldingen sync            # rebuild the open data tables from the database
    ckan openoverheid meldingen maintenance     # do now what is due (follow-up questions, retention)
    ckan openoverheid meldingen scheduler       # what make run starts: enqueue the maintenance hourly
"""

from __future__ import annotations

import time

import click

from ckanext.openoverheid.cli import group_with
from ckanext.openoverheid.cli_text import N_, _, group
from ckanext.openoverheid.meldingen import apikeys, opendata


@group("open311-key", help=N_("Create, list and revoke the API keys that Open311 clients need to POST meldingen."),
       short_help=N_("Open311 API keys of apps that send meldingen"))
def open311_key() -> None:
    pass


@open311_key.command("create", help=N_("Create a key for the app NAME; the key is shown once, as the last line."))
@click.argument("name")
def create_key(name: str) -> None:
    try:
        record, key = apikeys.create(name)
    except apikeys.ApiKeyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_("Open311 key for {name} created; keep it now, it is not shown again:").format(name=record.name))
    click.echo(key)


@open311_key.command("list", help=N_("Show the clients with a key (never the keys themselves)."))
def list_keys() -> None:
    for record in apikeys.all_keys():
        state = _("revoked {date}").format(date=f"{record.revoked:%Y-%m-%d}") if record.revoked else _("active")
        click.echo(f"{record.name}\t{record.created:%Y-%m-%d}\t{state}")


@open311_key.command("revoke", help=N_("Revoke the key of the app NAME: its POSTs are refused from now on."))
@click.argument("name")
def revoke_key(name: str) -> None:
    try:
        apikeys.revoke(name)
    except apikeys.ApiKeyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_("Key of {name} revoked.").format(name=name))


@group("meldingen", help=N_("Maintenance of the meldingen."), short_help=N_("Meldingen openbare ruimte: maintenance"))
def meldingen() -> None:
    pass


@meldingen.command("sync", help=N_(
    'Rebuild the open data ("Meldingen openbare ruimte <gemeente>") from the database. Safe to repeat.'))
def sync() -> None:
    try:
        written = opendata.sync_all(progress=lambda message: click.echo(f"  {message}"))
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    click.secho(_("Open data updated: {count} meldingen.").format(count=written), fg="green")


@meldingen.command("maintenance", help=N_(
    "Do now what is due: the follow-up questions to reporters and the removal of old personal data."))
def maintenance() -> None:
    from ckanext.openoverheid.meldingen import jobs

    result = jobs.run_maintenance()
    click.echo(", ".join(f"{task}: {count}" for task, count in result.items()) or _("Nothing was due."))


@meldingen.command("scheduler", help=N_(
    "Every maintenance_interval seconds, put the maintenance on CKAN's job queue (`ckan jobs worker` runs "
    "it). Running two schedulers is harmless."))
@click.option("--once", is_flag=True, help=N_("Enqueue one run and stop (for cron)."))
def scheduler(once: bool) -> None:
    import ckan.plugins.toolkit as tk

    from ckanext.openoverheid.meldingen import jobs, settings

    while True:
        try:
            tk.enqueue_job(jobs.run_maintenance, title="meldingen: maintenance")
        except Exception as error:  # Redis restarting: the next tick tries again
            click.echo(_("Could not put the meldingen maintenance on the job queue: {error}").format(error=error),
                       err=True)
        if once:
            return
        time.sleep(settings.maintenance_interval())


def get_commands() -> list[click.Command]:
    """``ckan openoverheid`` with this plugin's groups added."""
    return [group_with([open311_key, meldingen])]

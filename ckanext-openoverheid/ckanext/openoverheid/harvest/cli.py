"""`ckan openoverheid harvest-now`, added to the shared group by the ``openoverheid_harvest`` plugin."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click

from ckanext.openoverheid.cli import group_with, hidden_alias
from ckanext.openoverheid.cli_text import N_, _, command


@command("harvest-now", help=N_(
    "Run the harvest source SOURCE (name or id) now, in this process, and show how it went. For a new source "
    "before it is scheduled, or to catch up by hand; scheduled runs go through the harvest queues "
    "(`ckan harvester run`)."))
@click.argument("source")
def harvest_now(source: str) -> None:
    from ckanext.openoverheid.harvest.run_now import run_source_now

    click.echo(_("Harvest of {source}: fetching, processing and storing ...").format(source=source))
    try:
        summary = run_source_now(source)
    except (tk.ObjectNotFound, RuntimeError) as error:
        raise click.ClickException(_("{error}: check the name with `ckan harvester sources`").format(
            error=str(error) or _("source not found"))) from None
    stats = ", ".join(f"{key}: {value}" for key, value in summary.stats.items())
    errors = summary.gather_errors + summary.object_errors
    click.secho(_("Harvest {status}: {stats}; {errors} error(s).").format(
        status=summary.status, stats=stats, errors=len(errors)), fg="yellow" if errors else "green")
    for message in errors:
        click.secho("  " + _("error: {error}").format(error=message), fg="red", err=True)
    if summary.gather_errors:
        raise click.exceptions.Exit(1)


def get_commands() -> list[click.Command]:
    return [group_with([harvest_now, hidden_alias(harvest_now, "oogst")])]

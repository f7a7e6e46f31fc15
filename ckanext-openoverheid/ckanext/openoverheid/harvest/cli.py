"""`ckan openoverheid harvest-now`, added to the shared group by the ``openoverheid_harvest`` plugin."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click

from ckanext.openoverheid.cli import group_with, hidden_alias


@click.command("harvest-now")
@click.argument("bron")
def harvest_now(bron: str) -> None:
    """Run the harvest source BRON (name or id) now, in this process, and show how it went.

    For a new source before it is scheduled, or to catch up by hand; scheduled runs go through the
    harvest queues (`ckan harvester run`)."""
    from ckanext.openoverheid.harvest.run_now import run_source_now

    click.echo(f"Oogst van {bron}: ophalen, verwerken en opslaan ...")
    try:
        summary = run_source_now(bron)
    except (tk.ObjectNotFound, RuntimeError) as error:
        raise click.ClickException(
            f"{error or 'bron niet gevonden'}: controleer de naam met `ckan harvester sources`"
        ) from None
    stats = ", ".join(f"{key}: {value}" for key, value in summary.stats.items())
    errors = summary.gather_errors + summary.object_errors
    click.secho(f"Oogst {summary.status}: {stats}; {len(errors)} fout(en).", fg="yellow" if errors else "green")
    for message in errors:
        click.secho(f"  fout: {message}", fg="red", err=True)
    if summary.gather_errors:
        raise click.exceptions.Exit(1)


def get_commands() -> list[click.Command]:
    return [group_with([harvest_now, hidden_alias(harvest_now, "oogst")])]

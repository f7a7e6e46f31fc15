"""`ckan openoverheid ...`: the one command group of all our plugins, and the core plugin's commands.

Every plugin of ours adds its own commands to this group (``group_with``): CKAN adds each plugin's
commands to ``ckan`` by name, so plugins that each returned a group of their own named
``openoverheid`` would replace one another. Command names are English; the Dutch names of before
(``herbeoordeel``, ``herindexeer``, ``openheidsregister-dataset``, ``oogst``) still work as hidden
aliases (``hidden_alias``).
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.openoverheid.openheid import register_dataset, review


@click.group(short_help="Open Overheid: demo data and maintenance")
def openoverheid() -> None:
    """Commands of the Open Overheid portal."""


def group_with(commands: Iterable[click.Command]) -> click.Group:
    """The ``ckan openoverheid`` group, with ``commands`` added (for a plugin's ``tk.blanket.cli``)."""
    for command in commands:
        openoverheid.add_command(command)
    return openoverheid


def hidden_alias(command: click.Command, name: str) -> click.Command:
    """``command`` also under its old ``name``, left out of ``--help``."""
    alias = copy.copy(command)
    alias.name = name
    alias.hidden = True
    return alias


def _echo(message: str) -> None:
    click.echo(f"  {message}")


@click.command("demo")
def load_demo() -> None:
    """Load the Dutch demo content: organisations, datasets (open and closed), the openheidsregister
    dataset, and, for each plugin that is enabled, demo permits, waste calendars and meldingen.
    Safe to run again."""
    from ckanext.openoverheid.demo import load

    try:
        load.everything(say=click.echo)
    except load.DemoError as error:
        raise click.ClickException(str(error)) from None
    click.secho("Demo geladen.", fg="green")


@click.command("register-dataset")
@click.option("--organization", "--organisatie", "organization", default=None,
              help="Owning organisation (name); default ckanext.openoverheid.register_organization.")
def openheid_dataset(organization: str | None) -> None:
    """Create or update the dataset that publishes the openheidsregister as open data."""
    try:
        pkg = register_dataset.ensure_register_dataset(organization)
    except register_dataset.RegisterDatasetError as error:
        raise click.ClickException(str(error)) from None
    click.secho(f"Dataset {pkg['name']} bijgewerkt ({len(pkg['resources'])} distributies).", fg="green")


@click.command("review")
@click.option("--date", "--datum", "today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Review as on this date (YYYY-MM-DD); default today.")
@click.option("--mode", "--modus", "mode", type=click.Choice(["flag", "open"]), default=None,
              help="Override ckanext.openoverheid.expired_closure for this run.")
def review_closures(today: datetime.datetime | None, mode: str | None) -> None:
    """Find closures past their review date; flag or reopen them and e-mail the admins. Cron-able."""
    summary = review.review_closures(
        today=today.date() if today else None,
        mode=review.ExpiredClosure(mode) if mode else None,
        progress=lambda message: click.echo(f"  {message}"),
    )
    click.secho(
        f"Herbeoordeling: {summary.expired} verlopen, {summary.flagged} gemarkeerd, {summary.reopened} heropend, "
        f"{summary.mails_sent} e-mails verstuurd.",
        fg="green" if not summary.errors else "yellow",
    )
    for error in summary.errors:
        click.secho(f"  fout: {error}", fg="red", err=True)
    if summary.errors:
        raise click.exceptions.Exit(1)


EXPORT_PROGRESS_EVERY = 500


@click.command("export")
@click.argument("formaat", type=click.Choice(["rdf", "csv", "jsonl"]))
@click.argument("uitvoer", type=click.Path(dir_okay=False, writable=True))
def export_catalogue(formaat: str, uitvoer: str) -> None:
    """Write the full-catalogue export (what /export/datasets.FORMAAT serves) to the file UITVOER."""
    from ckanext.openoverheid.export import source, writers

    total = source.catalogue_state().count
    written = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal written
        for dataset in source.public_datasets():
            written += 1
            if written % EXPORT_PROGRESS_EVERY == 0:
                click.echo(f"  {written}/{total} datasets", err=True)
            yield dataset

    site_url = str(tk.config.get("ckan.site_url") or "").rstrip("/")
    chunks = {
        "rdf": lambda: source.rdf_export(counted()),
        "csv": lambda: writers.csv_lines(counted(), site_url),
        "jsonl": lambda: writers.jsonl_lines(counted()),
    }[formaat]()
    with open(uitvoer, "w", encoding="utf-8", newline="") as output:
        for chunk in chunks:
            output.write(chunk)
    click.secho(f"Export: {written} datasets als {formaat} geschreven naar {uitvoer}.", fg="green")


@click.command("reindex")
def reindex() -> None:
    """Re-index the datasets whose search-index copy is missing or older than the database, e.g.
    those saved while Solr was down. Cheap when nothing is stale: cron-able."""
    from ckanext.openoverheid import resilience

    click.echo("Zoekindex vergelijken met de database ...")
    try:
        summary = resilience.reindex_stale(progress=_echo)
    except resilience.SolrConnectionError as error:
        raise click.ClickException(f"{error}; start Solr en probeer opnieuw") from None
    click.secho(f"Herindexering: {summary.stale} verouderd, {summary.indexed} geïndexeerd, "
                f"{len(summary.errors)} fout(en).", fg="yellow" if summary.errors else "green")
    if summary.errors:
        raise click.exceptions.Exit(1)


def get_commands() -> list[click.Command]:
    """The core plugin's commands, in the shared ``ckan openoverheid`` group."""
    return [group_with([
        load_demo, export_catalogue, openheid_dataset, review_closures, reindex,
        hidden_alias(openheid_dataset, "openheidsregister-dataset"),
        hidden_alias(review_closures, "herbeoordeel"),
        hidden_alias(reindex, "herindexeer"),
    ])]

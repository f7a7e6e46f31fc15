"""`ckan openoverheid ...` commands."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.openoverheid.meldingen import cli as meldingen_cli
from ckanext.openoverheid.openheid import register_dataset, review


@click.group(short_help="Open Overheid: demo data and maintenance")
def openoverheid() -> None:
    """Commands of the Open Overheid portal."""


def _echo(message: str) -> None:
    click.echo(f"  {message}")


@openoverheid.command("demo")
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


@openoverheid.command("openheidsregister-dataset")
@click.option("--organisatie", "organization", default=None,
              help="Owning organisation (name); default ckanext.openoverheid.register_organization.")
def openheid_dataset(organization: str | None) -> None:
    """Create or update the dataset that publishes the openheidsregister as open data."""
    try:
        pkg = register_dataset.ensure_register_dataset(organization)
    except register_dataset.RegisterDatasetError as error:
        raise click.ClickException(str(error)) from None
    click.secho(f"Dataset {pkg['name']} bijgewerkt ({len(pkg['resources'])} distributies).", fg="green")


@openoverheid.command("herbeoordeel")
@click.option("--datum", "today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Review as on this date (YYYY-MM-DD); default today.")
@click.option("--modus", "mode", type=click.Choice(["flag", "open"]), default=None,
              help="Override ckanext.openoverheid.expired_closure for this run.")
def herbeoordeel(today: datetime.datetime | None, mode: str | None) -> None:
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


@openoverheid.command("export")
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


@openoverheid.command("oogst")
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


for _command in meldingen_cli.get_commands():
    openoverheid.add_command(_command)


def get_commands() -> list[click.Command]:
    return [openoverheid]


@openoverheid.command("herindexeer")
def herindexeer() -> None:
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

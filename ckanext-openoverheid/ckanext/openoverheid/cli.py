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

from ckanext.openoverheid.cli_text import N_, _, command, group, option
from ckanext.openoverheid.openheid import register_dataset, review


@group(None, help=N_("Commands of the Open Overheid portal."),
       short_help=N_("Open Overheid: demo data and maintenance"))
def openoverheid() -> None:
    pass


def group_with(commands: Iterable[click.Command]) -> click.Group:
    """The ``ckan openoverheid`` group, with ``commands`` added (for a plugin's ``tk.blanket.cli``)."""
    for added in commands:
        openoverheid.add_command(added)
    return openoverheid


def hidden_alias(command: click.Command, name: str) -> click.Command:
    """``command`` also under its old ``name``, left out of ``--help``."""
    alias = copy.copy(command)
    alias.name = name
    alias.hidden = True
    return alias


def _echo(message: str) -> None:
    click.echo(f"  {message}")


@command("demo", help=N_(
    "Load the Dutch demo content: organisations, datasets (open and closed), the openheidsregister dataset, "
    "and, for each plugin that is enabled, demo permits, waste calendars and meldingen. Safe to run again."))
def load_demo() -> None:
    from ckanext.openoverheid.demo import load

    try:
        load.everything(say=click.echo)
    except load.DemoError as error:
        raise click.ClickException(str(error)) from None
    click.secho(_("Demo loaded."), fg="green")


@command("register-dataset", help=N_(
    "Create or update the dataset that publishes the openheidsregister as open data."))
@option("--organization", "--organisatie", "organization", default=None,
        help=N_("Owning organisation (name); default ckanext.openoverheid.register_organization."))
def openheid_dataset(organization: str | None) -> None:
    try:
        pkg = register_dataset.ensure_register_dataset(organization)
    except register_dataset.RegisterDatasetError as error:
        raise click.ClickException(str(error)) from None
    click.secho(_("Dataset {name} updated ({count} distributions).").format(
        name=pkg["name"], count=len(pkg["resources"])), fg="green")


@command("review", help=N_(
    "Find closures past their review date; flag or reopen them and e-mail the admins. Cron-able."))
@option("--date", "--datum", "today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        help=N_("Review as on this date (YYYY-MM-DD); default today."))
@option("--mode", "--modus", "mode", type=click.Choice(["flag", "open"]), default=None,
        help=N_("Override ckanext.openoverheid.expired_closure for this run."))
def review_closures(today: datetime.datetime | None, mode: str | None) -> None:
    summary = review.review_closures(
        today=today.date() if today else None,
        mode=review.ExpiredClosure(mode) if mode else None,
        progress=lambda message: click.echo(f"  {message}"),
    )
    click.secho(
        _("Review: {expired} expired, {flagged} flagged, {reopened} reopened, {mails} e-mails sent.").format(
            expired=summary.expired, flagged=summary.flagged, reopened=summary.reopened,
            mails=summary.mails_sent),
        fg="green" if not summary.errors else "yellow",
    )
    for error in summary.errors:
        click.secho("  " + _("error: {error}").format(error=error), fg="red", err=True)
    if summary.errors:
        raise click.exceptions.Exit(1)


EXPORT_PROGRESS_EVERY = 500


@command("export", help=N_(
    "Write the full-catalogue export (what /export/datasets.FORMAT serves) to the file OUTPUT."))
@click.argument("format_", metavar="FORMAT", type=click.Choice(["rdf", "csv", "jsonl"]))
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
def export_catalogue(format_: str, output: str) -> None:
    from ckanext.openoverheid.export import source, writers

    total = source.catalogue_state().count
    written = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal written
        for dataset in source.public_datasets():
            written += 1
            if written % EXPORT_PROGRESS_EVERY == 0:
                click.echo("  " + _("{written}/{total} datasets").format(written=written, total=total), err=True)
            yield dataset

    site_url = str(tk.config.get("ckan.site_url") or "").rstrip("/")
    chunks = {
        "rdf": lambda: source.rdf_export(counted()),
        "csv": lambda: writers.csv_lines(counted(), site_url),
        "jsonl": lambda: writers.jsonl_lines(counted()),
    }[format_]()
    with open(output, "w", encoding="utf-8", newline="") as target:
        for chunk in chunks:
            target.write(chunk)
    click.secho(_("Export: {count} datasets written as {format} to {path}.").format(
        count=written, format=format_, path=output), fg="green")


@command("reindex", help=N_(
    "Re-index the datasets whose search-index copy is missing or older than the database, e.g. those saved "
    "while Solr was down. Cheap when nothing is stale: cron-able."))
def reindex() -> None:
    from ckanext.openoverheid import resilience

    click.echo(_("Comparing the search index with the database ..."))
    try:
        summary = resilience.reindex_stale(progress=_echo)
    except resilience.SolrConnectionError as error:
        raise click.ClickException(_("{error}; start Solr and try again").format(error=error)) from None
    click.secho(_("Reindex: {stale} stale, {indexed} indexed, {errors} error(s).").format(
        stale=summary.stale, indexed=summary.indexed, errors=len(summary.errors)),
        fg="yellow" if summary.errors else "green")
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

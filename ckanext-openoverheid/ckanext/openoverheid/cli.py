"""`ckan openoverheid ...`: the one command group of all our plugins, and the core plugin's commands.

Every plugin of ours adds its own commands to this group (``group_with``): CKAN adds each plugin's
commands to ``ckan`` by name, so plugins that each returned a group of their own named
``openoverheid`` would replace one another. Command names are English; the Dutch names of before
(``herbeoordeel``, ``herindexeer``, ``openheidsregister-dataset``, ``oogst``) still work as hidden
aliases (``hidden_alias``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.openoverheid.cli_text import N_, _, command, group


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
    """The core plugin's commands (and those of "open, tenzij", which it wires), in the shared group."""
    from ckanext.openoverheid.openheid import cli as openheid_cli
    from ckanext.openoverheid.quality import cli as quality_cli

    return [group_with([
        load_demo, export_catalogue, reindex, hidden_alias(reindex, "herindexeer"),
        *openheid_cli.get_commands(), quality_cli.quality,
    ])]

"""`ckan openoverheid ...` commands."""

from __future__ import annotations

import click

from ckanext.openoverheid import demo


@click.group(short_help="Open Overheid: demo data and maintenance")
def openoverheid() -> None:
    """Commands of the Open Overheid portal."""


@openoverheid.command("demo")
def load_demo() -> None:
    """Load the Dutch demo content (organisations, datasets). Safe to run again."""
    summary = demo.load(progress=lambda message: click.echo(f"  {message}"))
    click.secho(
        f"Demo: {summary.created} aangemaakt, {summary.updated} bijgewerkt, {summary.unchanged} ongewijzigd.",
        fg="green",
    )


def get_commands() -> list[click.Command]:
    return [openoverheid]

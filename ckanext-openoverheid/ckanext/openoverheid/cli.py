"""`ckan openoverheid ...` commands."""

from __future__ import annotations

import datetime

import click

from ckanext.openoverheid import demo, review


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


def get_commands() -> list[click.Command]:
    return [openoverheid]

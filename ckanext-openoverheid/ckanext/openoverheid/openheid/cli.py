"""``ckan openoverheid review`` and ``register-dataset``: the commands of "open, tenzij" (the core
plugin adds them to the shared group, as it wires this feature)."""

from __future__ import annotations

import datetime

import click

from ckanext.openoverheid.cli import hidden_alias
from ckanext.openoverheid.cli_text import N_, _, command, option
from ckanext.openoverheid.openheid import register_dataset, review


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


def get_commands() -> list[click.Command]:
    return [
        openheid_dataset, review_closures,
        hidden_alias(openheid_dataset, "openheidsregister-dataset"),
        hidden_alias(review_closures, "herbeoordeel"),
    ]

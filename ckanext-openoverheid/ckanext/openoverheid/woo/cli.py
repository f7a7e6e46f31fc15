"""Commands of the Woo plugin, added to the shared ``ckan openoverheid`` group:

    ckan openoverheid woo strip-existing [--dry-run]   # clean uploads stored before stripping existed
"""

from __future__ import annotations

import click

from ckanext.openoverheid.cli import group_with
from ckanext.openoverheid.cli_text import N_, _, group
from ckanext.openoverheid.woo import stored


@group("woo", help=N_("Maintenance of the Woo publications."), short_help=N_("Woo publications: maintenance"))
def woo() -> None:
    pass


@woo.command("strip-existing", help=N_(
    "Remove the document metadata from resource files uploaded before it was removed on upload. "
    "Safe to repeat."))
@click.option("--dry-run", is_flag=True, help=N_("Only count the files that would be cleaned."))
def strip_existing(dry_run: bool) -> None:
    try:
        summary = stored.strip_existing(lambda line: click.echo(f"  {line}"), dry_run=dry_run)
    except stored.StoredError as error:
        raise click.ClickException(_(str(error))) from None
    for resource_id, reason in summary.refused:
        click.secho(_("{id}: not cleaned: {reason}").format(id=resource_id, reason=_(reason)), fg="yellow")
    message = _("Would clean {cleaned} of {checked} uploaded files.") if dry_run else _(
        "Cleaned {cleaned} of {checked} uploaded files.")
    click.secho(message.format(cleaned=summary.cleaned, checked=summary.checked), fg="green")
    if summary.missing:
        click.echo(_("{missing} uploaded files were not found in the storage.").format(missing=summary.missing))


def get_commands() -> list[click.Command]:
    """``ckan openoverheid`` with this plugin's group added."""
    return [group_with([woo])]

"""``ckan openoverheid quality``: the metadata quality (MQA) report of each dataset, and the link check
that feeds its reachability indicators.

    ckan openoverheid quality [--organization NAME] [--format text|csv]
    ckan openoverheid quality check-links [--organization NAME]
"""

from __future__ import annotations

import csv
import sys
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.openoverheid.cli_text import N_, _, group, option
from ckanext.openoverheid.quality import report as quality_report

PROGRESS_EVERY = 25


def _progress(done: int, total: int) -> None:
    if done % PROGRESS_EVERY == 0 or done == total:
        click.echo("  " + _("{done}/{total} datasets").format(done=done, total=total), err=True)


def _organization(name: str | None) -> tuple[int, Any]:
    try:
        return quality_report.datasets(name)
    except tk.ObjectNotFound:
        raise click.ClickException(_("No organisation {name}: give the name of an organisation.").format(
            name=name)) from None


@group("quality", help=N_(
    "The metadata quality score of each dataset after data.europa.eu's Metadata Quality Assessment (MQA, "
    "405 points), with the indicators it misses. Reachability comes from `quality check-links`."),
    short_help=N_("Metadata quality (MQA) report and link check"), invoke_without_command=True)
@option("--organization", "organization", metavar="NAME", help=N_("Only the datasets of this organisation."))
@option("--format", "format_", type=click.Choice(["text", "csv"]), default="text", show_default=True,
        help=N_("text: one block per dataset; csv: one row per dataset."))
@click.pass_context
def quality(ctx: click.Context, organization: str | None, format_: str) -> None:
    if ctx.invoked_subcommand is not None:
        return
    total, datasets = _organization(organization)
    writer = csv.writer(sys.stdout) if format_ == "csv" else None
    if writer:
        writer.writerow(["dataset", "total", "band", "missing"])
    for done, dataset in enumerate(datasets, start=1):
        result = quality_report.dataset_report(dataset)
        missing = [f"{i.key} ({i.earned}/{i.possible})" for i in result.missing]
        if writer:
            writer.writerow([dataset["name"], result.total, result.band.name.lower(), "; ".join(missing)])
        else:
            click.echo(f"{dataset['name']}: {result.total}/{result.possible} {_(result.band.label)}")
            for indicator in result.missing:
                assert indicator.missing is not None
                click.echo(f"  - {_(indicator.label)} ({indicator.earned}/{indicator.possible}): "
                           f"{indicator.missing.text(_)}")
        _progress(done, total)


@quality.command("check-links", help=N_(
    "Check every access and download URL of the datasets (through the portal's guard against private "
    "addresses, a few requests per host a minute) and keep the results for the quality score."))
@option("--organization", "organization", metavar="NAME", help=N_("Only the datasets of this organisation."))
def check_links(organization: str | None) -> None:
    total, datasets = _organization(organization)
    reachable = failed = 0
    with quality_report.link_client() as client:
        for done, dataset in enumerate(datasets, start=1):
            for result in quality_report.check_links(dataset, client):
                reachable += result.reachable
                failed += not result.reachable
            _progress(done, total)
    click.secho(_("Link check: {reachable} links answered, {failed} did not.").format(
        reachable=reachable, failed=failed), fg="yellow" if failed else "green")

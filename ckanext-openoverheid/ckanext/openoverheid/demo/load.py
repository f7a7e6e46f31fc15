"""What ``ckan openoverheid demo`` loads, in order, for the plugins that are enabled.

The command makes one call, :func:`everything`; each step is idempotent, so running it again
only brings the demo content back to what the files say.
"""

from __future__ import annotations

from collections.abc import Callable

import ckan.plugins as p

from ckanext.openoverheid.cli_text import _
from ckanext.openoverheid.demo import catalogue
from ckanext.openoverheid.harvest.run_now import JobSummary
from ckanext.openoverheid.openheid import register_dataset

Progress = Callable[[str], None]

DEMO_REGISTER_ORGANIZATION = "gemeente-utrecht"


class DemoError(Exception):
    """A demo step could not finish; the message says why and what to do."""


def everything(say: Progress = lambda line: None) -> None:
    """Load the organisations, datasets and register dataset, then the demo publications, permits, waste
    calendars and meldingen of the plugins that are enabled. ``say`` gets one line of progress at a time.

    Raises :class:`DemoError` when a step refuses (another organisation owns a demo name) or a demo
    harvest recorded errors (after the other steps have run)."""

    def step(message: str) -> None:
        say(f"  {message}")

    _catalogue(say, step)
    if p.plugin_loaded("openoverheid_woo"):
        _publications(say, step)
    failures = 0
    if p.plugin_loaded("openoverheid_vergunningen_harvester"):
        from ckanext.openoverheid.demo import vergunningen

        say(_("Permits (harvest of the sample pages) ..."))
        failures += _harvest_failed(vergunningen.load_demo(progress=step))
    if p.plugin_loaded("openoverheid_afvalkalender_harvester"):
        from ckanext.openoverheid.demo import afvalkalender

        say(_("Waste calendars (harvest of the demo addresses) ..."))
        failures += _harvest_failed(afvalkalender.load_demo(progress=step))
    if p.plugin_loaded("openoverheid_participatie"):
        _meldingen(say, step)
    if p.plugin_loaded("openoverheid_verzoeken"):
        _verzoeken(say, step)
    if failures:
        raise DemoError(_("{count} demo harvest(s) had errors; see the messages above.").format(count=failures))


def _catalogue(say: Progress, step: Progress) -> None:
    say(_("Organisations and datasets ..."))
    try:
        summary = catalogue.load(progress=step)
    except RuntimeError as error:  # e.g. a demo dataset's name taken by another organisation
        raise DemoError(str(error)) from None
    say(_("Demo: {created} created, {updated} updated, {unchanged} unchanged.").format(
        created=summary.created, updated=summary.updated, unchanged=summary.unchanged))
    say(_("Openheidsregister as a dataset ..."))
    try:
        register = register_dataset.ensure_register_dataset(DEMO_REGISTER_ORGANIZATION)
    except register_dataset.RegisterDatasetError as error:
        raise DemoError(str(error)) from None
    step(_("dataset {name}: updated").format(name=register["name"]))


def _publications(say: Progress, step: Progress) -> None:
    from ckanext.openoverheid.demo import publicaties

    say(_("Woo publications (documents uploaded, their metadata removed) ..."))
    try:
        summary = publicaties.load(progress=step)
    except RuntimeError as error:  # a demo publication's name taken by another organisation
        raise DemoError(str(error)) from None
    say(_("Publications: {created} created, {updated} updated, {unchanged} unchanged.").format(
        created=summary.created, updated=summary.updated, unchanged=summary.unchanged))


def _meldingen(say: Progress, step: Progress) -> None:
    from ckanext.openoverheid.demo import meldingen
    from ckanext.openoverheid.meldingen import opendata

    say(_("Meldingen openbare ruimte ..."))
    created = meldingen.load_demo_meldingen(progress=step)
    written = opendata.sync_all(progress=step)
    step(_("{created} demo meldingen added, {written} in the open data").format(created=created, written=written))


def _verzoeken(say: Progress, step: Progress) -> None:
    from ckanext.openoverheid.demo import verzoeken
    from ckanext.openoverheid.verzoeken import opendata

    say(_("Data requests and ideas ..."))
    created = verzoeken.load_demo_verzoeken(progress=step)
    try:
        written = opendata.sync_all()
    except RuntimeError as error:  # no datastore, or no organisation to own the open data
        step(str(error))
        written = 0
    step(_("{created} demo requests added, {written} in the open data").format(created=created, written=written))


def _harvest_failed(summary: JobSummary) -> int:
    return 1 if summary.gather_errors or summary.object_errors else 0

"""Commands of the alerts plugin, in the shared ``ckan openoverheid`` group:

    ckan openoverheid attenderingen send-due     # purge, queue what is due, send the queue, now
    ckan openoverheid attenderingen scheduler    # what make run starts: enqueue a run every minute
"""

from __future__ import annotations

import time

import click

from ckanext.openoverheid.cli import group_with
from ckanext.openoverheid.cli_text import N_, _, group


@group("attenderingen", help=N_("E-mail alerts: send what is due now, or run the scheduler."),
       short_help=N_("E-mail alerts (attenderingen)"))
def attenderingen() -> None:
    pass


@attenderingen.command("send-due", help=N_(
    "Delete expired unconfirmed subscriptions, queue the alerts that are due and send the queued mail, now."))
def send_due() -> None:
    from ckanext.openoverheid.attenderingen import jobs

    result = jobs.run_due()
    click.echo(_("{mails} alert mail(s) queued with {events} item(s); {sent} sent, {postponed} postponed, "
                 "{failed} failed, {pending} waiting.").format(**result))
    if result["postponed"]:
        click.secho(_("The mail server did not accept mail: check smtp.server in ckan.ini. The mail is kept "
                      "and tried again."), fg="yellow", err=True)


@attenderingen.command("scheduler", help=N_(
    "Every scheduler_interval seconds, put a run of the alerts on CKAN's job queue (`ckan jobs worker` runs "
    "it). Running two schedulers is harmless."))
@click.option("--once", is_flag=True, help=N_("Enqueue one run and stop (for cron)."))
def scheduler(once: bool) -> None:
    import ckan.plugins.toolkit as tk

    from ckanext.openoverheid.attenderingen import jobs, settings

    while True:
        try:
            tk.enqueue_job(jobs.run_due, title="attenderingen: send what is due")
        except Exception as error:  # Redis restarting: the next tick tries again
            click.echo(_("Could not put the alerts run on the job queue: {error}").format(error=error), err=True)
        if once:
            return
        time.sleep(settings.scheduler_interval())


def get_commands() -> list[click.Command]:
    return [group_with([attenderingen])]

"""The background jobs (CKAN's rq queue, run by ``ckan jobs worker``): what the scheduler enqueues
every ``scheduler_interval`` seconds, and the sending of one new mail at once. Both are safe to run in
several workers at the same time (see ``delivery`` and ``outbox``)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from ckanext.openoverheid.attenderingen import delivery, outbox, subscriptions

log = logging.getLogger(__name__)


def run_due() -> dict[str, Any]:
    """Purge, queue what is due, send what is queued; the counts (no addresses)."""
    purged = subscriptions.purge()
    collected = delivery.collect_due()
    sent = outbox.send_due()
    result = {"purged": purged, **asdict(collected), **asdict(sent), "pending": delivery.pending_count()}
    if collected.mails or sent.sent or sent.postponed or sent.failed:
        log.info("Alerts: %s", result)
    return result


def send_mail(mail_id: int) -> dict[str, Any]:
    return asdict(outbox.send_due(only=mail_id))


def enqueue_send(mail_id: int) -> None:
    """Send a new mail (a confirmation) without waiting for the scheduler; if the queue cannot be
    reached the scheduler's next run sends it."""
    import ckan.plugins.toolkit as tk

    try:
        tk.enqueue_job(send_mail, [mail_id], title="attenderingen: send a confirmation")
    except Exception as error:  # Redis down: the mail is in the database, the next run sends it
        log.warning("Could not enqueue sending of mail %s (%s); the scheduler will send it", mail_id, error)

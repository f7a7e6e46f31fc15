"""The meldingen's own background work (CKAN's rq queue, run by ``ckan jobs worker``), put on the queue
every ``maintenance_interval`` seconds by ``ckan openoverheid meldingen scheduler``. Each task is safe
to repeat and to run in two workers at once: it acts only on what is due and marks what it did."""

from __future__ import annotations

import datetime
import logging

from ckanext.openoverheid.meldingen import followup, retention
from ckanext.openoverheid.meldingen.model import utcnow

log = logging.getLogger(__name__)


def run_maintenance(now: datetime.datetime | None = None) -> dict[str, int]:
    """Do what is due at ``now``; the counts per task (never an address)."""
    now = now or utcnow()
    result: dict[str, int] = {}
    result["contacts_erased"] = retention.erase_expired_contacts(now)
    result["solved_questions"] = followup.ask_if_solved(now)
    if any(result.values()):
        log.info("Meldingen maintenance: %s", result)
    return result

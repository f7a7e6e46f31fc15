"""Removing the reporter's personal data once it has served its purpose.

The e-mail address, name and IP address of a melding's reporter are kept while the melding is handled
(for updates by e-mail and abuse handling) and for ``retention_days`` after it was closed, in case it is
reopened or contested. Then they are blanked and ``erased`` records when. The melding itself and its public
history stay. A melding that was never closed keeps its contact data: it is still being handled.
"""

from __future__ import annotations

import datetime

import ckan.model as model
from sqlalchemy import exists, select, update

from ckanext.openoverheid.meldingen import settings
from ckanext.openoverheid.meldingen.model import Melding, MeldingContact

BATCH_SIZE = 1000


def erase_expired_contacts(now: datetime.datetime, retention_days: int | None = None,
                           batch_size: int = BATCH_SIZE) -> int:
    """Blank the contact data of meldingen closed more than ``retention_days`` (default: the setting) before
    ``now``; the number of meldingen whose data was removed. Safe to repeat and to run twice at once: a
    row already erased no longer matches, and each batch is one UPDATE committed on its own."""
    days = settings.retention_days() if retention_days is None else retention_days
    cutoff = now - datetime.timedelta(days=days)
    contact = MeldingContact.__table__
    melding = Melding.__table__
    due = (
        select(contact.c.melding_id)
        .where(
            contact.c.erased.is_(None),
            exists().where(melding.c.id == contact.c.melding_id, melding.c.closed.is_not(None),
                           melding.c.closed < cutoff),
        )
        .limit(batch_size)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = (
        update(contact)
        .where(contact.c.melding_id.in_(due))
        .values(email=None, name=None, ip_address=None, erased=now)
    )
    erased = 0
    while True:
        count = model.Session.execute(statement).rowcount or 0
        model.Session.commit()
        erased += count
        if count < batch_size:
            return erased

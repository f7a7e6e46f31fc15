"""Service request updates, the FixMyStreet extension of Open311 that back-office systems and apps read
(``GET servicerequestupdates.json``): the public history of all meldingen in a time window.

Only what the melding's own page shows: status changes and responses of the municipality (``update``)
and additions of reporters (``reporter``), never of hidden meldingen, never the staff-only entries
(``hidden``, ``shown``, ``photo_hidden``), and never who wrote them.
"""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from ckanext.openoverheid.meldingen import categories
from ckanext.openoverheid.meldingen.model import Melding, MeldingUpdate
from ckanext.openoverheid.meldingen.records import iso, update_photo_url

PUBLIC_KINDS = ("update", "reporter")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

_update = MeldingUpdate.__table__.c
_melding = Melding.__table__.c


def page(session: Session, start: datetime.datetime, end: datetime.datetime, page_number: int,
         page_size: int) -> list[Row[Any]]:
    """The public updates made from ``start`` up to and including ``end``, oldest first; page
    ``page_number`` (from 1) of ``page_size``."""
    statement = (
        select(_update.id, _update.melding_id, _update.status_from, _update.status_to, _update.text,
               _update.created, _update.photo, _update.photo_hidden, _melding.status.label("melding_status"))
        .join_from(MeldingUpdate.__table__, Melding.__table__, _melding.id == _update.melding_id)
        .where(_update.kind.in_(PUBLIC_KINDS), _melding.hidden.is_(False),
               _update.created >= start, _update.created <= end)
        .order_by(_update.created, _update.id)
        .offset((page_number - 1) * page_size)
        .limit(page_size)
    )
    return list(session.execute(statement).all())


def update_state(status_code: str) -> str:
    """Our status as the upper-case state of FixMyStreet's updates (``open311_update`` in the statuses file)."""
    status = categories.workflow().get(status_code)
    return status.open311_update if status else "OPEN"


def request_update(row: Row[Any], site_url: str) -> dict[str, Any]:
    """One ``<request_update>``. The status is the one the melding had after the update: its new status,
    or, for a response alone, the status it kept."""
    return {
        "update_id": str(row.id),
        "service_request_id": str(row.melding_id),
        "status": update_state(row.status_to or row.status_from or row.melding_status),
        "updated_datetime": iso(row.created),
        "description": row.text or "",
        # a photo the reporter added, unless the staff hid it
        "media_url": update_photo_url(site_url, row.melding_id, row.id) if row.photo and not row.photo_hidden else None,
    }

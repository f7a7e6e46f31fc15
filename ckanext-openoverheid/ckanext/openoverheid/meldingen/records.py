"""A melding as a plain dict, the one shape every output is built from (HTML, Action API, Open311,
feeds, GeoJSON, CSV, DataStore).

Built field by field from the melding and its updates only: the private contact table is not
read here, so no public output can carry the reporter's e-mail or IP address.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from typing import Any, NamedTuple, TypeAlias

from sqlalchemy import Row

from ckanext.openoverheid.meldingen import categories, targets
from ckanext.openoverheid.meldingen.model import Melding, MeldingUpdate, utcnow


class MeldingRow(NamedTuple):
    """A melding as lists read it (``queries.page``): the columns public output is built from, the
    name and title of its organisation and, if asked for, its latest public response."""

    id: int
    organization_id: str
    service_code: str
    status: str
    description: str
    lat: float
    lon: float
    address: str | None
    attributes: dict[str, Any] | None
    photo: str | None
    photo_thumbnail: str | None
    photo_hidden: bool
    hidden: bool
    hidden_reason: str | None
    source: str
    requested: datetime.datetime
    updated: datetime.datetime
    due: datetime.datetime | None
    organization_name: str | None
    organization_title: str | None
    status_notes: str | None = None


# A melding or an update: the mapped object, or a row of its columns.
MeldingFields: TypeAlias = Melding | MeldingRow
UpdateFields: TypeAlias = MeldingUpdate | Row[Any]


def iso(moment: datetime.datetime | None) -> str | None:
    """W3C/ISO 8601 with a zone, as Open311 asks (``2026-11-29T10:15:00+00:00``)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def melding_url(site_url: str, melding_id: int) -> str:
    return f"{site_url}/meldingen/{melding_id}"


def photo_url(site_url: str, melding_id: int, thumbnail: bool = False) -> str:
    return f"{site_url}/meldingen/{melding_id}/foto{'/klein' if thumbnail else ''}"


def update_photo_url(site_url: str, melding_id: int, update_id: int, thumbnail: bool = False) -> str:
    return f"{site_url}/meldingen/{melding_id}/updates/{update_id}/foto{'/klein' if thumbnail else ''}"


# Kinds of updates in the public history: the municipality's, and the reporter's (never naming them).
# The others (hidden, shown, photo_hidden) are for staff only.
PUBLIC_KINDS = ("update", "reporter")
BY = {"update": "municipality", "reporter": "reporter"}


def public_update(update: UpdateFields, lang: str, site_url: str = "") -> dict[str, Any]:
    workflow = categories.workflow()
    status = workflow.get(update.status_to) if update.status_to else None
    photo = bool(update.photo) and not update.photo_hidden
    return {
        "id": update.id,
        "by": BY.get(update.kind, "municipality"),
        "status_from": update.status_from,
        "status": update.status_to,
        "status_name": categories.label(status.name, lang) if status else None,
        "text": update.text,
        "photo_url": update_photo_url(site_url, update.melding_id, update.id) if photo else None,
        "thumbnail_url": update_photo_url(site_url, update.melding_id, update.id, True)
        if photo and update.photo_thumbnail else None,
        "created": iso(update.created),
    }


def status_notes(updates: Sequence[UpdateFields]) -> str | None:
    """The latest public response: Open311's ``status_notes``."""
    notes = [u.text for u in updates if u.kind == "update" and u.text]
    return notes[-1] if notes else None


class _Names(NamedTuple):
    category: str
    category_group: str
    status_name: str
    open311_status: str


@functools.lru_cache(maxsize=512)
def _names(service_code: str, status_code: str, lang: str) -> _Names:
    """What a category and a status are called in ``lang``: the same for most meldingen of a list,
    so looked up once (the categories and statuses are read once, at start-up)."""
    category = categories.category(service_code)
    status = categories.workflow().get(status_code)
    return _Names(
        category=categories.label(category.name, lang) if category else service_code,
        category_group=categories.label(category.group, lang) if category else "",
        status_name=categories.label(status.name, lang) if status else status_code,
        open311_status=status.open311 if status else "open",
    )


def public_melding(
    melding: MeldingFields,
    *,
    organization: dict[str, Any],
    site_url: str,
    lang: str = "nl",
    updates: Sequence[UpdateFields] | None = None,
    staff: bool = False,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """What anyone may see of a melding. ``organization`` is ``{"name", "title"}``. With ``updates``
    (the melding's, oldest first), its public history and ``status_notes``. With ``staff``, also what
    civil servants of the municipality may see (never the contact data). ``overdue`` is judged at
    ``now`` (default: this moment)."""
    names = _names(melding.service_code, melding.status, lang)
    # A photo hidden by the municipality (people, number plates) is shown to its staff only.
    photo_shown = staff or not melding.photo_hidden
    result: dict[str, Any] = {
        "id": melding.id,
        "service_request_id": str(melding.id),
        "service_code": melding.service_code,
        "category": names.category,
        "category_group": names.category_group,
        "status": melding.status,
        "status_name": names.status_name,
        "open311_status": names.open311_status,
        "description": melding.description,
        "lat": melding.lat,
        "lon": melding.lon,
        "address": melding.address or None,
        "attributes": dict(melding.attributes or {}),
        "organization": {"name": organization.get("name"), "title": organization.get("title")},
        "photo_url": photo_url(site_url, melding.id) if melding.photo and photo_shown else None,
        "thumbnail_url": (photo_url(site_url, melding.id, thumbnail=True)
                          if melding.photo_thumbnail and photo_shown else None),
        "requested": iso(melding.requested),
        "updated": iso(melding.updated),
        "expected_datetime": iso(melding.due),
        "overdue": targets.is_overdue(melding.due, now or utcnow(), is_open=names.open311_status == "open"),
        "url": melding_url(site_url, melding.id),
    }
    if updates is not None:
        result["updates"] = [public_update(u, lang, site_url) for u in updates if u.kind in PUBLIC_KINDS]
        result["status_notes"] = status_notes(updates)
    if staff:
        result["hidden"] = bool(melding.hidden)
        result["hidden_reason"] = melding.hidden_reason
        result["source"] = melding.source
        result["photo_hidden"] = bool(melding.photo_hidden)
    return result

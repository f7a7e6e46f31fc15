"""A melding as a plain dict, the one shape every output is built from (HTML, Action API, Open311,
feeds, GeoJSON, CSV, DataStore).

Built field by field from the melding and its updates only: the private contact table is not
read here, so no public output can carry the reporter's e-mail or IP address.
"""

from __future__ import annotations

import datetime
from typing import Any

from ckanext.openoverheid.meldingen import categories
from ckanext.openoverheid.meldingen.model import Melding, MeldingUpdate


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


def public_update(update: MeldingUpdate, lang: str) -> dict[str, Any]:
    workflow = categories.workflow()
    status = workflow.get(update.status_to) if update.status_to else None
    return {
        "status_from": update.status_from,
        "status": update.status_to,
        "status_name": categories.label(status.name, lang) if status else None,
        "text": update.text,
        "created": iso(update.created),
    }


def public_melding(
    melding: Melding,
    *,
    organization: dict[str, Any],
    site_url: str,
    lang: str = "nl",
    with_updates: bool = False,
    staff: bool = False,
) -> dict[str, Any]:
    """What anyone may see of a melding. ``organization`` is ``{"name", "title"}``. With ``staff``,
    also what civil servants of the municipality may see (never the contact data)."""
    category = categories.category(melding.service_code)
    status = categories.workflow().get(melding.status)
    result: dict[str, Any] = {
        "id": melding.id,
        "service_request_id": str(melding.id),
        "service_code": melding.service_code,
        "category": categories.label(category.name, lang) if category else melding.service_code,
        "category_group": categories.label(category.group, lang) if category else "",
        "status": melding.status,
        "status_name": categories.label(status.name, lang) if status else melding.status,
        "open311_status": status.open311 if status else "open",
        "description": melding.description,
        "lat": melding.lat,
        "lon": melding.lon,
        "address": melding.address or None,
        "attributes": dict(melding.attributes or {}),
        "organization": {"name": organization.get("name"), "title": organization.get("title")},
        "photo_url": photo_url(site_url, melding.id) if melding.photo else None,
        "thumbnail_url": photo_url(site_url, melding.id, thumbnail=True) if melding.photo_thumbnail else None,
        "requested": iso(melding.requested),
        "updated": iso(melding.updated),
        "url": melding_url(site_url, melding.id),
    }
    if with_updates:
        public = [u for u in melding.updates if u.kind == "update"]
        result["updates"] = [public_update(u, lang) for u in public]
        # The latest public response is the Open311 status_notes.
        notes = [u.text for u in public if u.text]
        result["status_notes"] = notes[-1] if notes else None
    if staff:
        result["hidden"] = bool(melding.hidden)
        result["hidden_reason"] = melding.hidden_reason
        result["source"] = melding.source
    return result

"""Meldingen as the public sees them in one request: ``records.public_melding`` of each, with what
is the same for the whole request (site URL, language, each organisation and whether the user is on
its staff) looked up once, not per melding."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.meldingen import records, settings
from ckanext.openoverheid.meldingen.logic.auth import is_staff
from ckanext.openoverheid.meldingen.model import Melding, utcnow


def lang() -> str:
    """The language of the request; outside a request, the site's default."""
    try:
        return tk.h.lang() or "nl"
    except (RuntimeError, AttributeError, TypeError):
        return tk.config.get("ckan.locale_default") or "nl"


def _organization(melding: records.MeldingFields) -> dict[str, Any]:
    if isinstance(melding, records.MeldingRow):
        return {"name": melding.organization_name, "title": melding.organization_title}
    group = model.Group.get(melding.organization_id)
    return {"name": group.name, "title": group.title} if group else {"name": None, "title": None}


def public_list(
    meldingen: Sequence[records.MeldingFields],
    user: str | None,
    *,
    updates: Mapping[int, Sequence[records.UpdateFields]] | None = None,
) -> list[dict[str, Any]]:
    """``records.public_melding`` of each melding as ``user`` may see it, with their public
    history if ``updates`` maps their ids to it."""
    site_url, language, now = settings.site_url(), lang(), utcnow()
    organizations: dict[str, dict[str, Any]] = {}
    staff: dict[str, bool] = {}
    results = []
    for melding in meldingen:
        organization_id = melding.organization_id
        if organization_id not in organizations:
            organizations[organization_id] = _organization(melding)
            staff[organization_id] = is_staff(user, organization_id)
        results.append(records.public_melding(
            melding,
            organization=organizations[organization_id],
            site_url=site_url,
            lang=language,
            updates=None if updates is None else updates.get(melding.id, ()),
            staff=staff[organization_id],
            now=now,
        ))
    return results


def public_one(melding: Melding, user: str | None) -> dict[str, Any]:
    """One melding with its public history."""
    return public_list([melding], user, updates={melding.id: melding.updates})[0]

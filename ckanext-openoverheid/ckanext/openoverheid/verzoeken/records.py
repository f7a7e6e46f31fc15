"""A request as a plain dict, the one shape every output is built from (pages, Action API, feeds,
open data). Built from the request and its history only: the supporters' table is never read here,
so no public output can carry a requester's or supporter's address."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from ckanext.openoverheid.verzoeken.model import Soort, Status, Verzoek, VerzoekUpdate

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Marks an English msgid for extraction; translated where it is shown."""
    return message


SOORT_NAMES = {Soort.DATA: N_("Data request"), Soort.IDEE: N_("Idea")}
STATUS_NAMES = {
    Status.ONTVANGEN: N_("Received"),
    Status.IN_BEHANDELING: N_("Being handled"),
    Status.GEPUBLICEERD: N_("Published"),
    Status.AFGEWEZEN: N_("Declined"),
}
OPEN_STATUSES = (Status.ONTVANGEN, Status.IN_BEHANDELING)
# What the public history shows; ``hidden`` and ``shown`` (moderation, with its reason) are for staff.
PUBLIC_KINDS = ("update", "assigned")


def soort_name(code: str, _: Gettext) -> str:
    return _(SOORT_NAMES[Soort(code)]) if code in SOORT_NAMES else code


def status_name(code: str | None, _: Gettext) -> str:
    return _(STATUS_NAMES[Status(code)]) if code in STATUS_NAMES else str(code or "")


def iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def verzoek_url(site_url: str, verzoek_id: int) -> str:
    return f"{site_url}/verzoeken/{verzoek_id}"


def dataset_part(dataset: Any | None, site_url: str) -> dict[str, Any] | None:
    """The answering dataset by name, title and page (a CKAN ``Package``), or None."""
    if dataset is None:
        return None
    kind = dataset.type or "dataset"
    return {"id": dataset.id, "name": dataset.name, "title": dataset.title or dataset.name, "type": kind,
            "url": f"{site_url}/{kind}/{dataset.name}"}


def organization_part(group: Any | None) -> dict[str, Any] | None:
    if group is None:
        return None
    return {"id": group.id, "name": group.name, "title": group.title or group.name}


def public_update(update: VerzoekUpdate, datasets: dict[str, Any], site_url: str, _: Gettext) -> dict[str, Any]:
    return {
        "id": update.id,
        "kind": update.kind,
        "status_from": update.status_from,
        "status": update.status_to,
        "status_name": status_name(update.status_to, _) if update.status_to else None,
        "text": update.text,
        "dataset": dataset_part(datasets.get(update.dataset_id or ""), site_url),
        "woo_grounds": list(update.woo_grounds or []),
        "created": iso(update.created),
    }


def staff_update(update: VerzoekUpdate, datasets: dict[str, Any], site_url: str, _: Gettext,
                 user_names: dict[str, str]) -> dict[str, Any]:
    """An entry of the history as the organisation's staff see it: moderation included, with who did it."""
    return {**public_update(update, datasets, site_url, _), "user": user_names.get(update.user_id or "")}


def public_verzoek(verzoek: Verzoek, *, organization: Any | None, dataset: Any | None,
                   updates: Iterable[dict[str, Any]] | None, site_url: str, _: Gettext,
                   staff: bool = False) -> dict[str, Any]:
    """The request as anyone may see it; ``staff`` adds moderation (hidden, its reason, confirmation)."""
    result: dict[str, Any] = {
        "id": verzoek.id,
        "soort": verzoek.soort,
        "soort_name": soort_name(verzoek.soort, _),
        "titel": verzoek.titel,
        "toelichting": verzoek.toelichting,
        "organization": organization_part(organization),
        "lat": verzoek.lat,
        "lon": verzoek.lon,
        "status": verzoek.status,
        "status_name": status_name(verzoek.status, _),
        "open": verzoek.status in OPEN_STATUSES,
        "antwoord": verzoek.antwoord,
        "dataset": dataset_part(dataset, site_url),
        "woo_grounds": list(verzoek.woo_grounds or []),
        "review_date": verzoek.review_date.isoformat() if verzoek.review_date else None,
        "support_count": verzoek.support_count,
        "created": iso(verzoek.confirmed or verzoek.created),
        "updated": iso(verzoek.updated),
        "url": verzoek_url(site_url, verzoek.id),
    }
    if updates is not None:
        result["updates"] = list(updates)
    if staff:
        result["hidden"] = verzoek.hidden
        result["hidden_reason"] = verzoek.hidden_reason
        result["confirmed"] = verzoek.confirmed is not None
    return result

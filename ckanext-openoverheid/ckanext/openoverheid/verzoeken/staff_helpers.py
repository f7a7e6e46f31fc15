"""Template helpers of the staff side of the verzoeken and of the dataset page's link to the requests a
dataset answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.staff import is_staff, staff_organization_ids
from ckanext.openoverheid.verzoeken import records
from ckanext.openoverheid.verzoeken.model import Status


def _user() -> str | None:
    return tk.current_user.name if tk.current_user.is_authenticated else None


def verzoeken_answered_by(dataset_id: str) -> list[dict[str, Any]]:
    """The public requests this dataset answers (``gepubliceerd`` with it), read as an anonymous visitor."""
    result = tk.get_action("verzoek_list")({"user": None}, {"dataset": dataset_id, "sort": "nieuw", "limit": 20})
    return [{"id": r["id"], "titel": r["titel"], "url": r["url"]} for r in result["results"]]


def verzoeken_handles(organization_id: str | None = None) -> bool:
    """Whether the signed-in user answers requests: of this organisation, or of any when none is given."""
    user = _user()
    if organization_id is None:
        return bool(user) and (bool(staff_organization_ids(user)) or tk.current_user.sysadmin)
    return is_staff(user, organization_id)


def verzoeken_woo_grounds_field() -> dict[str, str]:
    """The Woo grounds choice of the answer form, described as the dataset form's scheming field is."""
    return {
        "field_name": "woo_grounds",
        "label": tk._("Legal grounds (Woo)"),
        "help_text": tk._("Choose every ground of the Woo on which the data is not made public."),
    }


def verzoeken_staff_statuses() -> list[tuple[str, str]]:
    """The statuses staff can set, in the order a request goes through them, with their names."""
    return [(status.value, records.status_name(status.value, tk._)) for status in Status]


def verzoeken_organisations() -> list[dict[str, Any]]:
    """Every active organisation (a request can be sent on to any of them), by title."""
    return tk.get_action("organization_list")({"user": None}, {"all_fields": True, "limit": 1000, "sort": "title asc"})


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "verzoeken_answered_by": verzoeken_answered_by,
        "verzoeken_handles": verzoeken_handles,
        "verzoeken_organisations": verzoeken_organisations,
        "verzoeken_staff_statuses": verzoeken_staff_statuses,
        "verzoeken_woo_grounds_field": verzoeken_woo_grounds_field,
    }

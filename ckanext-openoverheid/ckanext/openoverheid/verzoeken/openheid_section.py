"""The openheidsregister's third part: data requests refused because the data exists but is not public,
with their Woo grounds, the motivation (the public response) and the review date. Read through
``verzoek_list`` as an anonymous visitor, so a hidden or unconfirmed request never appears."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.openheid import register

PAGE_SIZE = 1000


def register_entry(verzoek: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    organization = verzoek.get("organization") or {}
    review = verzoek.get("review_date")
    return {
        "id": verzoek["id"],
        "titel": verzoek["titel"],
        "url": verzoek["url"],
        "organization": {"name": organization.get("name"), "title": organization.get("title")},
        "woo_grounds": list(verzoek.get("woo_grounds") or []),
        "woo_motivation": verzoek.get("antwoord"),
        "review_date": review,
        "review_expired": register.review_expired({"review_date": review}, today),
        "modified": verzoek.get("updated"),
    }


def refused_closed_requests(organization: str | None, today: datetime.date) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"soort": "data", "status": "afgewezen", "sort": "bijgewerkt", "limit": PAGE_SIZE}
    if organization:
        params["organisatie"] = organization
    entries: list[dict[str, Any]] = []
    offset = 0
    while True:
        try:
            page = tk.get_action("verzoek_list")({"user": None}, dict(params, offset=offset))
        except tk.ValidationError:  # an organisation that does not exist has no requests
            return []
        entries += [register_entry(v, today) for v in page["results"] if v.get("woo_grounds")]
        offset += PAGE_SIZE
        if offset >= page["count"]:
            return entries


def add_to_register() -> None:
    register.add_section(register.Section(key="verzoeken", count_key="verzoek_count",
                                          plugin="openoverheid_verzoeken", build=refused_closed_requests))

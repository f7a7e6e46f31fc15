"""The openheidsregister (openness register): every dataset that is not public, and why.

Built from the search index through ``package_search`` as an anonymous visitor, so the register can
never show more than the public may see. Per organisation it also counts the share of open datasets.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

CLOSED_QUERY = "-access_rights:publiek"
PAGE_SIZE = 500


def _search(params: dict[str, Any]) -> dict[str, Any]:
    context = {"user": "", "ignore_auth": False}
    return tk.get_action("package_search")(context, dict(params, include_private=False))


def closed_datasets(organization: str | None = None) -> Iterator[dict[str, Any]]:
    """Every non-public dataset, oldest closure first, page by page."""
    fq = CLOSED_QUERY + (f' +organization:"{organization}"' if organization else "")
    start = 0
    while True:
        page = _search({"q": "*:*", "fq": fq, "rows": PAGE_SIZE, "start": start, "sort": "name asc"})
        yield from page["results"]
        start += PAGE_SIZE
        if start >= page["count"]:
            return


def review_expired(pkg: dict[str, Any], today: datetime.date | None = None) -> bool:
    """True when a closure is past its review date (Woo art. 5.3): it must be reconsidered."""
    value = pkg.get("review_date")
    if not value:
        return False
    try:
        review = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return False
    return review < (today or datetime.date.today())


def register_entry(pkg: dict[str, Any], today: datetime.date | None = None) -> dict[str, Any]:
    organization = pkg.get("organization") or {}
    return {
        "id": pkg["id"],
        "name": pkg["name"],
        "title": pkg.get("title"),
        "url": tk.url_for("dataset.read", id=pkg["name"], _external=True),
        "organization": {"name": organization.get("name"), "title": organization.get("title")},
        "access_rights": pkg.get("access_rights"),
        "woo_grounds": list(pkg.get("woo_grounds") or []),
        "woo_motivation": pkg.get("woo_motivation"),
        "review_date": pkg.get("review_date"),
        "closed_since": pkg.get("closed_since"),
        "modified": pkg.get("metadata_modified"),
        "review_expired": review_expired(pkg, today),
    }


def organization_shares() -> list[dict[str, Any]]:
    """Per organisation: datasets in total, closed, and the share that is open (0–1)."""

    def counts(fq: str) -> dict[str, int]:
        result = _search({"q": "*:*", "fq": fq, "rows": 0, "facet.field": '["organization"]', "facet.limit": -1})
        return dict(result["facets"].get("organization", {}))

    total = counts("*:*")
    closed = counts(CLOSED_QUERY)
    titles = {
        org["name"]: org["title"]
        for org in tk.get_action("organization_list")({"user": ""}, {"all_fields": True, "limit": 1000})
    }
    shares = []
    for name in sorted(total):
        n_total, n_closed = total[name], closed.get(name, 0)
        shares.append(
            {
                "name": name,
                "title": titles.get(name, name),
                "total": n_total,
                "closed": n_closed,
                "open": n_total - n_closed,
                "share_open": round((n_total - n_closed) / n_total, 4) if n_total else 1.0,
            }
        )
    return shares


def build_register(organization: str | None = None, today: datetime.date | None = None) -> dict[str, Any]:
    entries = [register_entry(pkg, today) for pkg in closed_datasets(organization)]
    return {
        "generated": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "count": len(entries),
        "datasets": entries,
        "organizations": organization_shares(),
    }

"""The openheidsregister (openness register): every dataset and every document (of a Woo publication)
that is not public, and why.

Built from the search index through ``package_search`` as an anonymous visitor, so the register can
never show more than the public may see. Per organisation it also counts the share of open datasets.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.openheid.policy import ACCESS_RIGHTS, PUBLIEK, is_closed

CLOSED_QUERY = "-access_rights:publiek"
# Publications with at least one document that is not public (openheid/indexing.py).
CLOSED_DOCUMENTS_QUERY = "+vocab_document_access_rights:(" + " OR ".join(
    f'"{rights}"' for rights in ACCESS_RIGHTS if rights != PUBLIEK) + ")"
PAGE_SIZE = 500


@dataclass(frozen=True)
class Section:
    """More of the register from another plugin (refused requests of ``openoverheid_verzoeken``): its
    ``build(organization, today)`` gives the entries, listed under ``key`` and counted as ``count_key``
    while ``plugin`` is loaded. The register core never imports those plugins."""

    key: str
    count_key: str
    plugin: str
    build: Callable[[str | None, datetime.date], list[dict[str, Any]]]


_sections: dict[str, Section] = {}


def add_section(section: Section) -> None:
    _sections[section.key] = section


def _search(params: dict[str, Any]) -> dict[str, Any]:
    context = {"user": "", "ignore_auth": False}
    return tk.get_action("package_search")(context, dict(params, include_private=False))


def closed_datasets(organization: str | None = None) -> Iterator[dict[str, Any]]:
    """Every non-public dataset, by name, page by page."""
    return _all(CLOSED_QUERY, organization)


def datasets_with_closed_documents(organization: str | None = None) -> Iterator[dict[str, Any]]:
    """Every public dataset (a Woo publication) with a document that is not public, by name."""
    return _all(f"{CLOSED_DOCUMENTS_QUERY} -({CLOSED_QUERY})", organization)


def _all(query: str, organization: str | None) -> Iterator[dict[str, Any]]:
    fq = query + (f' +organization:"{organization}"' if organization else "")
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


def _closure(closed: dict[str, Any], today: datetime.date | None) -> dict[str, Any]:
    return {
        "access_rights": closed.get("access_rights"),
        "woo_grounds": list(closed.get("woo_grounds") or []),
        "woo_motivation": closed.get("woo_motivation"),
        "review_date": closed.get("review_date"),
        "closed_since": closed.get("closed_since"),
        "review_expired": review_expired(closed, today),
    }


def _dataset_part(pkg: dict[str, Any]) -> dict[str, Any]:
    organization = pkg.get("organization") or {}
    return {
        "id": pkg["id"],
        "name": pkg["name"],
        "title": pkg.get("title"),
        "type": pkg.get("type") or "dataset",
        "url": tk.url_for(f"{pkg.get('type') or 'dataset'}.read", id=pkg["name"], _external=True),
        "organization": {"name": organization.get("name"), "title": organization.get("title")},
    }


def register_entry(pkg: dict[str, Any], today: datetime.date | None = None) -> dict[str, Any]:
    return {**_dataset_part(pkg), **_closure(pkg, today), "modified": pkg.get("metadata_modified")}


def document_entries(pkg: dict[str, Any], today: datetime.date | None = None) -> list[dict[str, Any]]:
    """The closed documents of a publication, each with its publication and its own closure."""
    publication = _dataset_part(pkg)
    return [
        {
            "id": resource.get("id"),
            "name": resource.get("name") or "",
            "publication": publication,
            "organization": publication["organization"],
            **_closure(resource, today),
            "modified": resource.get("metadata_modified") or pkg.get("metadata_modified"),
        }
        for resource in pkg.get("resources") or []
        if isinstance(resource, dict) and is_closed(resource.get("access_rights"))
    ]


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
    documents = [entry for pkg in datasets_with_closed_documents(organization)
                 for entry in document_entries(pkg, today)]
    result: dict[str, Any] = {
        "generated": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "count": len(entries),
        "datasets": entries,
        "document_count": len(documents),
        "documents": documents,
        "organizations": organization_shares(),
    }
    for section in _sections.values():
        if p.plugin_loaded(section.plugin):
            extra = section.build(organization, today or datetime.date.today())
            result[section.key], result[section.count_key] = extra, len(extra)
    return result

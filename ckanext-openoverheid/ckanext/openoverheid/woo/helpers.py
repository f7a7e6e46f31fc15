"""Template helpers of the Woo feature: robots.txt's sitemap lines; for publications, category labels,
each document's openness, and whether the viewer may have a document's file."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError
from flask import request

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.helpers import N_, openoverheid_site_language
from ckanext.openoverheid.openheid import withholding
from ckanext.openoverheid.woo import inventory, pages, sitemap


def openoverheid_woo_robots_lines() -> list[str]:
    """robots.txt's ``Sitemap:`` lines, one per sitemap index (absolute URLs), from the database now."""
    return sitemap.robots_lines(str(tk.config.get("ckan.site_url") or ""), sitemap.indexes())


def openoverheid_woo_category_label(uri: str | None) -> str:
    return pages.category_label(uri, openoverheid_site_language())


def openoverheid_woo_category_code(uri: str | None) -> str:
    """The category's number ("014"), as the ``/publicaties`` filter takes it."""
    return pages.category_code(uri)


def openoverheid_woo_handeling_label(uri: str | None) -> str:
    return valuelists.label("woo_handelingen", uri, openoverheid_site_language())


def openoverheid_woo_openness(resource: dict[str, Any]) -> str:
    """``openbaar``, ``deels openbaar`` or ``niet openbaar``."""
    return inventory.openness(resource).value


def openoverheid_woo_grounds(resource: dict[str, Any]) -> list[str]:
    """The Woo grounds of a document: why it is closed, or why parts of it were blacked out."""
    return inventory.grounds(resource)


def openoverheid_woo_is_decision(pkg: dict[str, Any]) -> bool:
    return inventory.is_woo_decision(pkg)


def openoverheid_woo_publications_matching(q: str | None) -> int:
    """How many public publications a dataset search's words find, so the dataset search can point to them."""
    if not (q or "").strip():
        return 0
    try:
        result = tk.get_action("package_search")({"user": ""}, {"q": q, "fq": "+dataset_type:publicatie", "rows": 0})
    except (tk.ValidationError, SearchError):
        return 0
    return int(result["count"])


def openoverheid_woo_may_download(pkg: dict[str, Any], resource: dict[str, Any]) -> bool:
    """A public document's file is everyone's; a closed one only its organisation's (and sysadmins'),
    whatever the dict holds: decided from ``access_rights``, so it holds whether or not
    ``package_show`` already withheld the URL."""
    if resource.get("data_withheld") or not resource.get("url"):
        return False
    if inventory.openness(resource) is not inventory.Openness.NIET_OPENBAAR:
        return True
    user = tk.current_user.name if tk.current_user.is_authenticated else None
    return withholding.viewer_may_see_data({"user": user}, pkg.get("owner_org"))


@tk.chained_helper
def openoverheid_feed_links(next_helper: Any, page: str, *args: Any, **kwargs: Any) -> list[dict[str, str]]:
    """On the publication search, the feeds of publications instead of the dataset feeds."""
    if page == "search" and request.endpoint == f"{pages.TYPE}.search":
        return pages.search_page_feeds(request.args)
    return next_helper(page, *args, **kwargs)


# CKAN names a dataset type after its machine name ("Add Publicatie", "Search Publicaties..."); ours
# in the page's language. Purposes not listed keep CKAN's wording.
PUBLICATION_WORDING = {
    "add link": N_("Add publication"),
    "breadcrumb": N_("Publications"),
    "content tab": N_("Publications"),
    "create label": N_("Create publication"),
    "create title": N_("Create publication"),
    "edit label": N_("Edit publication"),
    "facet label": N_("Publications"),
    "main nav": N_("Publications"),
    "page title": N_("Publications"),
    "save label": N_("Save publication"),
    "search placeholder": N_("Search publications..."),
    "update label": N_("Update publication"),
}


@tk.chained_helper
def humanize_entity_type(next_helper: Any, entity_type: str, object_type: str, purpose: str) -> str | None:
    if entity_type == "package" and object_type == pages.TYPE and purpose in PUBLICATION_WORDING:
        return tk._(PUBLICATION_WORDING[purpose])
    return next_helper(entity_type, object_type, purpose)


def get_helpers() -> dict[str, Any]:
    return {
        "openoverheid_woo_robots_lines": openoverheid_woo_robots_lines,
        "openoverheid_feed_links": openoverheid_feed_links,
        "humanize_entity_type": humanize_entity_type,
        "openoverheid_woo_category_label": openoverheid_woo_category_label,
        "openoverheid_woo_category_code": openoverheid_woo_category_code,
        "openoverheid_woo_handeling_label": openoverheid_woo_handeling_label,
        "openoverheid_woo_openness": openoverheid_woo_openness,
        "openoverheid_woo_grounds": openoverheid_woo_grounds,
        "openoverheid_woo_is_decision": openoverheid_woo_is_decision,
        "openoverheid_woo_may_download": openoverheid_woo_may_download,
        "openoverheid_woo_publications_matching": openoverheid_woo_publications_matching,
    }

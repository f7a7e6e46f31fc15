"""``<link rel="alternate">`` announcements of our feeds on the HTML pages they mirror.

Feed readers and browsers find a page's feed through these links. The dataset search page announces
the feed of exactly its search: the site feed without filters, the tag or theme feed when one tag or
one theme is the only filter, the search feed otherwise.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import request

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.feeds.build import FeedKind
from ckanext.openoverheid.feeds.views import theme_uri

# search-page parameter → search-feed parameter
PAGE_TO_FEED = {"q": "q", "fq": "fq", "organization": "organization", "tags": "tags", "res_format": "res_format",
                "license_id": "license_id", "vocab_theme": "theme"}


def _pair(endpoint: str, title: str, **args: Any) -> list[dict[str, str]]:
    return [
        {"href": tk.url_for(endpoint, kind=kind.value, **args), "type": kind.mimetype,
         "title": f"{title} ({'RSS' if kind is FeedKind.RSS else 'Atom'})"}
        for kind in FeedKind
    ]


def search_page_feeds() -> list[dict[str, str]]:
    """The feeds of the dataset search page's current search."""
    args: dict[str, list[str]] = {}
    for page_param, feed_param in PAGE_TO_FEED.items():
        values = [v for v in request.args.getlist(page_param) if v.strip()]
        if values:
            args[feed_param] = values
    if not args:
        return _pair("openoverheid_feeds.dataset", tk._("New and changed datasets"))
    if list(args) == ["tags"] and len(args["tags"]) == 1:
        tag = args["tags"][0]
        return _pair("openoverheid_feeds.tag", tk._("Datasets tagged {tag}").format(tag=tag), tag=tag)
    if list(args) == ["theme"] and len(args["theme"]) == 1:
        uri = theme_uri(args["theme"][0])
        if uri:
            item = valuelists.get("themes").item(uri) or {}
            label = valuelists.label("themes", uri, tk.h.lang() or "nl")
            return _pair("openoverheid_feeds.theme", tk._("Datasets on {theme}").format(theme=label),
                         theme=item.get("code") or uri)
    flat = {key: values if len(values) > 1 else values[0] for key, values in args.items()}
    return _pair("openoverheid_feeds.search", tk._("Datasets matching this search"), **flat)


def organization_feeds(organization: dict[str, Any]) -> list[dict[str, str]]:
    """The feeds of an organisation's page."""
    title = organization.get("title") or organization.get("name") or ""
    return _pair("openoverheid_feeds.organization", tk._("Datasets of {organization}").format(organization=title),
                 name=organization["name"])


def openoverheid_feed_links(page: str, organization: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Template helper: the feed links of ``page`` (``"search"`` or ``"organization"``)."""
    if page == "organization" and organization:
        return organization_feeds(organization)
    if page == "search":
        return search_page_feeds()
    return []

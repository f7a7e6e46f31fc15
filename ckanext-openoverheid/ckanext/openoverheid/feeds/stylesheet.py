"""The XSLT stylesheet that shows a feed opened in a browser as a readable page.

Every feed of the portal names it in an ``<?xml-stylesheet?>`` processing instruction; feed readers
ignore it, browsers apply it. It is rendered from a template, so the page explains in the visitor's
language what a feed is and how to subscribe (``/en/feeds/feed.xsl`` in English).

Browsers apply a stylesheet only to a document they render as XML, Chromium shows
``application/rss+xml`` as plain text, and browsers are dropping XSLT altogether. So a request that
prefers ``text/html`` (a browser opening the link) gets the page the stylesheet makes, made by the
portal itself; feed readers, which ask for the feed types or for anything, get the feed (``Vary:
Accept`` on every feed keeps caches apart).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from babel.dates import get_month_names
from flask import Response, request
from lxml import etree

from ckanext.openoverheid.feeds.http import conditional_response, etag_for

MIMETYPE = "text/xsl"
FEED_MIMETYPES = frozenset({"application/rss+xml", "application/atom+xml"})
ENDPOINT = "openoverheid_feeds.stylesheet"


def url() -> str:
    """The stylesheet's address for the current request's language."""
    return str(tk.url_for(ENDPOINT))


def month_names() -> list[str]:
    """January to December in the request's language, as a date is written in a sentence."""
    names = get_month_names("wide", context="format", locale=tk.h.lang() or "nl")
    return [names[month] for month in range(1, 13)]


def render() -> bytes:
    """The stylesheet in the request's language."""
    context = {"site_title": tk.config.get("ckan.site_title") or "", "month_names": month_names()}
    return tk.render("openoverheid/feeds/feed.xsl", context).encode("utf-8")


def view() -> Response:
    data = render()
    return conditional_response(data, etag_for([data]), None, MIMETYPE)


def as_html(feed: bytes) -> bytes:
    """The page the stylesheet makes of one of the portal's own feeds: nothing is fetched or read
    from elsewhere (no entities, no network, no files)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    transform = etree.XSLT(etree.fromstring(render(), parser), access_control=etree.XSLTAccessControl.DENY_ALL)
    return bytes(transform(etree.fromstring(feed, parser)))


def for_browsers(response: Response) -> Response:
    """After every request: a feed asked for by a browser as the page the stylesheet makes (see above)."""
    if response.mimetype not in FEED_MIMETYPES:
        return response
    response.vary.add("Accept")
    if response.status_code != 200 or response.direct_passthrough:
        return response
    if request.accept_mimetypes.best_match([response.mimetype, "text/html"]) == "text/html":
        etag, weak = response.get_etag()
        response.set_data(as_html(response.get_data()))
        response.mimetype = "text/html"
        if etag:
            response.set_etag(f"{etag}-html", weak=bool(weak))  # another body: never confused with the feed's
    return response

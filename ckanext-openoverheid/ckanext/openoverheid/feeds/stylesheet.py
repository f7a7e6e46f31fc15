"""The XSLT stylesheet that shows a feed opened in a browser as a readable page.

Every feed of the portal names it in an ``<?xml-stylesheet?>`` processing instruction; feed readers
ignore it, browsers apply it. It is rendered from a template, so the page explains in the visitor's
language what a feed is and how to subscribe (``/en/feeds/feed.xsl`` in English).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Response

from ckanext.openoverheid.feeds.http import conditional_response, etag_for

MIMETYPE = "text/xsl"
ENDPOINT = "openoverheid_feeds.stylesheet"


def url() -> str:
    """The stylesheet's address for the current request's language."""
    return str(tk.url_for(ENDPOINT))


def view() -> Response:
    body = tk.render("openoverheid/feeds/feed.xsl", {"site_title": tk.config.get("ckan.site_title") or ""})
    data = body.encode("utf-8")
    return conditional_response(data, etag_for([data]), None, MIMETYPE)

"""The sitemaps for the national Woo-index, served live from the database (``sitemap.py``).

``/woo/sitemaps/<organisation>/sitemapindex-diwoo-infocatNNN.xml`` and its pages
``…/sitemap-diwoo-infocatNNN-<n>.xml``; both 404 when the pair has no public document, so no empty (invalid)
file is ever served (the 404 is ``application/problem+json``, as our other machine-readable endpoints'). Public,
like robots.txt: they list only what anyone may download.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.openoverheid.api import conventions
from ckanext.openoverheid.api.problem import problem
from ckanext.openoverheid.woo import categories, sitemap

woo_sitemaps = Blueprint("woo_sitemaps", __name__)
conventions.apply(woo_sitemaps)
XML = "application/xml"


def _site_url() -> str:
    return str(tk.config.get("ckan.site_url") or "")


@woo_sitemaps.route(f"{sitemap.PATH}/<organization>/<filename>", endpoint="file")
def sitemap_file(organization: str, filename: str) -> Any:
    category = categories.from_index_name(filename)
    if category is not None:
        return _index(organization, category)
    named = categories.from_page_name(filename)
    if named is not None:
        return _page(organization, *named)
    return _not_found()


def _not_found() -> Response:
    return problem(404, tk._("There is no sitemap at this address: the organisation has no public documents in "
                             "this information category, or the name is not a sitemap's."))


def _index(organization: str, category: categories.Category) -> Any:
    pages = sitemap.index_pages(organization, category)
    if not pages:
        return _not_found()
    site_url = _site_url()
    entries = [(sitemap.page_url(site_url, organization, category, page), lastmod) for page, lastmod in pages]
    response = Response(b"".join(sitemap.build_index(entries)), mimetype=XML)
    response.last_modified = max(lastmod for _, lastmod in pages)
    response.add_etag()  # the index is small: its hash says exactly whether anything in it changed
    return response.make_conditional(tk.request)


def _page(organization: str, category: categories.Category, page: int) -> Any:
    docs = sitemap.documents(_site_url(), organization, category, page)
    first = next(docs, None)  # a page without documents does not exist: 404, never an empty urlset
    if first is None:
        return _not_found()

    def all_docs() -> Any:
        yield first
        yield from docs

    return Response(sitemap.build_sitemap(all_docs()), mimetype=XML)


def get_blueprints() -> list[Blueprint]:
    return [woo_sitemaps]

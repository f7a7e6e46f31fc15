"""The dataset feeds: ``/feeds/{dataset,organization/<name>,theme/<theme>,tag/<tag>,search}.{rss,atom}``.

Thin: each route turns its URL into a search, calls ``package_search`` as the visitor (so private
datasets stay out and closed ones come without resources: "open, tenzij" is enforced there, not
here), answers a conditional GET from the results' ids and dates, and only then writes the XML.

CKAN has Atom feeds at some of the same paths (``/feeds/dataset.atom``, ``/feeds/organization/<id>.atom``,
``/feeds/tag/<id>.atom``). CKAN registers plugin blueprints before its own and werkzeug matches
equal rules in the order they were added, so ours answer there; CKAN's ``/feeds/custom.atom`` and
``/feeds/group/<id>.atom`` stay CKAN's. ``test_feeds.py`` checks which one answers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError
from flask import Blueprint, Response, request

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.api import conventions
from ckanext.openoverheid.api.problem import problem
from ckanext.openoverheid.feeds import stylesheet
from ckanext.openoverheid.feeds.build import FeedKind, build_feed, moment
from ckanext.openoverheid.feeds.datasets import dataset_item
from ckanext.openoverheid.feeds.http import conditional_response, etag_for, not_modified
from ckanext.openoverheid.feeds.query import active_organization, site_title, solr_phrase

feeds = Blueprint("openoverheid_feeds", __name__)
conventions.apply(feeds)
feeds.after_app_request(stylesheet.for_browsers)  # every feed of the portal, whichever blueprint serves it

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_PAGE = 100_000
# Datasets only: harvest sources (configuration) and Woo publications (their own feeds) are CKAN
# datasets of their own types.
BASE_FILTER = "+dataset_type:dataset"
# Search-page parameters a search feed accepts as filters, and the Solr field each filters on.
FILTER_FIELDS = {"organization": "organization", "tags": "tags", "res_format": "res_format",
                 "license_id": "license_id", "theme": "vocab_theme"}
SEARCH_PARAMS = ("q", "fq", *FILTER_FIELDS)


class FeedRequestError(Exception):
    """A request we cannot answer with a feed; becomes a problem+json response."""

    def __init__(self, status: int, detail: str, params: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.params = params or {}


@dataclass
class FeedQuery:
    """What a feed shows: a search, its titles, its HTML page and how to link to its own pages."""

    title: str
    description: str
    page_url: str
    endpoint: str
    url_args: dict[str, Any] = field(default_factory=dict)
    q: str = "*:*"
    filters: list[str] = field(default_factory=list)
    user_fq: str | None = None  # the visitor's own fq: a Solr filter of its own, ANDed with ours


# --- parsing the request --------------------------------------------------------------------------


def _integer(name: str, default: int, lowest: int, highest: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = lowest - 1
    if not lowest <= value <= highest:
        reason = tk._("Must be a whole number from {lowest} to {highest}.").format(lowest=lowest, highest=highest)
        raise FeedRequestError(400, tk._("The parameter '{name}' is not valid: {reason}").format(
            name=name, reason=reason), {name: reason})
    return value


def _paging() -> tuple[int, int]:
    return _integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), _integer("page", 1, 1, MAX_PAGE)


def theme_uri(value: str) -> str | None:
    """The URI of a theme given by its code or URI (with a slash lost to URL normalisation restored)."""
    value = re.sub(r"^(https?):/(?!/)", r"\1://", value.strip())
    item = valuelists.get("themes").item(value)
    return str(item["uri"]) if item else None


def _theme_or_error(value: str, status: int, param: str | None = None) -> str:
    uri = theme_uri(value)
    if uri is None:
        codes = ", ".join(str(item["code"]) for item in valuelists.get("themes").items)
        reason = tk._("Unknown theme '{theme}'. Use one of: {codes}").format(theme=value, codes=codes)
        raise FeedRequestError(status, reason, {param: reason} if param else None)
    return uri


# --- searching and serving ------------------------------------------------------------------------


def _search(query: FeedQuery, limit: int, page: int) -> dict[str, Any]:
    data_dict = {
        "q": query.q or "*:*",
        "fq": " ".join([BASE_FILTER, *query.filters]),
        "sort": "metadata_modified desc",
        "rows": limit,
        "start": (page - 1) * limit,
        "include_private": False,
    }
    if query.user_fq:
        data_dict["fq_list"] = [query.user_fq]
    try:
        return tk.get_action("package_search")({}, data_dict)
    except SearchError as error:
        raise FeedRequestError(400, tk._("The search could not be run: {error}. Check the q and fq parameters.")
                               .format(error=error)) from error
    except tk.ValidationError as error:
        errors = error.error_dict if isinstance(error.error_dict, dict) else {"search": error.error_dict}
        raise FeedRequestError(400, tk._("The search parameters are not valid: {errors}").format(errors=errors),
                               {key: str(value) for key, value in errors.items()}) from error


def _url(query: FeedQuery, kind: FeedKind, **paging: int | None) -> str:
    args = {key: value for key, value in query.url_args.items() if value not in (None, "", [])}
    args.update({key: value for key, value in paging.items() if value is not None})
    return tk.url_for(query.endpoint, kind=kind.value, _external=True, **args)


def _serve(kind_name: str, make_query: Callable[[], FeedQuery]) -> Response:
    kind = FeedKind(kind_name)
    try:
        limit, page = _paging()
        query = make_query()
        result = _search(query, limit, page)
    except FeedRequestError as error:
        return problem(error.status, error.detail, params=error.params)

    language = tk.h.lang() or "nl"
    datasets = result["results"]
    etag = etag_for([kind, language, request.full_path, result["count"],
                     *(f"{d.get('id')}@{d.get('metadata_modified')}" for d in datasets)])
    last_modified = max((m for m in (moment(d.get("metadata_modified")) for d in datasets) if m), default=None)
    unchanged = not_modified(etag, last_modified)
    if unchanged is not None:
        return unchanged

    last_page = max(1, math.ceil(result["count"] / limit))
    size = {"limit": limit} if limit != DEFAULT_LIMIT else {}
    items = [
        dataset_item(
            pkg,
            link=tk.url_for("dataset.read", id=pkg["name"], _external=True),
            item_id=tk.url_for("dataset.read", id=pkg["id"], _external=True),
            language=language,
            organization_url=lambda name: tk.url_for("organization.read", id=name, _external=True),
        )
        for pkg in datasets
    ]
    body = build_feed(
        kind,
        title=query.title,
        link=query.page_url,
        self_url=_url(query, kind, page=page if page > 1 else None, **size),
        feed_id=_url(query, kind),
        description=query.description,
        items=items,
        language=language,
        first_url=_url(query, kind, **size),
        previous_url=_url(query, kind, page=min(page, last_page + 1) - 1, **size) if page > 1 else None,
        next_url=_url(query, kind, page=page + 1, **size) if page < last_page else None,
        last_url=_url(query, kind, page=last_page, **size),
        stylesheet=stylesheet.url(),
    )
    return conditional_response(body, etag, last_modified, kind.mimetype)


def _add_feed_routes(rule: str, endpoint: str, view: Callable[..., Response]) -> None:
    """One endpoint, two rules: ``<rule>.rss`` and ``<rule>.atom`` (``url_for(endpoint, kind=...)``)."""
    for kind in FeedKind:
        feeds.add_url_rule(f"{rule}.{kind.value}", endpoint=endpoint, view_func=view, defaults={"kind": kind.value})


# --- the feeds ------------------------------------------------------------------------------------


def dataset_feed(kind: str) -> Response:
    def query() -> FeedQuery:
        return FeedQuery(
            title=tk._("New and changed datasets — {site}").format(site=site_title()),
            description=tk._("Public datasets of this portal, most recently changed first."),
            page_url=tk.url_for("dataset.search", _external=True),
            endpoint="openoverheid_feeds.dataset",
        )

    return _serve(kind, query)


def organization_feed(kind: str, name: str) -> Response:
    def query() -> FeedQuery:
        organization = active_organization(name)
        if organization is None:
            raise FeedRequestError(404, tk._("There is no organisation '{name}'.").format(name=name))
        title = organization.get("title") or organization["name"]
        return FeedQuery(
            title=tk._("Datasets of {organization} — {site}").format(organization=title, site=site_title()),
            description=tk._("Public datasets of {organization}, most recently changed first.").format(
                organization=title),
            page_url=tk.url_for("organization.read", id=organization["name"], _external=True),
            endpoint="openoverheid_feeds.organization",
            url_args={"name": organization["name"]},
            filters=[f"+owner_org:{solr_phrase(organization['id'])}"],
        )

    return _serve(kind, query)


def theme_feed(kind: str, theme: str) -> Response:
    def query() -> FeedQuery:
        uri = _theme_or_error(theme, 404)
        item = valuelists.get("themes").item(uri) or {}
        label = valuelists.label("themes", uri, tk.h.lang() or "nl")
        return FeedQuery(
            title=tk._("Datasets on {theme} — {site}").format(theme=label, site=site_title()),
            description=tk._("Public datasets on the theme {theme}, most recently changed first.").format(theme=label),
            page_url=tk.url_for("dataset.search", vocab_theme=uri, _external=True),
            endpoint="openoverheid_feeds.theme",
            url_args={"theme": item.get("code") or uri},
            filters=[f"+vocab_theme:{solr_phrase(uri)}"],
        )

    return _serve(kind, query)


def tag_feed(kind: str, tag: str) -> Response:
    def query() -> FeedQuery:
        return FeedQuery(
            title=tk._("Datasets tagged {tag} — {site}").format(tag=tag, site=site_title()),
            description=tk._("Public datasets with the tag {tag}, most recently changed first.").format(tag=tag),
            page_url=tk.url_for("dataset.search", tags=tag, _external=True),
            endpoint="openoverheid_feeds.tag",
            url_args={"tag": tag},
            filters=[f"+tags:{solr_phrase(tag)}"],
        )

    return _serve(kind, query)


def search_args() -> dict[str, Any]:
    """The search parameters of the request that a search feed (and its links) keep."""
    args: dict[str, Any] = {}
    for name in SEARCH_PARAMS:
        values = [v for v in request.args.getlist(name) if v.strip()]
        if values:
            args[name] = values if name in FILTER_FIELDS else values[0]
    return args


def search_feed(kind: str) -> Response:
    def query() -> FeedQuery:
        args = search_args()
        filters: list[str] = []
        page_args: dict[str, Any] = {key: args[key] for key in ("q", "fq") if key in args}
        for name, solr_field in FILTER_FIELDS.items():
            values = args.get(name, [])
            if name == "theme":
                values = [_theme_or_error(value, 400, "theme") for value in values]
            filters.extend(f"+{solr_field}:{solr_phrase(value)}" for value in values)
            if values:
                page_args[solr_field] = values
        q = args.get("q") or ""
        if q:
            title = tk._("Datasets matching \u201c{q}\u201d — {site}").format(q=q, site=site_title())
        else:
            title = tk._("Datasets matching your search — {site}").format(site=site_title())
        return FeedQuery(
            title=title,
            description=tk._("Public datasets matching this search, most recently changed first."),
            page_url=tk.url_for("dataset.search", _external=True, **page_args),
            endpoint="openoverheid_feeds.search",
            url_args=args,
            q=q or "*:*",
            filters=filters,
            user_fq=args.get("fq"),
        )

    return _serve(kind, query)


feeds.add_url_rule("/feeds/feed.xsl", endpoint="stylesheet", view_func=stylesheet.view)
_add_feed_routes("/feeds/dataset", "dataset", dataset_feed)
_add_feed_routes("/feeds/organization/<name>", "organization", organization_feed)
_add_feed_routes("/feeds/theme/<path:theme>", "theme", theme_feed)
_add_feed_routes("/feeds/tag/<tag>", "tag", tag_feed)
_add_feed_routes("/feeds/search", "search", search_feed)

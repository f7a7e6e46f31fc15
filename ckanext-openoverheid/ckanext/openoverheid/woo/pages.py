"""How people and feed readers find Woo publications: the page ``/publicaties`` (filters organisation,
information category and date, without JavaScript), a Woo-verzoek decision's inventory
(``/publicaties/<name>/inventaris`` and ``.csv``) and the feeds of publications, all and per
organisation or category (``/feeds/publicaties[/organization/<name>|/category/<code>].{rss,atom}``).

Thin: each view searches or reads as the visitor (``package_search``, ``package_show``), so private
publications stay out and a closed document's file is withheld where "open, tenzij" says so, not
here. The feeds carry only a publication's metadata, never a document. Something a URL names that does not
exist is a 404: CKAN's error page for the pages, ``application/problem+json`` for the feeds and the CSV.
"""

from __future__ import annotations

import dataclasses
import datetime
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
from ckanext.openoverheid.feeds.build import Category, FeedKind, build_feed, moment
from ckanext.openoverheid.feeds.datasets import dataset_item
from ckanext.openoverheid.feeds.http import conditional_response, etag_for, not_modified
from ckanext.openoverheid.feeds.query import active_organization, site_title, solr_phrase
from ckanext.openoverheid.woo import inventory

pages = Blueprint("woo_pages", __name__)
conventions.apply(pages)

TYPE = "publicatie"
CATEGORIES = "woo_informatiecategorieen"
PAGE_SIZE = 20
FEED_SIZE = 50
MAX_PAGE = 10_000
# The page's filters: Dutch names in URLs, as /meldingen and /vergunningen.
FILTER_ARGS = ("organisatie", "categorie", "van", "tot", "q")


def _language() -> str:
    return tk.h.lang() or "nl"


def category_label(uri: str | None, language: str = "nl") -> str:
    """The label of an information category (its URI when unknown)."""
    return valuelists.label(CATEGORIES, uri, language)


def category_uri(value: str | None) -> str | None:
    """The URI of a category given by its number ("014") or URI; None when unknown."""
    item = valuelists.get(CATEGORIES).item((value or "").strip())
    return str(item["uri"]) if item else None


def category_code(uri: str | None) -> str:
    item = valuelists.get(CATEGORIES).item(uri)
    return str(item["code"]) if item else ""


def _date(value: str | None) -> str | None:
    try:
        return datetime.date.fromisoformat((value or "").strip()).isoformat()
    except ValueError:
        return None


@dataclass
class Filters:
    """The page's filters as given (``args``, for links) and as a search (``fq``)."""

    args: dict[str, str] = field(default_factory=dict)
    fq: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    q: str = ""


def filters_from(args: Any) -> Filters:
    """The filters of a request's query string; an unusable value is reported and left out."""
    filters = Filters()
    for name in FILTER_ARGS:
        value = (args.get(name) or "").strip()
        if value:
            filters.args[name] = value
    organisation = filters.args.get("organisatie")
    if organisation:
        filters.fq.append(f"+organization:{solr_phrase(organisation)}")
    category = filters.args.get("categorie")
    if category:
        uri = category_uri(category)
        if uri:
            filters.fq.append(f"+informatiecategorie:{solr_phrase(uri)}")
        else:
            filters.errors["categorie"] = tk._("Unknown information category.")
    bounds = {}
    for name in ("van", "tot"):
        if name in filters.args:
            bounds[name] = _date(filters.args[name])
            if bounds[name] is None:
                filters.errors[name] = tk._("Enter a date as YYYY-MM-DD, for example 2026-01-31.")
    if bounds.get("van") or bounds.get("tot"):
        low, high = solr_phrase(bounds.get("van") or "0000-01-01"), solr_phrase(bounds.get("tot") or "9999-12-31")
        filters.fq.append(f"+handeling_datum:[{low} TO {high}]")
    filters.q = filters.args.get("q", "")
    return filters


def _search(fq: list[str], q: str, rows: int, start: int, **extra: Any) -> dict[str, Any]:
    return tk.get_action("package_search")({}, {
        "q": q or "*:*",
        "fq": " ".join([f"+dataset_type:{TYPE}", *fq]),
        "sort": "handeling_datum desc, metadata_modified desc",
        "rows": rows,
        "start": start,
        "include_private": False,
        **extra,
    })


def summary(pkg: dict[str, Any], language: str) -> dict[str, Any]:
    """What the list shows of a publication."""
    documents = pkg.get("resources") or []
    closed = sum(1 for res in documents if inventory.openness(res) is inventory.Openness.NIET_OPENBAAR)
    organization = pkg.get("organization") or {}
    return {
        "name": pkg["name"],
        "title": pkg.get("title") or pkg["name"],
        "organization": organization.get("title") or organization.get("name") or "",
        "category": category_label(pkg.get("informatiecategorie"), language),
        "date": pkg.get("handeling_datum") or "",
        "documents": len(documents),
        "closed": closed,
    }


def _page_number() -> int:
    try:
        return min(max(int(request.args.get("pagina", 1)), 1), MAX_PAGE)
    except ValueError:
        return 1


def _organisations() -> list[dict[str, Any]]:
    """The organisations that publish (their names and titles, for the filter), by title."""
    result = _search([], "", 0, 0, **{"facet.field": ["organization"], "facet.limit": -1})
    items = result.get("search_facets", {}).get("organization", {}).get("items", [])
    return sorted(({"name": i["name"], "title": i["display_name"]} for i in items), key=lambda o: o["title"].lower())


def publicaties() -> str:
    language = _language()
    filters = filters_from(request.args)
    page = _page_number()
    try:
        result = _search(filters.fq, filters.q, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    except (SearchError, tk.ValidationError):
        filters.errors["q"] = tk._("These search words could not be searched for. Try other words.")
        result = {"results": [], "count": 0}
    categories = [{"code": item["code"], "label": valuelists.get(CATEGORIES).label(item["uri"], language)}
                  for item in valuelists.get(CATEGORIES)]
    organisations = _organisations()
    return tk.render("openoverheid/woo/publicaties.html", {
        "publications": [summary(pkg, language) for pkg in result["results"]],
        "count": result["count"],
        "page": page,
        "page_size": PAGE_SIZE,
        "query": filters.args,
        "errors": filters.errors,
        "organisations": organisations,
        "categories": categories,
        "feeds": page_feeds(filters.args, {org["name"]: org["title"] for org in organisations}),
    })


# --- the inventory of a Woo-verzoek decision ------------------------------------------------------


class NotFound(Exception):
    """What the URL names does not exist (the message says what); the view answers 404."""


def _publication(name: str) -> dict[str, Any]:
    try:
        if "\x00" in name:  # PostgreSQL refuses a NUL in a query parameter; no publication has one
            raise tk.ObjectNotFound(name)
        pkg = tk.get_action("package_show")({}, {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized) as error:
        raise NotFound(tk._("Publication not found")) from error
    if pkg.get("type") != TYPE or not inventory.is_woo_decision(pkg):
        raise NotFound(tk._("Only a decision on a Woo request has an inventory."))
    return pkg


def inventaris(name: str) -> str:
    try:
        pkg = _publication(name)
    except NotFound as error:
        return tk.abort(404, str(error))
    return tk.render("openoverheid/woo/inventaris.html", {
        "pkg": pkg, "rows": inventory.rows(pkg, _language()),
    })


def inventaris_csv(name: str) -> Response:
    try:
        pkg = _publication(name)
    except NotFound as error:
        return problem(404, str(error))
    body = inventory.to_csv(inventory.rows(pkg, _language()))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="inventaris-{pkg["name"]}.csv"'})


# --- feeds ----------------------------------------------------------------------------------------


@dataclass
class FeedQuery:
    title: str
    description: str
    page_url: str
    endpoint: str
    url_args: dict[str, str] = field(default_factory=dict)
    fq: list[str] = field(default_factory=list)


def publication_item(pkg: dict[str, Any], language: str) -> Any:
    """A publication as a feed item: its page and metadata, its category; never a document."""
    item = dataset_item(
        pkg,
        link=tk.url_for(f"{TYPE}.read", id=pkg["name"], _external=True),
        item_id=tk.url_for(f"{TYPE}.read", id=pkg["id"], _external=True),
        language=language,
        organization_url=lambda name: tk.url_for("organization.read", id=name, _external=True),
    )
    uri = pkg.get("informatiecategorie")
    category = [Category(term=uri, label=category_label(uri, language))] if uri else []
    return dataclasses.replace(item, categories=[*category, *item.categories],
                               published=moment(pkg.get("handeling_datum")) or item.published)


def _serve(kind_name: str, make_query: Callable[[], FeedQuery]) -> Response:
    kind = FeedKind(kind_name)
    try:
        query = make_query()
    except NotFound as error:
        return problem(404, str(error))
    language = _language()
    result = _search(query.fq, "", FEED_SIZE, 0, sort="metadata_modified desc")
    publications = result["results"]
    etag = etag_for([kind, language, request.full_path, result["count"],
                     *(f"{p.get('id')}@{p.get('metadata_modified')}" for p in publications)])
    last_modified = max((m for m in (moment(p.get("metadata_modified")) for p in publications) if m), default=None)
    unchanged = not_modified(etag, last_modified)
    if unchanged is not None:
        return unchanged
    self_url = tk.url_for(query.endpoint, kind=kind.value, _external=True, **query.url_args)
    body = build_feed(
        kind, title=query.title, link=query.page_url, self_url=self_url, description=query.description,
        items=[publication_item(pkg, language) for pkg in publications], language=language,
        stylesheet=stylesheet.url(),
    )
    return conditional_response(body, etag, last_modified, kind.mimetype)


def feed_all(kind: str) -> Response:
    def query() -> FeedQuery:
        return FeedQuery(
            title=tk._("Woo publications — {site}").format(site=site_title()),
            description=tk._("Publications under the Open Government Act (Woo), most recently changed first."),
            page_url=tk.url_for("woo_pages.publicaties", _external=True),
            endpoint="woo_pages.feed",
        )

    return _serve(kind, query)


def feed_organization(kind: str, name: str) -> Response:
    def query() -> FeedQuery:
        organization = active_organization(name)
        if organization is None:
            raise NotFound(tk._("There is no organisation '{name}'.").format(name=name))
        title = organization.get("title") or organization["name"]
        return FeedQuery(
            title=tk._("Woo publications of {organization} — {site}").format(organization=title, site=site_title()),
            description=tk._("Publications of {organization} under the Open Government Act (Woo), most recently "
                             "changed first.").format(organization=title),
            page_url=tk.url_for("woo_pages.publicaties", organisatie=organization["name"], _external=True),
            endpoint="woo_pages.feed_organization",
            url_args={"name": organization["name"]},
            fq=[f"+owner_org:{solr_phrase(organization['id'])}"],
        )

    return _serve(kind, query)


def feed_category(kind: str, code: str) -> Response:
    def query() -> FeedQuery:
        uri = category_uri(code) or ""
        if not uri:
            raise NotFound(tk._("Unknown information category."))
        label = category_label(uri, _language())
        return FeedQuery(
            title=tk._("Woo publications: {category} — {site}").format(category=label, site=site_title()),
            description=tk._("Publications in the category {category}, most recently changed first.").format(
                category=label),
            page_url=tk.url_for("woo_pages.publicaties", categorie=category_code(uri), _external=True),
            endpoint="woo_pages.feed_category",
            url_args={"code": category_code(uri)},
            fq=[f"+informatiecategorie:{solr_phrase(uri)}"],
        )

    return _serve(kind, query)


def _pair(title: str, endpoint: str, **args: str) -> list[dict[str, str]]:
    return [{"href": tk.url_for(endpoint, kind=kind.value, **args), "type": kind.mimetype,
             "title": f"{title} ({'RSS' if kind is FeedKind.RSS else 'Atom'})"} for kind in FeedKind]


def page_feeds(args: dict[str, str], organisation_titles: dict[str, str]) -> list[dict[str, str]]:
    """The feeds the ``/publicaties`` page announces: all publications, and the organisation's and the
    category's when the page is filtered on them (an organisation that publishes nothing has no feed)."""
    feeds = _pair(tk._("Woo publications"), "woo_pages.feed")
    name = args.get("organisatie", "")
    if name in organisation_titles:
        feeds += _pair(tk._("Woo publications of {organization}").format(organization=organisation_titles[name]),
                       "woo_pages.feed_organization", name=name)
    uri = category_uri(args.get("categorie"))
    if uri:
        feeds += _pair(tk._("Woo publications: {category}").format(category=category_label(uri, _language())),
                       "woo_pages.feed_category", code=category_code(uri))
    return feeds


def search_page_feeds(args: Any) -> list[dict[str, str]]:
    """The feeds the publication search (``/publicatie/``) announces: the category's or the
    organisation's when that is its one filter, else all publications."""
    categories = [v for v in args.getlist("informatiecategorie") if v.strip()]
    organisations = [v for v in args.getlist("organization") if v.strip()]
    others = [key for key in args if key not in ("informatiecategorie", "organization", "page", "sort")]
    uri = category_uri(categories[0]) if len(categories) == 1 else None
    if uri and not organisations and not others:
        return _pair(tk._("Woo publications: {category}").format(category=category_label(uri, _language())),
                     "woo_pages.feed_category", code=category_code(uri))
    if len(organisations) == 1 and not categories and not others:
        titles = {org["name"]: org["title"] for org in _organisations()}
        if organisations[0] in titles:
            return _pair(tk._("Woo publications of {organization}").format(organization=titles[organisations[0]]),
                         "woo_pages.feed_organization", name=organisations[0])
    return _pair(tk._("Woo publications"), "woo_pages.feed")


def _add_feed_routes(rule: str, endpoint: str, view: Callable[..., Response]) -> None:
    for kind in FeedKind:
        pages.add_url_rule(f"{rule}.{kind.value}", endpoint=endpoint, view_func=view, defaults={"kind": kind.value})


pages.add_url_rule("/publicaties", endpoint="publicaties", view_func=publicaties)
pages.add_url_rule("/publicaties/<name>/inventaris", endpoint="inventaris", view_func=inventaris)
pages.add_url_rule("/publicaties/<name>/inventaris.csv", endpoint="inventaris_csv", view_func=inventaris_csv)
_add_feed_routes("/feeds/publicaties", "feed", feed_all)
_add_feed_routes("/feeds/publicaties/organization/<name>", "feed_organization", feed_organization)
_add_feed_routes("/feeds/publicaties/category/<code>", "feed_category", feed_category)


def get_blueprints() -> list[Blueprint]:
    return [pages]

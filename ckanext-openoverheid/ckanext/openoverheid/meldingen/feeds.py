"""RSS and Atom feeds of meldingen: /feeds/meldingen.rss and /feeds/meldingen.atom.

Per area (``bbox=min_lon,min_lat,max_lon,max_lat`` or ``lat``, ``lon``, ``straal`` in metres), per
category (``categorie``), per status (``status``: open, closed or a status code) and per
municipality (``organisatie``). Entries are the latest changed meldingen, so a status change or a
response brings an entry back to the top (FixMyStreet's area alerts with updates); each carries a
GeoRSS point. Built with the portal's shared feed writer (``ckanext.openoverheid.feeds.build``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.openoverheid.api import conventions
from ckanext.openoverheid.feeds import stylesheet
from ckanext.openoverheid.feeds.build import Category, FeedItem, build_feed, moment
from ckanext.openoverheid.feeds.http import conditional_response, etag_for
from ckanext.openoverheid.meldingen import settings

feeds = Blueprint("meldingen_feeds", __name__)
conventions.apply(feeds)  # API-Version and CORS; the paths are in api/openapi.yaml

FEED_SIZE = 50
CATEGORY_SCHEME = "/open311/v2/services.json"
SEARCH_RADIUS = 500  # melding_search's radius around a point when none is given


def _filters(args: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for arg, key in (("categorie", "service_code"), ("status", "status"), ("organisatie", "organization"),
                     ("bbox", "bbox"), ("lat", "lat"), ("lon", "lon"), ("straal", "radius")):
        if args.get(arg):
            data[key] = args[arg]
    return data


def feed_item(melding: dict[str, Any]) -> FeedItem:
    place = melding["address"] or f"{melding['lat']:.5f}, {melding['lon']:.5f}"
    text = melding["description"]
    if melding.get("status_notes"):
        heading = tk._("Response of the municipality")
        text = f"{text}\n\n{heading}: {melding['status_notes']}"
    return FeedItem(
        id=melding["url"],
        title=f"{melding['category']} ({melding['status_name']}) – {place}",
        link=melding["url"],
        description=f"{melding['status_name']}. {text}",
        published=moment(melding["requested"]),
        updated=moment(melding["updated"]),
        author=melding["organization"]["title"] or melding["organization"]["name"],
        categories=(
            Category(term=melding["service_code"], label=melding["category"],
                     scheme=f"{settings.site_url()}{CATEGORY_SCHEME}"),
            Category(term=melding["status"], label=melding["status_name"]),
        ),
        lat=melding["lat"],
        lon=melding["lon"],
    )


def _organization_title(name: str) -> str:
    try:
        organization = tk.get_action("organization_show")({"user": None}, {"id": name, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return name
    return str(organization.get("title") or organization.get("name") or name)


def _category_name(code: str) -> str:
    categories = tk.get_action("melding_category_list")({"user": None}, {})
    return next((str(c["name"]) for c in categories if c["code"] == code), code)


def feed_title(args: Any) -> str:
    """What the feed follows: "Reports: Loose paving stone around 52.09, 5.12 (250 m) — <site>"."""
    what = tk._("Reports")
    if args.get("categorie"):
        what = tk._("Reports: {category}").format(category=_category_name(args["categorie"]))
    parts = [what]
    if args.get("organisatie"):
        parts.append(tk._("in {organization}").format(organization=_organization_title(args["organisatie"])))
    if args.get("lat") and args.get("lon"):
        parts.append(tk._("around {lat}, {lon} ({metres} m)").format(
            lat=args["lat"], lon=args["lon"], metres=args.get("straal") or SEARCH_RADIUS))
    elif args.get("bbox"):
        parts.append(tk._("in the area {bbox}").format(bbox=args["bbox"]))
    site = tk.config.get("ckan.site_title") or ""
    return " ".join(parts) + (f" — {site}" if site else "")


def _serve(kind: str) -> Response:
    args = tk.request.args
    filters = _filters(args)
    try:
        result = tk.get_action("melding_search")(
            {"user": None}, dict(filters, limit=FEED_SIZE, sort="updated desc")
        )
    except tk.ValidationError as error:
        problems = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in error.error_dict.items())
        return Response(problems, status=400, mimetype="text/plain")
    items = [feed_item(m) for m in result["results"]]
    query = urlencode(sorted((k, v) for k, v in args.items() if v))
    suffix = f"?{query}" if query else ""
    site = settings.site_url()
    body = build_feed(
        kind,
        title=feed_title(args),
        link=f"{site}/meldingen{suffix}",
        self_url=f"{site}/feeds/meldingen.{kind}{suffix}",
        description=tk._("New and changed reports, with their status and the municipality's response."),
        items=items,
        language=tk.h.lang() or "nl",
        stylesheet=stylesheet.url(),
    )
    newest = max((i.moment for i in items if i.moment), default=None)
    etag = etag_for([kind, query, *(f"{i.id}@{i.moment}" for i in items)])
    return conditional_response(body, etag, newest, "application/rss+xml" if kind == "rss" else "application/atom+xml")


@feeds.route("/feeds/meldingen.rss", endpoint="feed", defaults={"kind": "rss"})
@feeds.route("/feeds/meldingen.atom", endpoint="feed", defaults={"kind": "atom"})
def feed(kind: str) -> Response:
    return _serve(kind)

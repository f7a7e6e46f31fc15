"""The verzoeken feeds: /feeds/verzoeken.rss and /feeds/verzoeken.atom, for all public requests, per
organisation (``organisatie``), per kind (``soort``: data or idee) and per status (``status``).
Thin: ``verzoek_list`` finds the requests, ``feeds`` words them, the portal's feed writer writes them."""

from __future__ import annotations

from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.openoverheid.api import conventions
from ckanext.openoverheid.feeds import stylesheet
from ckanext.openoverheid.feeds.build import FeedKind, build_feed
from ckanext.openoverheid.feeds.http import conditional_response, etag_for
from ckanext.openoverheid.staff import organization_named
from ckanext.openoverheid.verzoeken import feeds, settings

verzoeken_feeds = Blueprint("verzoeken_feeds", __name__)
conventions.apply(verzoeken_feeds)  # API-Version and CORS; the paths are in api/openapi.yaml


def _serve(kind: FeedKind) -> Response:
    args = tk.request.args
    try:
        result = tk.get_action("verzoek_list")({"user": None}, feeds.list_filters(args))
    except tk.ValidationError as error:
        problems = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in error.error_dict.items())
        return Response(problems, status=400, mimetype="text/plain")
    items = [feeds.feed_item(v, tk._) for v in result["results"]]
    group = organization_named(args["organisatie"]) if args.get("organisatie") else None
    title = feeds.feed_title(args.get("soort"), (group.title or group.name) if group else None,
                             tk.config.get("ckan.site_title") or "", tk._)
    query = urlencode(sorted((k, v) for k, v in args.items() if v))
    suffix = f"?{query}" if query else ""
    site = settings.site_url()
    body = build_feed(
        kind,
        title=title,
        link=f"{site}/verzoeken{suffix}",
        self_url=f"{site}/feeds/verzoeken.{kind.value}{suffix}",
        description=tk._("New data requests and ideas of residents, and the answers of the organisations asked."),
        items=items,
        language=tk.h.lang() or "nl",
        stylesheet=stylesheet.url(),
    )
    newest = max((i.moment for i in items if i.moment), default=None)
    etag = etag_for([kind.value, query, tk.h.lang(), *(f"{i.id}@{i.moment}" for i in items)])
    return conditional_response(body, etag, newest, kind.mimetype)


@verzoeken_feeds.route("/feeds/verzoeken.rss", endpoint="feed", defaults={"kind": "rss"})
@verzoeken_feeds.route("/feeds/verzoeken.atom", endpoint="feed", defaults={"kind": "atom"})
def feed(kind: str) -> Response:
    return _serve(FeedKind(kind))


def get_blueprints() -> list[Blueprint]:
    return [verzoeken_feeds]

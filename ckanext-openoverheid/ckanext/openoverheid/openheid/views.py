"""The openheidsregister as a page, as CSV and as RSS/Atom (JSON is the action ``openheid_register``)."""

from __future__ import annotations

import csv
import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.api import conventions
from ckanext.openoverheid.feeds import stylesheet
from ckanext.openoverheid.feeds.build import Category, FeedItem, FeedKind, build_feed, moment
from ckanext.openoverheid.feeds.http import conditional_response, etag_for, not_modified
from ckanext.openoverheid.openheid.policy import NIET_PUBLIEK

openheid = Blueprint("openheid", __name__)
conventions.apply(openheid)

# A closed document of a Woo publication is a row of its publication with the document's own
# closure, and the document's title in the last column (empty for a closed dataset).
CSV_COLUMNS = (
    "name", "title", "url", "organization", "access_rights", "woo_grounds", "woo_motivation",
    "review_date", "closed_since", "review_expired", "document",
)


def _register() -> dict:
    organization = tk.request.args.get("organization") or None
    return tk.get_action("openheid_register")({}, {"organization": organization} if organization else {})


@openheid.route("/openheid", endpoint="register")
def register_page() -> str:
    return tk.render("openoverheid/openheid/register.html", {"register": _register()})


@openheid.route("/openheid.csv", endpoint="register_csv")
def register_csv() -> Response:
    register = _register()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    rows = [(entry, entry, "") for entry in register["datasets"]]
    rows += [(entry["publication"], entry, entry["name"]) for entry in register["documents"]]
    for dataset, closure, document in rows:
        writer.writerow(
            [
                dataset["name"], dataset["title"], dataset["url"], dataset["organization"]["name"],
                closure["access_rights"], " ".join(closure["woo_grounds"]), closure["woo_motivation"] or "",
                closure["review_date"] or "", closure["closed_since"] or "",
                "ja" if closure["review_expired"] else "nee", document,
            ]
        )
    for entry in register.get("verzoeken", []):  # refused data requests: a row each, named verzoek-<number>
        writer.writerow(
            [
                f"verzoek-{entry['id']}", entry["titel"], entry["url"], entry["organization"]["name"] or "",
                NIET_PUBLIEK, " ".join(entry["woo_grounds"]), entry["woo_motivation"] or "",
                entry["review_date"] or "", "", "ja" if entry["review_expired"] else "nee", "",
            ]
        )
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="openheidsregister.csv"'},
    )


def _entry_description(entry: dict[str, Any], language: str) -> str:
    access = valuelists.label("access_rights", entry["access_rights"], language)
    grounds = ", ".join(valuelists.label("woo_grounds", code, language) for code in entry["woo_grounds"])
    lines = [
        tk._("Access rights: {value}").format(value=access),
        tk._("Legal grounds: {value}").format(value=grounds or "—"),
        tk._("Motivation: {value}").format(value=entry["woo_motivation"] or "—"),
        tk._("Review date: {value}").format(value=entry["review_date"] or "—"),
    ]
    if entry["review_expired"]:
        lines.append(tk._("The review date has passed: this closure must be reconsidered."))
    return "\n".join(lines)


def register_item(entry: dict[str, Any], language: str) -> FeedItem:
    """A register entry as a feed item: the closure and its reasons, never the data. A closed document
    is an item of its own, linking to its publication."""
    organization = entry["organization"]
    publication = entry.get("publication")
    if publication:
        item_id = f"{publication['url']}#document-{entry['id']}"
        title = f"{publication['title'] or publication['name']}: {entry['name'] or entry['id']}"
    else:
        item_id, title = tk.url_for("dataset.read", id=entry["id"], _external=True), entry["title"] or entry["name"]
    return FeedItem(
        id=item_id,
        title=title,
        link=(publication or entry)["url"],
        description=_entry_description(entry, language),
        published=moment(entry["closed_since"]),
        updated=moment(entry.get("modified")) or moment(entry["closed_since"]),
        author=organization.get("title") or organization.get("name"),
        categories=[Category(term=entry["access_rights"]), *(Category(term=code) for code in entry["woo_grounds"])],
    )


def request_item(entry: dict[str, Any], language: str) -> FeedItem:
    """A data request refused because the data is not public, as a feed item linking to the request."""
    organization = entry["organization"]
    closure = {**entry, "access_rights": NIET_PUBLIEK}
    return FeedItem(
        id=entry["url"],
        title=entry["titel"],
        link=entry["url"],
        description=_entry_description(closure, language),
        published=moment(entry.get("modified")),
        updated=moment(entry.get("modified")),
        author=organization.get("title") or organization.get("name"),
        categories=[Category(term=NIET_PUBLIEK), *(Category(term=code) for code in entry["woo_grounds"])],
    )


def register_feed(kind: str) -> Response:
    register = _register()
    language = tk.h.lang() or "nl"
    entries = sorted([*register["datasets"], *register["documents"], *register.get("verzoeken", [])],
                     key=lambda e: e.get("modified") or "", reverse=True)
    etag = etag_for([kind, language, tk.request.full_path,
                     *(f"{e['id']}@{e.get('modified')}@{e['review_expired']}" for e in entries)])
    last_modified = max((m for m in (moment(e.get("modified")) for e in entries) if m), default=None)
    unchanged = not_modified(etag, last_modified)
    if unchanged is not None:
        return unchanged
    feed_kind = FeedKind(kind)
    body = build_feed(
        feed_kind,
        title=tk._("Openness register — {site}").format(site=tk.config.get("ckan.site_title") or "Open Overheid"),
        link=tk.url_for("openheid.register", _external=True),
        self_url=tk.url_for("openheid.register_feed", kind=kind, _external=True),
        description=tk._("Every dataset and document that is not public, with its legal grounds, motivation and "
                         "review date."),
        items=[request_item(entry, language) if "titel" in entry else register_item(entry, language)
               for entry in entries],
        language=language,
        stylesheet=stylesheet.url(),
    )
    return conditional_response(body, etag, last_modified, feed_kind.mimetype)


for _kind in FeedKind:
    openheid.add_url_rule(f"/feeds/openheid.{_kind.value}", endpoint="register_feed", view_func=register_feed,
                          defaults={"kind": _kind.value})

"""What the verzoeken feeds say: one ``FeedItem`` per public request and a title naming what a feed
follows. Served by ``feed_views`` at /feeds/verzoeken.rss and /feeds/verzoeken.atom.

Entries are the latest changed requests, so an answer brings its request back to the top with the
organisation's response in the text. Built from ``verzoek_list``'s public dicts (``records``), so a
hidden or unconfirmed request, or an address, cannot get in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ckanext.openoverheid.feeds.build import Category, FeedItem, moment, plain_text

Gettext = Callable[[str], str]

FEED_SIZE = 50
# feed parameter → verzoek_list parameter
FILTERS = {"organisatie": "organisatie", "soort": "soort", "status": "status"}


def list_filters(args: Mapping[str, str]) -> dict[str, Any]:
    """``verzoek_list``'s parameters for a feed's query string, newest change first."""
    data: dict[str, Any] = {key: args[arg] for arg, key in FILTERS.items() if args.get(arg)}
    return dict(data, sort="bijgewerkt", limit=FEED_SIZE)


def feed_item(verzoek: dict[str, Any], _: Gettext) -> FeedItem:
    """A public request (``records.public_verzoek``) as a feed entry."""
    organization = verzoek.get("organization") or {}
    text = verzoek["toelichting"]
    if verzoek.get("antwoord"):
        heading = _("Response of {organization}").format(
            organization=organization.get("title") or _("the organisation"))
        text = f"{text}\n\n{heading}: {verzoek['antwoord']}"
    if verzoek.get("dataset"):
        text = f"{text}\n\n{_('Answered by')}: {verzoek['dataset']['title']} ({verzoek['dataset']['url']})"
    return FeedItem(
        id=verzoek["url"],
        title=f"{verzoek['titel']} ({verzoek['soort_name']}, {verzoek['status_name']})",
        link=verzoek["url"],
        description=plain_text(f"{verzoek['status_name']}. {text}"),
        published=moment(verzoek["created"]),
        updated=moment(verzoek["updated"]),
        author=organization.get("title") or organization.get("name"),
        categories=(Category(term=verzoek["soort"], label=verzoek["soort_name"]),
                    Category(term=verzoek["status"], label=verzoek["status_name"])),
        lat=verzoek.get("lat"),
        lon=verzoek.get("lon"),
    )


def feed_title(soort: str | None, organization_title: str | None, site_title: str, _: Gettext) -> str:
    """What the feed follows: "Data requests to Gemeente Testdam — <site>"."""
    what = {"data": _("Data requests"), "idee": _("Ideas")}.get(soort or "", _("Data requests and ideas"))
    if organization_title:
        what = _("{requests} to {organization}").format(requests=what, organization=organization_title)
    return what + (f" — {site_title}" if site_title else "")

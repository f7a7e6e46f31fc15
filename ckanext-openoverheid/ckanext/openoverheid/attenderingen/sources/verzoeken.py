"""Verzoeken: what the organisation does with one request (its status changes and public responses),
for its requester and its confirmed supporters, who follow it from the moment they confirmed.

Reads what the request's page reads (``verzoek_show``) as an anonymous visitor: a hidden request has no
public page, so nothing about it is ever mailed. Only what happened after the subscription was
confirmed is news, so the baseline is empty. Not digested: an answer goes out at the next run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.attenderingen.model import Subscription
from ckanext.openoverheid.attenderingen.sources.base import Event, everything_found_now
from ckanext.openoverheid.attenderingen.translation import Gettext

ANSWER_CHARS = 1000


def _public_verzoek(number: Any) -> dict[str, Any] | None:
    """The request as the public sees it, with its public history; None when hidden or unknown."""
    try:
        return tk.get_action("verzoek_show")({"user": "", "ignore_auth": False}, {"id": number})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def _status_name(code: str, _: Gettext) -> str:
    from ckanext.openoverheid.verzoeken import records  # only when openoverheid_verzoeken is loaded

    return records.status_name(code, _)


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ANSWER_CHARS else text[:ANSWER_CHARS - 1].rstrip() + "…"


def answer_events(verzoek: dict[str, Any], since: dt.datetime, _: Gettext) -> list[Event]:
    """A status change or public response of the organisation made at or after ``since``, each an event."""
    events = []
    since = since.replace(microsecond=0)  # the public history gives whole seconds
    organisation = (verzoek.get("organization") or {}).get("title") or _("the organisation")
    for update in verzoek.get("updates") or []:
        if update.get("kind") != "update" or dt.datetime.fromisoformat(str(update["created"])) < since:
            continue
        if update.get("status"):
            title = _("Your request \"%(title)s\" is now: %(status)s") % {
                "title": verzoek["titel"], "status": _status_name(update["status"], _)}
        else:
            title = _("Your request \"%(title)s\": a response from %(organisation)s") % {
                "title": verzoek["titel"], "organisation": organisation}
        lines = []
        if update.get("text"):
            lines.append(_shortened(str(update["text"])))
        if update.get("dataset"):
            lines.append(_("Answered by: %(title)s %(url)s") % {"title": update["dataset"]["title"],
                                                                 "url": update["dataset"]["url"]})
        events.append(Event(f"verzoek-update:{update['id']}", title, str(verzoek.get("url") or ""), tuple(lines)))
    return events


class VerzoekenSource:
    soort = "verzoek"
    digested = False
    in_form = False  # followed by confirming a request or support, or through the API (attendering_create)

    def criteria(self, data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
        text = str(data.get("verzoek") or "").strip()
        if not text.isdigit() or _public_verzoek(int(text)) is None:
            errors["verzoek"] = [tk._("There is no public request with this number. Check the number on the "
                                      "request's page.")]
            return {}
        return {"verzoek": int(text)}

    def describe(self, criteria: dict[str, Any], _: Gettext) -> str:
        return _("Answers to request %(id)s") % {"id": criteria.get("verzoek")}

    def baseline(self, subscription: Subscription) -> list[str]:
        return everything_found_now(self, subscription)

    def events(self, subscription: Subscription, now: dt.datetime, _: Gettext) -> list[Event]:
        if subscription.confirmed is None:
            return []
        verzoek = _public_verzoek(subscription.criteria.get("verzoek"))
        return answer_events(verzoek, subscription.confirmed, _) if verzoek else []

    def page_url(self, criteria: dict[str, Any]) -> str:
        return f"/verzoeken/{criteria.get('verzoek')}"


SOURCE = VerzoekenSource()

"""Datasets: new or changed public datasets, of an organisation, a theme and/or matching saved search
words; without any of these, all of them.

Reads what the dataset search and feeds read (``package_search`` as an anonymous visitor: no private
or draft dataset, only the type ``dataset``). A dataset is told once per version: the key holds its
``metadata_modified``, so a change after a mail is news again. Only what changed after the
subscription was confirmed is news, so the baseline is empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.attenderingen import links
from ckanext.openoverheid.attenderingen.model import Subscription
from ckanext.openoverheid.attenderingen.sources.base import Event, everything_found_now
from ckanext.openoverheid.attenderingen.translation import LOCALES, Gettext, gettext_for
from ckanext.openoverheid.feeds.query import active_organization, solr_phrase
from ckanext.openoverheid.feeds.views import theme_uri

MAX_Q_CHARS = 200
PAGE_SIZE = 1000
SCAN_PAGES = 5  # more than 5,000 changed datasets between two mails: the newest are told, the rest is noise
# Datasets only: harvest sources and Woo publications are CKAN datasets of their own types.
BASE_FILTER = "+dataset_type:dataset"


def _anonymous() -> dict[str, Any]:
    return {"user": "", "ignore_auth": False}


def _locale_of(_: Gettext) -> str:
    """The language ``_`` translates to: ``describe`` is handed a gettext, and theme names are data."""
    return next((locale for locale in LOCALES if gettext_for(locale) == _), "nl")


def _solr_time(moment: dt.datetime) -> str:
    """A moment as Solr writes ``metadata_modified`` (UTC, milliseconds)."""
    moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _organization(data: dict[str, Any], errors: dict[str, list[str]]) -> str | None:
    name = str(data.get("organization") or "").strip()
    if not name:
        return None
    organization = active_organization(name)
    if organization is None:
        errors["organization"] = [tk._("There is no organisation %(name)s here.") % {"name": name[:60]}]
        return None
    return str(organization["name"])


def _theme(data: dict[str, Any], errors: dict[str, list[str]]) -> str | None:
    value = str(data.get("theme") or "").strip()
    if not value:
        return None
    uri = theme_uri(value)
    if uri is None:
        codes = ", ".join(str(item["code"]) for item in valuelists.get("themes").items)
        errors["theme"] = [tk._("Unknown theme. Choose one of: %(codes)s") % {"codes": codes}]
        return None
    return str((valuelists.get("themes").item(uri) or {}).get("code") or uri)


def _words(data: dict[str, Any], errors: dict[str, list[str]]) -> str | None:
    q = " ".join(str(data.get("q") or "").split())
    if len(q) > MAX_Q_CHARS:
        errors["q"] = [tk._("Search words are at most %(max)s characters.") % {"max": MAX_Q_CHARS}]
        return None
    return q or None


def _changed_since(criteria: dict[str, Any], since: dt.datetime) -> list[dict[str, Any]]:
    filters = [BASE_FILTER, f"+metadata_modified:{{{_solr_time(since)} TO *]"]
    if criteria.get("organization"):
        filters.append("+organization:" + solr_phrase(criteria["organization"]))
    if criteria.get("theme"):
        filters.append("+vocab_theme:" + solr_phrase(theme_uri(criteria["theme"]) or criteria["theme"]))
    found: list[dict[str, Any]] = []
    for page in range(SCAN_PAGES):
        result = tk.get_action("package_search")(_anonymous(), {
            "q": criteria.get("q") or "*:*", "fq": " ".join(filters), "sort": "metadata_modified desc",
            "rows": PAGE_SIZE, "start": page * PAGE_SIZE, "include_private": False, "include_drafts": False})
        found += result["results"]
        if len(found) >= result["count"] or not result["results"]:
            break
    return found


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class DatasetsSource:
    soort = "datasets"
    digested = True

    def criteria(self, data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
        chosen = {"organization": _organization(data, errors), "theme": _theme(data, errors), "q": _words(data, errors)}
        return {key: value for key, value in chosen.items() if value}

    def describe(self, criteria: dict[str, Any], _: Gettext) -> str:
        parts = []
        if criteria.get("organization"):
            organization = active_organization(criteria["organization"]) or {}
            parts.append(_("of %(organization)s") % {
                "organization": organization.get("title") or criteria["organization"]})
        if criteria.get("theme"):
            label = valuelists.label("themes", theme_uri(criteria["theme"]), _locale_of(_))
            parts.append(_("on %(theme)s") % {"theme": label})
        if criteria.get("q"):
            parts.append(_("matching “%(words)s”") % {"words": criteria["q"]})
        return " ".join([_("New and changed datasets"), *parts])

    def baseline(self, subscription: Subscription) -> list[str]:
        return everything_found_now(self, subscription)

    def events(self, subscription: Subscription, now: dt.datetime, _: Gettext) -> list[Event]:
        if subscription.confirmed is None:
            return []
        previous_mail = subscription.last_mail or subscription.confirmed
        events = []
        for dataset in _changed_since(subscription.criteria, subscription.confirmed):
            new = _moment(str(dataset["metadata_created"])) >= previous_mail
            organization = dataset.get("organization") or {}
            lines = [_("New") if new else _("Changed")]
            if organization.get("title") or organization.get("name"):
                lines[0] += " · " + str(organization.get("title") or organization.get("name"))
            events.append(Event(f"dataset:{dataset['id']}:{dataset['metadata_modified']}",
                                str(dataset.get("title") or dataset["name"]),
                                links.absolute(f"/dataset/{dataset['name']}", subscription.locale), tuple(lines)))
        return events

    def page_url(self, criteria: dict[str, Any]) -> str:
        params = {"organization": criteria.get("organization"), "q": criteria.get("q"),
                  "vocab_theme": theme_uri(criteria["theme"]) if criteria.get("theme") else None}
        query = urlencode({key: value for key, value in params.items() if value})
        return "/dataset" + (f"?{query}" if query else "")


SOURCE = DatasetsSource()

"""Permits published within a radius of an address, optionally of some kinds only.

Reads what the permits map and API read (``vergunningen_search``, as an anonymous visitor: only
public tables). A permit is told once per subscription, by its identifier: harvesting the same feed
again finds the same identifiers and tells nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.attenderingen import location
from ckanext.openoverheid.attenderingen.model import Subscription
from ckanext.openoverheid.attenderingen.sources.base import Event
from ckanext.openoverheid.attenderingen.translation import Gettext
from ckanext.openoverheid.vergunningen.filters import MAX_LIMIT, SOORTEN
from ckanext.openoverheid.vergunningen.labels import FASE_LABELS, SOORT_LABELS

SCAN_PAGES = 10  # at most 10,000 permits around one point per run: more is a fault, not a neighbourhood


def _search(criteria: dict[str, Any], offset: int) -> dict[str, Any]:
    params: dict[str, Any] = {"lat": criteria["lat"], "lon": criteria["lon"], "straal": criteria["straal"],
                              "limit": MAX_LIMIT, "offset": offset, "sorteer": "datum"}
    if criteria.get("soorten"):
        params["soort"] = list(criteria["soorten"])
    return tk.get_action("vergunningen_search")({"user": "", "ignore_auth": False}, params)


def _permits(criteria: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in range(SCAN_PAGES):
        result = _search(criteria, page * MAX_LIMIT)
        found += result["results"]
        if len(found) >= result["count"] or not result["results"]:
            break
    return found


def _key(permit: dict[str, Any]) -> str:
    return f"vergunning:{permit.get('identifier')}"


class VergunningenSource:
    soort = "vergunningen"
    digested = True

    def criteria(self, data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
        place = location.point(data, errors)
        straal = location.radius(data, errors)
        soorten = location.choices(data, "soorten", SOORTEN, errors, tk._(
            "Unknown permit kind: choose from bouw, kap, sloop, omgevings, reclame, milieu, evenementen, "
            "verkeersbesluit and overig."))
        return {**(place or {}), "straal": straal, "soorten": soorten}

    def describe(self, criteria: dict[str, Any], _: Gettext) -> str:
        text = _("Permits within %(radius)s m of %(place)s") % {"radius": criteria["straal"],
                                                               "place": criteria.get("plaats", "")}
        if criteria.get("soorten"):
            text += " (" + ", ".join(_(SOORT_LABELS.get(s, s)).lower() for s in criteria["soorten"]) + ")"
        return text

    def baseline(self, subscription: Subscription) -> list[str]:
        return [_key(permit) for permit in _permits(subscription.criteria)]

    def events(self, subscription: Subscription, now: dt.datetime, _: Gettext) -> list[Event]:
        events = []
        for permit in _permits(subscription.criteria):
            where = " ".join(str(permit.get(k) or "") for k in ("straat", "huisnummer")).strip()
            where = ", ".join(part for part in (where, str(permit.get("woonplaats") or "")) if part)
            kind = _(SOORT_LABELS.get(permit.get("soort") or "", "Other"))
            phase = _(FASE_LABELS.get(permit.get("fase") or "", "Phase unknown"))
            lines = [f"{kind} · {phase}"]
            if where:
                lines.append(where)
            if permit.get("afstand") is not None:
                lines.append(_("%(metres)s m from your address") % {"metres": int(float(permit["afstand"]))})
            if permit.get("einde_bezwaartermijn"):
                lines.append(_("Objections until %(date)s") % {"date": permit["einde_bezwaartermijn"]})
            events.append(Event(_key(permit), str(permit.get("title") or permit.get("identifier")),
                                str(permit.get("url") or ""), tuple(lines)))
        return events

    def page_url(self, criteria: dict[str, Any]) -> str:
        params: dict[str, Any] = {"q": f"{criteria['lat']}, {criteria['lon']}", "straal": criteria["straal"]}
        if criteria.get("soorten"):
            params["soort"] = criteria["soorten"]
        return "/vergunningen?" + urlencode(params, doseq=True)

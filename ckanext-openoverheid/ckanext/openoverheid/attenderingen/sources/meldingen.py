"""Meldingen: new reports in an area (a radius around an address or the map's view), or what the
municipality does with one report (its status changes and public responses).

Reads what the meldingen page, map and feeds read (``melding_search``, ``melding_show``) as an
anonymous visitor: a hidden melding is in neither, so no mail ever mentions one. Only what happened
after the subscription was confirmed is news, so the baseline is empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from ckanext.openoverheid import geo
from ckanext.openoverheid.attenderingen import location
from ckanext.openoverheid.attenderingen.model import Subscription
from ckanext.openoverheid.attenderingen.sources.base import Event, everything_found_now
from ckanext.openoverheid.attenderingen.translation import Gettext
from ckanext.openoverheid.meldingen import categories

PAGE_SIZE = 1000  # melding_search's largest page
SCAN_PAGES = 5  # more than 5,000 new reports in one area between two mails is a fault, not a neighbourhood
MAX_BBOX_SIDE_M = 20_000  # "my neighbourhood", not the whole province
DESCRIPTION_CHARS = 200
# The Netherlands in WGS84, as location.point accepts it.
MIN_LAT, MAX_LAT, MIN_LON, MAX_LON = 50.5, 53.8, 3.0, 7.4


def _anonymous() -> dict[str, Any]:
    return {"user": "", "ignore_auth": False}


def _number(value: Any) -> float | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if number == number else None  # NaN


def _bbox(text: str, errors: dict[str, list[str]]) -> str | None:
    """``min_lon,min_lat,max_lon,max_lat`` within the Netherlands and at most MAX_BBOX_SIDE_M a side."""
    parts = [_number(part) for part in text.split(",")]
    numbers = [p for p in parts if p is not None]
    if len(parts) != 4 or len(numbers) != 4:
        errors["bbox"] = [tk._("Give the map area as min_lon,min_lat,max_lon,max_lat in WGS84 degrees.")]
        return None
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (MIN_LON <= min_lon < max_lon <= MAX_LON and MIN_LAT <= min_lat < max_lat <= MAX_LAT):
        errors["bbox"] = [tk._("Choose a map area in the Netherlands.")]
        return None
    width = geo.haversine_m(min_lat, min_lon, min_lat, max_lon)
    height = geo.haversine_m(min_lat, min_lon, max_lat, min_lon)
    if max(width, height) > MAX_BBOX_SIDE_M:
        errors["bbox"] = [tk._("This map area is too large for alerts: zoom in to at most %(km)s km across.")
                          % {"km": MAX_BBOX_SIDE_M // 1000}]
        return None
    return ",".join(f"{n:.6f}".rstrip("0").rstrip(".") for n in numbers)


def _area(bbox: str) -> dict[str, str]:
    """A map area in words a person can picture: its size and its centre."""
    min_lon, min_lat, max_lon, max_lat = (float(part) for part in bbox.split(","))
    width = geo.haversine_m(min_lat, min_lon, min_lat, max_lon)
    height = geo.haversine_m(min_lat, min_lon, max_lat, min_lon)
    return {"width": str(max(100, int(round(width, -2)))), "height": str(max(100, int(round(height, -2)))),
            "centre": f"{(min_lat + max_lat) / 2:.4f}, {(min_lon + max_lon) / 2:.4f}"}


def _public_melding(number: Any) -> dict[str, Any] | None:
    """The melding as the public sees it, with its public history; None when hidden or unknown."""
    try:
        return tk.get_action("melding_show")(_anonymous(), {"id": number})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def _melding_number(data: dict[str, Any], errors: dict[str, list[str]]) -> int | None:
    text = str(data.get("melding") or "").strip()
    if not text.isdigit() or _public_melding(int(text)) is None:
        errors["melding"] = [tk._("There is no public report with this number. Check the number on the "
                                  "report's page.")]
        return None
    return int(text)


def _search_params(criteria: dict[str, Any]) -> dict[str, Any]:
    if criteria.get("bbox"):
        return {"bbox": criteria["bbox"]}
    return {"lat": criteria["lat"], "lon": criteria["lon"], "radius": criteria["straal"]}


def _new_in_area(subscription: Subscription) -> list[dict[str, Any]]:
    assert subscription.confirmed is not None
    params = {**_search_params(subscription.criteria), "start_date": subscription.confirmed.isoformat(),
              "sort": "requested desc", "limit": PAGE_SIZE, "count": False, "updates": False}
    found: list[dict[str, Any]] = []
    for page in range(SCAN_PAGES):
        results = tk.get_action("melding_search")(_anonymous(), {**params, "offset": page * PAGE_SIZE})["results"]
        found += results
        if len(results) < PAGE_SIZE:
            break
    return found


def _category(melding: dict[str, Any], locale: str) -> str:
    category = categories.category(str(melding.get("service_code") or ""))
    return categories.label(category.name, locale) if category else str(melding.get("service_code") or "")


def _status(code: str | None, locale: str) -> str:
    status = categories.workflow().get(code) if code else None
    return categories.label(status.name, locale) if status else str(code or "")


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_CHARS else text[:DESCRIPTION_CHARS - 1].rstrip() + "…"


def _new_melding_event(melding: dict[str, Any], locale: str, _: Gettext) -> Event:
    title = _category(melding, locale)
    if melding.get("address"):
        title += f" – {melding['address']}"
    lines = [_("Report %(id)s · %(status)s") % {"id": melding["id"], "status": _status(melding.get("status"), locale)}]
    if melding.get("description"):
        lines.append(_shortened(str(melding["description"])))
    return Event(f"melding:{melding['id']}", title, str(melding.get("url") or ""), tuple(lines))


def _update_events(melding: dict[str, Any], since: dt.datetime, locale: str, _: Gettext) -> list[Event]:
    events = []
    since = since.replace(microsecond=0)  # the public history gives whole seconds
    for update in melding.get("updates") or []:
        created = dt.datetime.fromisoformat(str(update["created"]))
        if created < since:
            continue
        if update.get("status"):
            title = _("Report %(id)s is now: %(status)s") % {"id": melding["id"],
                                                              "status": _status(update["status"], locale)}
        else:
            title = _("Report %(id)s: a response from the municipality") % {"id": melding["id"]}
        lines = [_category(melding, locale) + (f" – {melding['address']}" if melding.get("address") else "")]
        if update.get("text"):
            lines.append(_shortened(str(update["text"])))
        events.append(Event(f"melding-update:{update['id']}", title, str(melding.get("url") or ""), tuple(lines)))
    return events


class MeldingenSource:
    soort = "meldingen"
    digested = True

    def criteria(self, data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
        if str(data.get("melding") or "").strip():
            number = _melding_number(data, errors)
            return {"melding": number} if number is not None else {}
        if str(data.get("bbox") or "").strip():
            bbox = _bbox(str(data["bbox"]), errors)
            return {"bbox": bbox} if bbox else {}
        place = location.point(data, errors)
        straal = location.radius(data, errors)
        return {**(place or {}), "straal": straal}

    def describe(self, criteria: dict[str, Any], _: Gettext) -> str:
        if criteria.get("melding") is not None:
            return _("Status changes of report %(id)s") % {"id": criteria["melding"]}
        if criteria.get("bbox"):
            return _("New reports in the map area of %(width)s × %(height)s m around %(centre)s") % _area(
                criteria["bbox"])
        return _("New reports within %(radius)s m of %(place)s") % {"radius": criteria.get("straal"),
                                                                     "place": criteria.get("plaats", "")}

    def baseline(self, subscription: Subscription) -> list[str]:
        return everything_found_now(self, subscription)

    def events(self, subscription: Subscription, now: dt.datetime, _: Gettext) -> list[Event]:
        if subscription.confirmed is None:
            return []
        locale = subscription.locale
        if subscription.criteria.get("melding") is not None:
            melding = _public_melding(subscription.criteria["melding"])
            return _update_events(melding, subscription.confirmed, locale, _) if melding else []
        return [_new_melding_event(melding, locale, _) for melding in _new_in_area(subscription)]

    def page_url(self, criteria: dict[str, Any]) -> str:
        if criteria.get("melding") is not None:
            return f"/meldingen/{criteria['melding']}"
        if criteria.get("bbox"):
            return "/meldingen?" + urlencode({"bbox": criteria["bbox"]})
        return "/meldingen?" + urlencode({"lat": criteria["lat"], "lon": criteria["lon"], "straal": criteria["straal"]})


SOURCE = MeldingenSource()

"""A reminder the evening before waste of a chosen type is collected at an address.

Reads what the afvalkalender page reads (``afvalkalender_show``, as an anonymous visitor: a private
calendar reminds nobody). When subscribing, an address the portal has no calendar for is refused, and
one that no table holds yet is fetched from its provider as the page would; later runs only read
the tables (the harvest keeps them current), so the scheduler never asks a provider.

A reminder is about tomorrow, so it is never digested and there is nothing to hold back when
subscribing (``baseline`` is empty): each collection is told once, on its evening, by its date and
waste type.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any, NamedTuple
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.afvalkalender.logic.action import parse_address
from ckanext.openoverheid.afvalkalender.serialize import full_date
from ckanext.openoverheid.attenderingen import links, location, settings
from ckanext.openoverheid.attenderingen.model import Subscription
from ckanext.openoverheid.attenderingen.sources.base import Event
from ckanext.openoverheid.attenderingen.translation import Gettext
from harvesters.afvalkalender.vocabulary import default_vocabulary


class Collection(NamedTuple):
    datum: dt.date
    afvaltype: str


def reminder_day(now: dt.datetime, reminder_time: dt.time, tz: zoneinfo.ZoneInfo) -> dt.date | None:
    """The day whose collections are reminded of at ``now``: tomorrow, from the reminder time until
    midnight (local time); else None. A naive ``now`` is UTC."""
    local = (now if now.tzinfo else now.replace(tzinfo=dt.UTC)).astimezone(tz)
    if local.time() < reminder_time:
        return None
    return local.date() + dt.timedelta(days=1)


def due_collections(collections: Iterable[Collection], now: dt.datetime, reminder_time: dt.time,
                    tz: zoneinfo.ZoneInfo) -> list[Collection]:
    """The collections to remind of at ``now``, once each, in date and type order."""
    day = reminder_day(now, reminder_time, tz)
    if day is None:
        return []
    return sorted({c for c in collections if c.datum == day})


def waste_types() -> tuple[str, ...]:
    """The codes of the waste-type vocabulary (``schemas/afvaltypen.yaml``)."""
    return default_vocabulary().codes


def waste_label(code: str, language: str) -> str:
    try:
        return default_vocabulary().get(code).label(language)
    except KeyError:
        return code


def _key(collection: Collection) -> str:
    return f"afval:{collection.datum.isoformat()}:{collection.afvaltype}"


def _reminder_time(criteria: dict[str, Any]) -> dt.time:
    return settings.parse_time(criteria.get("tijd") or "") or settings.reminder_time()


def _address_text(criteria: dict[str, Any]) -> str:
    postcode = str(criteria["postcode"])
    return f"{postcode[:4]} {postcode[4:]} {criteria['huisnummer']}{criteria.get('toevoeging') or ''}"


def _calendar(criteria: dict[str, Any], fetch: bool) -> dict[str, Any]:
    return tk.get_action("afvalkalender_show")(
        {"user": "", "ignore_auth": False},
        {"postcode": criteria["postcode"], "huisnummer": criteria["huisnummer"],
         "toevoeging": criteria.get("toevoeging") or "", "ophalen": fetch})


def _address(data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any] | None:
    """The address as the afvalkalender page reads it, if the portal has a calendar for it."""
    try:
        adres = parse_address(data)
    except tk.ValidationError as error:
        errors.update({field: list(messages) for field, messages in error.error_dict.items()})
        return None
    criteria = {"postcode": adres.postcode, "huisnummer": adres.huisnummer, "toevoeging": adres.toevoeging}
    try:
        _calendar(criteria, fetch=True)
    except tk.ObjectNotFound:
        errors["postcode"] = [tk._("The portal has no waste calendar for this address: it does not exist or its "
                                   "municipality does not publish its calendar here. Check the postcode and "
                                   "house number.")]
        return None
    except tk.ValidationError as error:  # too many lookups just now, or the provider is down
        errors["postcode"] = [str(message) for messages in error.error_dict.values() for message in messages]
        return None
    return criteria


class AfvalkalenderSource:
    soort = "afvalkalender"
    digested = False

    def criteria(self, data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
        types = waste_types()
        soorten = location.choices(data, "soorten", types, errors, tk._(
            "Unknown waste type: choose from %(types)s.") % {"types": ", ".join(types)})
        tijd = str(data.get("tijd") or "").strip()
        chosen_time = settings.parse_time(tijd) if tijd else None
        if tijd and chosen_time is None:
            errors["tijd"] = [tk._("Write the time as HH:MM, e.g. 19:00.")]
        address = _address(data, errors)
        return {**(address or {}), "soorten": soorten,
                "tijd": chosen_time.strftime("%H:%M") if chosen_time else None}

    def describe(self, criteria: dict[str, Any], _: Gettext) -> str:
        text = _("Reminder of waste collection at %(address)s") % {"address": _address_text(criteria)}
        if criteria.get("soorten"):
            text += " (" + ", ".join(criteria["soorten"]) + ")"
        return text + ", " + _("the evening before at %(time)s") % {
            "time": _reminder_time(criteria).strftime("%H:%M")}

    def baseline(self, subscription: Subscription) -> list[str]:
        return []

    def events(self, subscription: Subscription, now: dt.datetime, _: Gettext) -> list[Event]:
        criteria = subscription.criteria
        reminder_time, tz = _reminder_time(criteria), settings.timezone()
        if reminder_day(now, reminder_time, tz) is None:
            return []  # not the evening yet: no need to read the calendar
        try:
            calendar = _calendar(criteria, fetch=False)
        except tk.ObjectNotFound:  # its calendar is gone (source deleted or made private): nothing to tell
            return []
        chosen = set(criteria.get("soorten") or ())
        collections = [Collection(dt.date.fromisoformat(item["datum"]), item["afvaltype"])
                       for item in calendar["ophaalmomenten"] if not chosen or item["afvaltype"] in chosen]
        language = subscription.locale
        address = _address_text(criteria)
        page = links.absolute(self.page_url(criteria), language)
        return [
            Event(_key(collection),
                  _("Collected tomorrow: %(waste)s") % {"waste": waste_label(collection.afvaltype, language)},
                  page,
                  (_("On %(date)s at %(address)s") % {"date": full_date(collection.datum.isoformat(), language),
                                                      "address": address},))
            for collection in due_collections(collections, now, reminder_time, tz)
        ]

    def choices(self) -> list[tuple[str, str]]:
        """The waste types, for the "my alerts" page's checkboxes (in the page's language)."""
        language = tk.h.lang() or "nl"
        return [(code, waste_label(code, language)) for code in waste_types()]

    def page_url(self, criteria: dict[str, Any]) -> str:
        params = {"postcode": criteria["postcode"], "huisnummer": criteria["huisnummer"]}
        if criteria.get("toevoeging"):
            params["toevoeging"] = criteria["toevoeging"]
        return "/afvalkalender?" + urlencode(params)


SOURCE = AfvalkalenderSource()

"""The calendar of one address as iCalendar, RSS items and validators: plain functions over the
dict ``afvalkalender_show`` returns, so the views stay thin and these can be tested alone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from ckanext.openoverheid.feeds.build import Category, FeedItem
from ckanext.openoverheid.feeds.http import etag_for
from harvesters.afvalkalender.ical_export import build_calendar, event_uid
from harvesters.afvalkalender.model import Adres, Ophaalmoment
from harvesters.afvalkalender.vocabulary import default_vocabulary

__all__ = [
    "AMSTERDAM",
    "calendar_etag",
    "coming",
    "feed_items",
    "full_date",
    "ics",
    "last_modified",
    "origin",
    "parse_alarm_time",
    "records",
]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AFVALTYPEN_SCHEME = "https://github.com/openoverheid/ckanext-openoverheid/blob/main/schemas/afvaltypen.yaml"
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
NO_ALARM = ("geen", "none", "uit", "off")


def parse_alarm_time(text: str | None) -> dt.time | None:
    """``"19:00"`` → 19:00, ``"geen"`` → None (no reminder); ValueError for anything else."""
    value = (text or "").strip().lower()
    if value in NO_ALARM:
        return None
    match = _TIME.match(value)
    if not match:
        raise ValueError(f"{text!r} is not a time; write it as HH:MM, e.g. 19:00, or 'geen' for no reminder")
    return dt.time(int(match.group(1)), int(match.group(2)))


def adres(calendar: Mapping[str, Any]) -> Adres:
    found = calendar["adres"]
    return Adres(found["postcode"], int(found["huisnummer"]), found.get("toevoeging") or "")


def records(calendar: Mapping[str, Any]) -> list[Ophaalmoment]:
    """The collections of an ``afvalkalender_show`` result as records."""
    where = adres(calendar)
    return [
        Ophaalmoment.at(where, item["afvaltype"], dt.date.fromisoformat(item["datum"]),
                        item.get("provider_label") or "")
        for item in calendar["ophaalmomenten"]
    ]


def coming(calendar: Mapping[str, Any], today: dt.date) -> list[dict[str, Any]]:
    """The collections from ``today`` on, in date order."""
    return [item for item in calendar["ophaalmomenten"] if item["datum"] >= today.isoformat()]


def last_modified(calendar: Mapping[str, Any]) -> dt.datetime | None:
    """When the provider was last asked for this address: the documents' Last-Modified."""
    value = calendar.get("bijgewerkt")
    return dt.datetime.fromisoformat(value) if value else None


def calendar_etag(kind: str, calendar: Mapping[str, Any], *extra: object) -> str:
    """An ETag over what the document shows (not when it was checked): an unchanged calendar keeps it;
    the same dates from another source (or dataset) are another document, which names that source."""
    items = (f"{i['datum']}|{i['afvaltype']}|{i.get('omschrijving')}|{i.get('provider_label')}"
             for i in calendar["ophaalmomenten"])
    origin = (calendar["dataset"]["id"], calendar["bron"]["name"], calendar["bron"]["title"],
              calendar["organisatie"]["title"])
    return etag_for([kind, calendar["adres"]["label"], *origin, *extra, *items])


def origin(calendar: Mapping[str, Any], template: str) -> str:
    """Where the calendar comes from, in ``template`` (translated by the caller) with ``{organization}``
    and ``{source}``: the titles of the source's organisation and of the harvest source."""
    return template.format(organization=calendar["organisatie"]["title"] or calendar["organisatie"]["name"],
                           source=calendar["bron"]["title"] or calendar["bron"]["name"])


def ics(calendar: Mapping[str, Any], *, host: str, alarm_time: dt.time | None, description: str = "") -> bytes:
    """The subscribable .ics of the address (see ``harvesters.afvalkalender.ical_export``);
    ``description`` (e.g. ``origin(...)``) becomes its DESCRIPTION and X-WR-CALDESC."""
    where = adres(calendar)
    return build_calendar(
        records(calendar),
        adres=where,
        host=host,
        calendar_name=f"Afvalkalender {where}",
        labels=default_vocabulary().labels("nl"),
        alarm_time=alarm_time,
        description=description,
    )


def feed_items(calendar: Mapping[str, Any], items: list[dict[str, Any]], *, host: str, page_link: str,
               describe: str, language: str = "nl") -> list[FeedItem]:
    """RSS items of the ``items`` (coming collections): one a collection, dated its day (00:00 in the
    Netherlands), with the same UID as the calendar's event.

    :param describe: the item text with ``{label}``, ``{date}`` and ``{address}`` (translated by the caller)
    """
    where = adres(calendar)
    result = []
    for item in items:
        day = dt.date.fromisoformat(item["datum"])
        record = Ophaalmoment.at(where, item["afvaltype"], day, item.get("provider_label") or "")
        label = item.get("omschrijving") or item.get("provider_label") or item["afvaltype"]
        when = format_date(day, format="full", locale=language)
        result.append(
            FeedItem(
                id=f"urn:uid:{event_uid(record, host)}",
                title=f"{label}: {when}",
                link=page_link,
                description=describe.format(label=label, date=when, address=str(where)),
                published=dt.datetime.combine(day, dt.time(), AMSTERDAM),
                categories=[Category(term=item["afvaltype"], label=label, scheme=AFVALTYPEN_SCHEME)],
            )
        )
    return result


def full_date(value: str, language: str = "nl") -> str:
    """``2026-12-10`` as ``donderdag 10 december 2026`` (in ``language``)."""
    return format_date(dt.date.fromisoformat(value), format="full", locale=language)

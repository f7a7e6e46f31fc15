"""A subscribable waste calendar (.ics) for one address, written with the ``icalendar`` library.

Calendar apps poll a subscription daily (``REFRESH-INTERVAL``/``X-PUBLISHED-TTL``) and match events
by UID, so each UID is derived from the address, the date and the waste type only: a moved
collection is a new event, an unchanged one stays the same. ``DTSTAMP`` comes from ``generated_at``
(or from the data), never from the clock, so the same records give the same bytes and the same ETag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from icalendar import Alarm, Calendar, Event

from harvesters.afvalkalender.model import Adres, Ophaalmoment, deduplicate
from harvesters.afvalkalender.vocabulary import OVERIG, normalise_label

__all__ = ["DEFAULT_ALARM_TIME", "PRODID", "alarm_trigger", "build_calendar", "event_uid"]

PRODID = "-//Open Overheid//Afvalkalender//NL"
DEFAULT_ALARM_TIME = dt.time(19, 0)
TIMEZONE = "Europe/Amsterdam"
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def event_uid(record: Ophaalmoment, host: str) -> str:
    """``3512AH-13A-20261210-gft@host``; an unknown type adds its label: ``…-overig-asbest@host``."""
    kind = record.afvaltype
    if kind == OVERIG:
        slug = normalise_label(record.provider_label)[:40]
        kind = f"{kind}-{slug}" if slug else kind
    return f"{record.postcode}-{record.huisnummer}{record.toevoeging}-{record.datum:%Y%m%d}-{kind}@{host}"


def alarm_trigger(alarm_time: dt.time) -> dt.timedelta:
    """The trigger, relative to the start of the collection day, that rings at ``alarm_time`` the day
    before: 19:00 → ``-PT5H``, 20:30 → ``-PT3H30M``."""
    seconds = alarm_time.hour * 3600 + alarm_time.minute * 60 + alarm_time.second
    return -dt.timedelta(days=1) + dt.timedelta(seconds=seconds)


def _label(record: Ophaalmoment, labels: Mapping[str, str]) -> str:
    if record.afvaltype == OVERIG or record.afvaltype not in labels:
        return record.provider_label.strip() or labels.get(record.afvaltype) or record.afvaltype
    return labels[record.afvaltype]


def _stamp(records: Sequence[Ophaalmoment], generated_at: dt.datetime | None) -> dt.datetime:
    if generated_at is not None:
        if generated_at.tzinfo is None:
            raise ValueError("generated_at must carry a time zone (e.g. datetime.now(UTC))")
        return generated_at.astimezone(dt.UTC).replace(microsecond=0)
    if not records:
        return _EPOCH
    return dt.datetime.combine(min(r.datum for r in records), dt.time(), dt.UTC)


def build_calendar(
    records: Sequence[Ophaalmoment],
    *,
    adres: Adres,
    host: str,
    calendar_name: str,
    labels: Mapping[str, str],
    alarm_time: dt.time | None = DEFAULT_ALARM_TIME,
    generated_at: dt.datetime | None = None,
    prodid: str = PRODID,
    description: str = "",
) -> bytes:
    """The .ics bytes (CRLF, folded at 75 octets) of ``records`` at ``adres``.

    :param host: the portal's host name, the domain part of every UID.
    :param calendar_name: NAME and X-WR-CALNAME, e.g. ``"Afvalkalender 3512AH 13"``.
    :param labels: Dutch label per waste type code (``Vocabulary.labels("nl")``); a record of type
        ``overig`` shows the provider's own label.
    :param alarm_time: when the reminder rings the evening before; None for no reminder.
    :param generated_at: DTSTAMP of every event, e.g. when the records were harvested; without it the
        first collection date at midnight UTC, so the output depends on the records alone.
    :param description: DESCRIPTION and X-WR-CALDESC of the calendar, e.g. where the dates come from.
    :raises ValueError: for a record of another address or an empty host.
    """
    host = _checked_host(host)
    _refuse_other_addresses(records, adres)
    unique = deduplicate(records)
    stamp = _stamp(unique, generated_at)
    calendar = _calendar(calendar_name, description, prodid)
    used: set[str] = set()
    for record in unique:
        uid = _unique_uid(event_uid(record, host), host, used)
        calendar.add_component(_event(record, uid, stamp, _label(record, labels), adres, alarm_time))
    return calendar.to_ical()


def _checked_host(host: str) -> str:
    host = host.strip()
    if not host or any(c.isspace() or c == "@" for c in host):
        raise ValueError(f"{host!r} is not a host name for calendar UIDs; give the portal's host, e.g. data.example.nl")
    return host


def _refuse_other_addresses(records: Sequence[Ophaalmoment], adres: Adres) -> None:
    others = sorted(
        {
            str(r.adres)
            for r in records
            if (r.postcode, r.huisnummer, r.toevoeging) != (adres.postcode, adres.huisnummer, adres.toevoeging)
        }
    )
    if others:
        raise ValueError(f"the calendar of {adres} cannot hold collections of other addresses ({', '.join(others)})")


def _calendar(name: str, description: str, prodid: str) -> Calendar:
    """The VCALENDAR without events: names, time zone and how often apps should poll it (daily)."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", prodid)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", TIMEZONE)
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    return calendar


def _unique_uid(uid: str, host: str, used: set[str]) -> str:
    """``uid``, numbered ``-2``, ``-3``… when taken (two unknown labels that differ only in punctuation)."""
    if uid in used:
        base = uid.split("@")[0]
        number = 2
        while f"{base}-{number}@{host}" in used:
            number += 1
        uid = f"{base}-{number}@{host}"
    used.add(uid)
    return uid


def _event(record: Ophaalmoment, uid: str, stamp: dt.datetime, label: str, adres: Adres,
           alarm_time: dt.time | None) -> Event:
    """One all-day, transparent event, with a reminder the evening before unless ``alarm_time`` is None."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", record.datum)
    event.add("dtend", record.datum + dt.timedelta(days=1))
    event.add("summary", label)
    event.add("description", f"{label} wordt opgehaald bij {adres}.")
    event.add("categories", [label])
    event.add("transp", "TRANSPARENT")
    if alarm_time is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Morgen: {label}")
        alarm.add("trigger", alarm_trigger(alarm_time))
        event.add_component(alarm)
    return event

"""A tolerant reader for the municipal waste-calendar .ics files.

Strict iCalendar parsers reject what municipalities really publish: ``DTSTART:20260505T`` (a date
with an empty time), ``DTSTART;TZID=Europe/Amsterdam;VALUE=DATE:20260505``, LF instead of CRLF,
long lines wrapped without the leading space, a missing ``END:VEVENT``, Windows-1252 text. This
reader takes what it can from each VEVENT and only gives up (ParseError) when no event is usable.

Dates: a plain date is taken as written. A date-time with a zone (``Z``, an offset or a TZID that
zoneinfo knows) is converted to Europe/Amsterdam first, so ``20260504T230000Z`` is 5 May. A floating
date-time, or one with an unknown TZID, is a local time: its date part is taken.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from harvesters.afvalkalender.base import AMSTERDAM, looks_like_html
from harvesters.errors import ParseError

__all__ = ["IcsEvent", "parse_ics_date", "read_events"]

log = logging.getLogger(__name__)

MAX_OCCURRENCES = 1000  # per recurring event: a daily rule over a year is 366
MAX_OCCURRENCES_PER_FILE = 20_000  # one address's calendar over two years holds a few hundred
MAX_YEARS_BEFORE_WINDOW = 10  # a recurring event that starts earlier is no waste calendar's
MAX_INTERVAL = 1000
# What a whole-day rule needs. dateutil follows a rule that matches no day at all (BYMONTHDAY=30 in
# February, BYSETPOS=40) up to the year 9999, seconds of CPU for each, expands a FREQ=SECONDLY rule
# into millions of occurrences and loops forever on INTERVAL=0: a file may ask for none of that.
_WHOLE_DAY_PARTS = frozenset({"FREQ", "INTERVAL", "UNTIL", "COUNT", "BYDAY", "BYMONTH", "BYMONTHDAY", "WKST"})
_WHOLE_DAY_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_DATE = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})"  # the date, with or without dashes
    r"(?:[T ](\d{2}):?(\d{2})(?::?(\d{2}))?(?:[.,]\d+)?)?"  # an optional time
    r"\s*(Z|[+-]\d{2}:?\d{2})?$",  # an optional zone
    re.IGNORECASE,
)
_NAME = re.compile(r"^[A-Za-z0-9-]+$")


@dataclass(frozen=True)
class IcsEvent:
    """One occurrence of a VEVENT: its summary (the waste type), categories and local date."""

    summary: str
    datum: dt.date
    categories: tuple[str, ...] = ()
    uid: str = ""


@dataclass
class _Property:
    name: str
    params: dict[str, str]
    value: str


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _unfold(text: str) -> list[str]:
    """Logical lines: CRLF, CR and LF alike; a line starting with a space or tab continues the previous
    one (RFC 5545), and so does, after that, a line without a colon (a wrap without the space)."""
    folded: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and folded:
            folded[-1] += raw[1:]
        else:
            folded.append(raw)
    lines: list[str] = []
    for line in folded:
        if not line.strip():
            continue
        if ":" not in line and lines:
            lines[-1] += line
        else:
            lines.append(line)
    return lines


def _split(line: str) -> _Property | None:
    """``NAME;P=V;Q="a:b":value`` into its parts; None for a line that is not a property."""
    quoted = False
    for position, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:position], line[position + 1 :]
            break
    else:
        return None
    parts = _split_params(head)
    name = parts[0].strip().upper()
    if not _NAME.match(name):
        return None
    params = {}
    for part in parts[1:]:
        key, _, val = part.partition("=")
        params[key.strip().upper()] = val.strip().strip('"')
    return _Property(name, params, value)


def _split_params(head: str) -> list[str]:
    parts, current, quoted = [], "", False
    for char in head:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def _text(value: str) -> str:
    """An iCalendar TEXT value unescaped: ``\\,`` ``\\;`` ``\\n`` ``\\\\``."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value).strip()


def _zone(tzid: str | None) -> dt.tzinfo | None:
    if not tzid:
        return None
    # Some generators prefix the Olson name: "/mozilla.org/20050126_1/Europe/Amsterdam".
    candidates = [tzid.strip(), "/".join(tzid.strip().strip("/").split("/")[-2:])]
    for candidate in candidates:
        try:
            return ZoneInfo(candidate)
        except (ValueError, KeyError, OSError):
            continue
    return None


def parse_ics_date(value: str, params: dict[str, str] | None = None, *, zone: dt.tzinfo = AMSTERDAM) -> dt.date | None:
    """The local date of a DTSTART-like value, or None when it holds no date. See the module docs."""
    params = params or {}
    text = value.strip()
    if text.upper().endswith("T"):  # "20260505T": a date with an empty time
        text = text[:-1]
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        datum = dt.date(int(year), int(month), int(day))
        if hour is None or params.get("VALUE", "").upper() == "DATE":
            return datum
        moment = dt.datetime.combine(datum, dt.time(int(hour), int(minute), int(second or 0)))
    except ValueError:
        return None
    source_zone: dt.tzinfo | None
    if offset and offset.upper() == "Z":
        source_zone = dt.UTC
    elif offset:
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        source_zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    else:
        source_zone = _zone(params.get("TZID"))
    if source_zone is None:
        return moment.date()  # floating (or an unknown TZID): a local time as written
    return moment.replace(tzinfo=source_zone).astimezone(zone).date()


def _components(lines: list[str]) -> Iterator[tuple[str, list[_Property]]]:
    """``("VCALENDAR", [])`` once per calendar and ``("VEVENT", properties)`` per event.

    Tolerates a missing ``END:VEVENT`` (a new BEGIN:VEVENT or the end of the file closes it) and ignores
    properties of nested components such as VALARM.
    """
    stack: list[str] = []
    event: list[_Property] | None = None
    for line in lines:
        prop = _split(line)
        if prop is None:
            continue
        if prop.name == "BEGIN":
            kind = prop.value.strip().upper()
            if kind == "VEVENT":
                if event is not None:
                    yield "VEVENT", event
                    while stack and stack[-1] != "VEVENT":
                        stack.pop()
                    if stack:
                        stack.pop()
                event = []
            elif kind == "VCALENDAR":
                yield "VCALENDAR", []
            stack.append(kind)
        elif prop.name == "END":
            kind = prop.value.strip().upper()
            if kind in stack:
                while stack and stack.pop() != kind:
                    pass
            if kind == "VEVENT" and event is not None:
                yield "VEVENT", event
                event = None
        elif event is not None and stack and stack[-1] == "VEVENT":
            event.append(prop)
    if event is not None:
        yield "VEVENT", event


def read_events(
    data: bytes | str,
    *,
    window: tuple[dt.date, dt.date] | None = None,
    source_url: str | None = None,
    zone: dt.tzinfo = AMSTERDAM,
) -> list[IcsEvent]:
    """Every usable occurrence in an .ics file, in file order.

    Recurring events (RRULE, minus EXDATE, plus RDATE) are expanded within ``window`` (both ends
    included; default: a year from their start). A calendar without events is ``[]``; a file that is
    no calendar, or whose events all lack a date or a summary, is a ParseError.
    """
    raw = data if isinstance(data, bytes) else data.encode("utf-8", errors="replace")
    where = source_url or "the .ics file"
    if looks_like_html(raw):
        raise ParseError(
            f"{where} is an HTML page, not an iCalendar file (probably an error page); check the URL template",
            source_url=source_url,
        )
    calendars = 0
    events: list[IcsEvent] = []
    unusable = 0
    total = 0
    for kind, properties in _components(_unfold(_decode(data))):
        if kind == "VCALENDAR":
            calendars += 1
            continue
        total += 1
        occurrences = _event(properties, window, zone)
        if not occurrences:
            unusable += 1
        events.extend(occurrences)
        if len(events) > MAX_OCCURRENCES_PER_FILE:
            raise ParseError(
                f"{where} holds more than {MAX_OCCURRENCES_PER_FILE:,} collections, far more than one address's "
                "calendar; the file is not a waste calendar, or it is broken: report it to the municipality",
                source_url=source_url,
            )
    if not calendars and not total:
        raise ParseError(
            f"{where} is not an iCalendar file (no BEGIN:VCALENDAR or BEGIN:VEVENT); check the URL template",
            source_url=source_url,
        )
    if total and not events:
        raise ParseError(
            f"{where} has {total} event(s), but none with a readable DTSTART and SUMMARY; "
            "the municipality's calendar file is malformed, report it to them",
            source_url=source_url,
        )
    if unusable:
        log.warning("ics: skipped %d of %d events without a readable DTSTART or SUMMARY in %s", unusable, total, where)
    return events


def _event(properties: list[_Property], window: tuple[dt.date, dt.date] | None, zone: dt.tzinfo) -> list[IcsEvent]:
    first: dict[str, _Property] = {}
    categories: list[str] = []
    exdates: list[_Property] = []
    rdates: list[_Property] = []
    for prop in properties:
        first.setdefault(prop.name, prop)
        if prop.name == "CATEGORIES":
            categories.extend(c for c in (_text(part) for part in re.split(r"(?<!\\),", prop.value)) if c)
        elif prop.name == "EXDATE":
            exdates.append(prop)
        elif prop.name == "RDATE":
            rdates.append(prop)
    start_prop = first.get("DTSTART")
    if start_prop is None:
        return []
    start = parse_ics_date(start_prop.value, start_prop.params, zone=zone)
    summary = _text(first["SUMMARY"].value) if "SUMMARY" in first else ""
    summary = summary or (categories[0] if categories else "")
    if start is None or not summary:
        return []
    span = window or (start, start + dt.timedelta(days=366))
    dates = _expand(first.get("RRULE"), start, span, exdates, zone)
    seen = set(dates)
    for rdate in rdates:
        for value in rdate.value.split(","):
            day = parse_ics_date(value, rdate.params, zone=zone)
            if day is not None and day not in seen:
                dates.append(day)
                seen.add(day)
    uid = first["UID"].value.strip() if "UID" in first else ""
    return [IcsEvent(summary, day, tuple(categories), uid) for day in dates]


def _rule_problem(value: str) -> str | None:
    """Why an RRULE is not expanded (see ``_WHOLE_DAY_PARTS``), or None when it is a whole-day rule
    that matches some day."""
    parts: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in value.split(";"))):
        name, _, text = part.partition("=")
        parts[name.strip().upper()] = text.strip().upper()
    unknown = sorted(set(parts) - _WHOLE_DAY_PARTS)
    if unknown:
        return f"it uses {', '.join(unknown)}, which collections on whole days do not need"
    freq = parts.get("FREQ", "")
    if freq not in _WHOLE_DAY_FREQS:
        return f"it recurs {freq or 'without a FREQ'}, not by days, weeks, months or years"
    try:
        interval = int(parts.get("INTERVAL", "1"))
        months = [int(v) for v in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else list(range(1, 13))
        monthdays = [int(v) for v in parts["BYMONTHDAY"].split(",")] if "BYMONTHDAY" in parts else []
    except ValueError:
        return "INTERVAL, BYMONTH or BYMONTHDAY is not a number"
    if not 1 <= interval <= MAX_INTERVAL:
        return f"INTERVAL must be from 1 to {MAX_INTERVAL}"
    if not months or not all(1 <= month <= 12 for month in months):
        return "BYMONTH names no month"
    if monthdays and not any(1 <= abs(day) <= _DAYS_IN_MONTH[month - 1] for month in months for day in monthdays):
        return "BYMONTHDAY and BYMONTH name no day that exists"
    for day in filter(None, parts.get("BYDAY", "").split(",")):
        match = _BYDAY.match(day)
        if match is None:
            return f"BYDAY {day!r} is no weekday"
        if match.group(1) and freq in ("MONTHLY", "YEARLY"):
            limit = 53 if freq == "YEARLY" and "BYMONTH" not in parts else 5
            if monthdays or not 1 <= abs(int(match.group(1))) <= limit:
                return f"BYDAY {day} names no day that exists"
    return None


def _expand(
    rule: _Property | None,
    start: dt.date,
    window: tuple[dt.date, dt.date],
    exdates: list[_Property],
    zone: dt.tzinfo,
) -> list[dt.date]:
    if rule is None:
        return [start]
    problem = _rule_problem(rule.value)
    if problem is None and start.year < window[0].year - MAX_YEARS_BEFORE_WINDOW:
        problem = f"it starts on {start}, long before the calendar's years"
    if problem:
        log.warning("ics: ignored the RRULE %r (%s); using DTSTART only", rule.value, problem)
        return [start]
    # dateutil wants a naive UNTIL with a naive start: a date is precise enough for whole-day events.
    text = re.sub(r"(UNTIL=\d{8})T?\d*Z?", r"\1", rule.value.strip(), flags=re.IGNORECASE)
    try:
        recurrence = rrulestr(text, dtstart=dt.datetime.combine(start, dt.time()))
        moments = recurrence.between(
            dt.datetime.combine(window[0], dt.time()), dt.datetime.combine(window[1], dt.time()), inc=True
        )
    except (ValueError, TypeError, OverflowError) as error:
        log.warning("ics: ignored the unreadable RRULE %r (%s); using DTSTART only", rule.value, error)
        return [start]
    excluded = {
        day
        for prop in exdates
        for value in prop.value.split(",")
        if (day := parse_ics_date(value, prop.params, zone=zone)) is not None
    }
    return [m.date() for m in moments[:MAX_OCCURRENCES] if m.date() not in excluded]

"""5. Feeds and calendars: our serialisers against the bare libraries, on the same items.

* RSS: ``ckanext.openoverheid.feeds.build.build_feed`` with 500 permit notices (title, link, text,
  dates, author, two categories, a GeoRSS point) against feedgen's ``FeedGenerator`` filled with the
  same fields directly, written as the same document: GeoRSS points, and the author and the date of
  change as ``dc:creator`` and ``dc:date`` (RSS's own ``<author>`` must be an e-mail address and an
  item has no date of change), through feedgen's own extensions.
* iCalendar: ``harvesters.afvalkalender.ical_export.build_calendar`` with a year of collections at
  one address (five waste types, a reminder each) against icalendar's ``Calendar`` with the same
  events, UIDs, reminders and calendar properties.

Pure functions, no services: the two sides alternate in one process (ABAB, order flipped each round).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from feedgen.feed import FeedGenerator
from icalendar import Alarm, Calendar, Event
from lxml import etree

from bench.measure import Result, benchmark_main, interleaved, median, ms, result
from bench.sizes import sizes
from ckanext.openoverheid.feeds.build import Category, FeedItem, build_feed
from harvesters.afvalkalender.ical_export import alarm_trigger, build_calendar, event_uid
from harvesters.afvalkalender.model import Adres, Ophaalmoment
from harvesters.afvalkalender.vocabulary import default_vocabulary

GOAL = "<= 1.5"
SITE = "https://data.example.nl"
UTC = dt.UTC


def feed_items(count: int) -> list[FeedItem]:
    rng = random.Random("feed")
    start = dt.datetime(2026, 1, 1, 9, tzinfo=UTC)
    items = []
    for number in range(count):
        published = start + dt.timedelta(hours=7 * number)
        identifier = f"gmb-2026-{100000 + number}"
        items.append(FeedItem(
            id=f"https://zoek.officielebekendmakingen.nl/{identifier}.html",
            title=f"Verleende omgevingsvergunning, het plaatsen van een dakkapel, Voorstraat {number % 180 + 1}, "
                  "3512AH Utrecht",
            link=f"https://zoek.officielebekendmakingen.nl/{identifier}.html",
            description=("Omgevingsvergunning · Verleend · Voorstraat 13, 3512AH Utrecht · 420 m verderop · "
                         "bezwaar mogelijk tot 2026-03-14"),
            published=published,
            updated=published + dt.timedelta(days=1),
            author="Gemeente Utrecht",
            categories=(Category("omgevingsvergunning", "Omgevingsvergunning"), Category("verleend", "Verleend")),
            lat=52.09 + rng.uniform(-0.02, 0.02),
            lon=5.12 + rng.uniform(-0.03, 0.03),
        ))
    return items


FEED = {"title": "Vergunningen — Open Overheid", "link": f"{SITE}/vergunningen",
        "self_url": f"{SITE}/feeds/vergunningen.rss", "description": "Bekendmakingen van vergunningen, nieuwste eerst."}


def ours_rss(items: list[FeedItem]) -> bytes:
    return build_feed("rss", items=items, **FEED)


def bare_rss(items: list[FeedItem]) -> bytes:
    generator = FeedGenerator()
    generator.load_extension("geo")
    generator.load_extension("dc", atom=False, rss=True)
    generator.id(FEED["self_url"])
    generator.title(FEED["title"])
    generator.description(FEED["description"])
    generator.language("nl")
    generator.link(href=FEED["self_url"], rel="self")
    generator.link(href=FEED["link"], rel="alternate")
    generator.updated(max(item.updated for item in items if item.updated))
    for item in items:
        entry = generator.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=True)
        entry.title(item.title)
        entry.link(href=item.link)
        entry.description(item.description)
        entry.published(item.published)
        entry.updated(item.updated)
        for category in item.categories:
            assert isinstance(category, Category)
            entry.category({"term": category.term, "label": category.label})
        entry.geo.point(f"{item.lat:.6f} {item.lon:.6f}")
        entry.dc.dc_creator(item.author)
        entry.dc.dc_date(item.updated.isoformat())
    return generator.rss_str(pretty=True, encoding="UTF-8")


ADRES = Adres("3512AH", 13, "A")
# (type, first collection in 2026, every so many weeks)
SCHEDULE = (("gft", 1, 2), ("restafval", 8, 2), ("papier", 3, 4), ("pmd", 10, 2), ("glas", 17, 8))


def year_of_collections() -> list[Ophaalmoment]:
    records = []
    for afvaltype, first_day, weeks in SCHEDULE:
        day = dt.date(2026, 1, first_day)
        while day.year == 2026:
            records.append(Ophaalmoment.at(ADRES, afvaltype, day))
            day += dt.timedelta(weeks=weeks)
    return sorted(records, key=lambda r: (r.datum, r.afvaltype))


LABELS = default_vocabulary().labels("nl")
CALENDAR_NAME = f"Afvalkalender {ADRES}"


def ours_ics(records: list[Ophaalmoment]) -> bytes:
    return build_calendar(records, adres=ADRES, host="data.example.nl", calendar_name=CALENDAR_NAME, labels=LABELS)


def bare_ics(records: list[Ophaalmoment]) -> bytes:
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//Open Overheid//Afvalkalender//NL")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", CALENDAR_NAME)
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    stamp = dt.datetime(2026, 1, 1, tzinfo=UTC)
    trigger = alarm_trigger(dt.time(19, 0))
    for record in records:
        label = LABELS[record.afvaltype]
        event = Event()
        event.add("uid", event_uid(record, "data.example.nl"))
        event.add("dtstamp", stamp)
        event.add("dtstart", record.datum)
        event.add("dtend", record.datum + dt.timedelta(days=1))
        event.add("summary", label)
        event.add("description", f"{label} wordt opgehaald bij {ADRES}.")
        event.add("categories", [label])
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Morgen: {label}")
        alarm.add("trigger", trigger)
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


def _shape(data: bytes, what: str) -> Counter[str]:
    if what == "rss":
        return Counter(etree.QName(element).localname for element in etree.fromstring(data).iter())
    unfolded = data.decode().replace("\r\n ", "")
    return Counter(line.split(":")[0].split(";")[0] for line in unfolded.split("\r\n"))


def same_document(ours: bytes, bare: bytes, what: str) -> None:
    """Both sides must write the same elements (or properties), as many of each: the same document."""
    mine, theirs = _shape(ours, what), _shape(bare, what)
    if mine != theirs:
        raise RuntimeError(f"the two {what} documents differ: only ours {mine - theirs}, only bare {theirs - mine}")


def run(size_name: str) -> list[Result]:
    size = sizes(size_name)
    items = feed_items(size.feed_items)
    records = year_of_collections()
    same_document(ours_rss(items), bare_rss(items), "rss")
    same_document(ours_ics(records), bare_ics(records), "ics")
    rss = interleaved({"ours": lambda: ours_rss(items), "bare": lambda: bare_rss(items)}, size.feed_rounds)
    ics_rounds = size.feed_rounds * 10
    ics = interleaved({"ours": lambda: ours_ics(records), "bare": lambda: bare_ics(records)}, ics_rounds)
    mine, bare = median(rss["ours"]), median(rss["bare"])
    ics_mine, ics_bare = median(ics["ours"]), median(ics["bare"])
    return [
        result(f"RSS feed of {len(items)} items / bare feedgen", mine / bare, GOAL,
               f"{ms(mine)} vs {ms(bare)} (median of {size.feed_rounds} rounds)",
               baseline="bare feedgen writing the same document", ours_s=mine, bare_s=bare),
        result(f".ics of a year ({len(records)} collections) / bare icalendar", ics_mine / ics_bare, GOAL,
               f"{ms(ics_mine)} vs {ms(ics_bare)} (median of {ics_rounds} rounds)",
               baseline="bare icalendar writing the same calendar", ours_s=ics_mine,
               bare_s=ics_bare),
    ]


if __name__ == "__main__":
    benchmark_main(run, __doc__)

"""Feed XML from plain items: RSS 2.0 or Atom 1.0, with GeoRSS and paging links.

Plain functions over plain data, no CKAN: the dataset feeds, the openheidsregister and the feeds of
vergunningen, afvalkalender and meldingen all describe their entries as ``FeedItem`` and call
``build_feed``, so they share one way of writing dates, categories, locations and paging — and one
way of keeping user text from breaking the XML.
"""

from __future__ import annotations

import datetime
import enum
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import markdown
import nh3
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator

__all__ = [
    "ATOM_NS",
    "GEORSS_NS",
    "Category",
    "FeedItem",
    "FeedKind",
    "build_feed",
    "moment",
    "plain_text",
    "xml_text",
]

ATOM_NS = "http://www.w3.org/2005/Atom"
GEORSS_NS = "http://www.georss.org/georss"
MIMETYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}

# Characters XML 1.0 does not allow, not even escaped (lxml refuses them): most C0 controls,
# surrogates and the two non-characters U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|ul|ol|blockquote|pre|div|table|tr|dl|dd|dt)>|<br\s*/?>", re.IGNORECASE)


class FeedKind(enum.StrEnum):
    RSS = "rss"
    ATOM = "atom"

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.value]


@dataclass(frozen=True)
class Category:
    """A category of an item: ``term`` identifies it (a code or URI), ``label`` is what people read.

    RSS has room for one text only, so it gets the label; Atom gets both, and ``scheme`` (the
    vocabulary's URI) as Atom's ``scheme`` and RSS's ``domain``.
    """

    term: str
    label: str | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed.

    ``id`` must stay the same when the thing changes (a changed dataset is the same entry with a
    newer ``updated``); ``description`` is plain text (see ``plain_text``). A location is a point
    (``lat``/``lon``, WGS84) and/or a box ``(south, west, north, east)``.
    """

    id: str
    title: str
    link: str
    description: str = ""
    published: datetime.datetime | None = None
    updated: datetime.datetime | None = None
    author: str | None = None
    author_uri: str | None = None
    categories: Sequence[Category | str] = field(default_factory=tuple)
    lat: float | None = None
    lon: float | None = None
    bbox: tuple[float, float, float, float] | None = None

    @property
    def moment(self) -> datetime.datetime | None:
        """When the item last changed: what Last-Modified and the feed's date are made of."""
        return self.updated or self.published


def xml_text(value: object) -> str:
    """``value`` as text that XML can hold: characters XML 1.0 forbids are dropped."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def plain_text(text: str | None, max_length: int | None = 2000) -> str:
    """Markdown or HTML from users as plain text that any feed reader shows safely.

    Markdown is rendered and then every tag is dropped (scripts and styles with their content), so
    broken or hostile HTML can neither break the feed's XML nor run in a reader. Paragraphs stay
    apart; long texts end in an ellipsis after ``max_length`` characters.
    """
    if not text:
        return ""
    rendered = _BLOCK_END.sub(lambda m: m.group(0) + "\n\n", markdown.markdown(xml_text(text)))
    stripped = html.unescape(nh3.clean(rendered, tags=set()))
    paragraphs = [_SPACES.sub(" ", part).strip() for part in _BLANK_LINES.split(stripped)]
    result = xml_text("\n\n".join(part for part in paragraphs if part))
    if max_length and len(result) > max_length:
        result = result[: max_length - 1].rstrip() + "…"
    return result


def moment(value: object) -> datetime.datetime | None:
    """An aware datetime from a datetime or an ISO string; naive values are taken as UTC (CKAN's
    ``metadata_modified``), a bare date as midnight UTC. None for anything unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, datetime.date):
        parsed = datetime.datetime.combine(value, datetime.time())
    else:
        try:
            parsed = datetime.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


class _PagingExtension(BaseExtension):
    """RSS has no paging of its own: add Atom's ``<atom:link rel="next">`` (RFC 5005) to the channel."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_rss(self, feed: Any) -> Any:
        channel = feed.find("channel")
        for attributes in self.links:
            channel.append(channel.makeelement(f"{{{ATOM_NS}}}link", attributes))
        return feed


def _category(category: Category | str, kind: FeedKind) -> dict[str, str]:
    if isinstance(category, str):
        category = Category(term=category)
    term = xml_text(category.term)
    label = xml_text(category.label) if category.label else None
    entry = {"term": term}
    if label and label != term:
        entry["label"] = label
    if category.scheme:
        entry["scheme"] = xml_text(category.scheme)
    return entry


def _description(text: str, kind: FeedKind) -> str:
    """Plain text as the feed carries it. Readers render RSS's ``<description>`` as HTML (the RSS 2.0
    convention), so there the text is HTML-escaped: ``&lt;script&gt;`` typed by a user stays text
    instead of becoming a tag. Atom's ``<summary>`` and ``<subtitle>`` are ``type="text"`` already."""
    text = xml_text(text)
    return html.escape(text, quote=False) if kind is FeedKind.RSS else text


def _add_item(generator: FeedGenerator, item: FeedItem, kind: FeedKind, fallback: datetime.datetime) -> None:
    entry = generator.add_entry(order="append")
    entry.id(xml_text(item.id))
    entry.guid(xml_text(item.id), permalink=item.id == item.link)
    entry.title(xml_text(item.title) or xml_text(item.id))
    entry.link(href=xml_text(item.link), rel="alternate")
    if item.description:
        entry.description(_description(item.description, kind), isSummary=True)
    published = moment(item.published)
    updated = moment(item.updated) or published or fallback
    entry.updated(updated)
    if published or kind is FeedKind.RSS:
        entry.published(published or updated)  # RSS's pubDate; Atom's <published> only when known
    if kind is FeedKind.RSS:
        entry.dc.dc_date(updated.isoformat())  # RSS items have no date of change of their own
    if item.author:
        author = {"name": xml_text(item.author)}
        if item.author_uri:
            author["uri"] = xml_text(item.author_uri)
        entry.author(author)
        entry.dc.dc_creator(xml_text(item.author))  # RSS's <author> must be an e-mail address
    for category in item.categories:
        entry.category(_category(category, kind))
    if item.lat is not None and item.lon is not None:
        entry.geo.point(f"{item.lat:.6f} {item.lon:.6f}")
    if item.bbox is not None:
        south, west, north, east = item.bbox
        entry.geo.box(f"{south:.6f} {west:.6f} {north:.6f} {east:.6f}")


def build_feed(
    kind: FeedKind | str,
    *,
    title: str,
    link: str,
    self_url: str,
    description: str,
    items: Iterable[FeedItem],
    feed_id: str | None = None,
    updated: datetime.datetime | None = None,
    language: str = "nl",
    next_url: str | None = None,
    previous_url: str | None = None,
    first_url: str | None = None,
    last_url: str | None = None,
    generator_name: str = "Open Overheid",
    stylesheet: str | None = None,
) -> bytes:
    """The feed as UTF-8 XML bytes, items in the order given.

    :param kind: ``"rss"`` (RSS 2.0) or ``"atom"`` (Atom 1.0)
    :param link: the HTML page the feed belongs to (RSS ``<link>``, Atom ``rel="alternate"``)
    :param self_url: the feed's own URL (``rel="self"``)
    :param feed_id: Atom's permanent id; defaults to ``self_url`` (pass the URL without paging)
    :param updated: the feed's date; defaults to the newest item, else the Unix epoch, so that the
        same items always give the same bytes
    :param next_url: paging links (RFC 5005); in RSS as ``atom:link`` elements of the channel
    :param stylesheet: URL of an XSLT stylesheet for browsers (``<?xml-stylesheet?>``); readers ignore it
    :raises ValueError: for an unknown ``kind``
    """
    kind = FeedKind(kind)
    items = list(items)
    moments = [m for m in (moment(item.moment) for item in items) if m]
    feed_updated = moment(updated) or (max(moments) if moments else datetime.datetime.fromtimestamp(0, datetime.UTC))

    generator = FeedGenerator()
    generator.load_extension("geo")
    generator.load_extension("dc", atom=False, rss=True)
    generator.register_extension("paging", _PagingExtension, BaseEntryExtension, atom=False, rss=True)
    generator.id(xml_text(feed_id or self_url))
    generator.title(xml_text(title))
    generator.subtitle(_description(description, kind))  # RSS's channel <description> too
    generator.language(language)
    generator.generator(generator_name)
    generator.updated(feed_updated)
    generator.link(href=xml_text(self_url), rel="self", type=kind.mimetype)
    paging = [("first", first_url), ("previous", previous_url), ("next", next_url), ("last", last_url)]
    for rel, href in paging:
        if href:
            generator.link(href=xml_text(href), rel=rel, type=kind.mimetype)
            generator.paging.links.append({"rel": rel, "href": xml_text(href), "type": kind.mimetype})
    generator.link(href=xml_text(link), rel="alternate", type="text/html")  # last: it becomes RSS's <link>
    for item in items:
        _add_item(generator, item, kind, feed_updated)
    if kind is FeedKind.ATOM:
        body = generator.atom_str(pretty=True, encoding="UTF-8")
    else:
        body = generator.rss_str(pretty=True, encoding="UTF-8")
    return _with_stylesheet(body, stylesheet) if stylesheet else body


def _with_stylesheet(body: bytes, href: str) -> bytes:
    """``body`` with an ``<?xml-stylesheet?>`` instruction right after the XML declaration."""
    declaration_end = body.index(b"?>") + 2 if body.startswith(b"<?xml") else 0
    quoted = html.escape(xml_text(href), quote=True).encode("utf-8")
    instruction = b'\n<?xml-stylesheet type="text/xsl" href="' + quoted + b'"?>'
    return body[:declaration_end] + instruction + body[declaration_end:]

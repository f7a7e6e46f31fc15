"""Permit rows (as ``vergunningen_search`` returns them) as GeoJSON features and as feed items.

Plain functions over plain dicts, apart from the web layer: the views pass in the translated texts;
the feed XML itself is ``feeds.build.build_feed``, shared with every other feed of the portal.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ckanext.openoverheid.feeds.build import Category, FeedItem, moment

FEED_PROPERTIES = (
    "identifier", "title", "soort", "fase", "document_date", "published_date", "modified", "einde_bezwaartermijn",
    "straat", "huisnummer", "postcode", "woonplaats", "gemeente", "url", "dataset", "afstand",
)


def feature(row: Mapping[str, Any]) -> dict[str, Any]:
    """One permit as a GeoJSON Feature: [lon, lat] order; no location is a null geometry (RFC 7946 §3.2)."""
    geometry = None
    if row.get("lat") is not None and row.get("lon") is not None:
        geometry = {"type": "Point", "coordinates": [round(float(row["lon"]), 6), round(float(row["lat"]), 6)]}
    return {
        "type": "Feature",
        "id": row.get("identifier"),
        "geometry": geometry,
        "properties": {key: row.get(key) for key in FEED_PROPERTIES if key in row},
    }


def feature_collection(result: Mapping[str, Any]) -> dict[str, Any]:
    """A search result as a FeatureCollection, with the paging numbers as foreign members."""
    return {
        "type": "FeatureCollection",
        "features": [feature(row) for row in result["results"]],
        "count": result["count"],
        "limit": result["limit"],
        "offset": result["offset"],
    }


def address(row: Mapping[str, Any]) -> str:
    """``Voorstraat 13B, 3512AH Utrecht`` from the parts a row has."""
    street = " ".join(part for part in (row.get("straat"), row.get("huisnummer")) if part)
    place = " ".join(part for part in (row.get("postcode"), row.get("woonplaats") or row.get("gemeente")) if part)
    return ", ".join(part for part in (street, place) if part)


def _date_moment(value: Any) -> datetime.datetime | None:
    """A notice's date (a day, Dutch time) as a moment for feeds: noon UTC, so the day never shifts."""
    if value and len(str(value)) == 10:
        return moment(f"{value}T12:00:00+00:00")
    return moment(value)


def last_modified(rows: Iterable[Mapping[str, Any]]) -> datetime.datetime | None:
    """The newest change among the rows, for Last-Modified."""
    moments = [m for m in (_date_moment(r.get("modified") or r.get("published_date")) for r in rows) if m]
    return max(moments) if moments else None


def feed_item(
    row: Mapping[str, Any],
    *,
    describe: Callable[[Mapping[str, Any]], str],
    soort_label: str,
    fase_label: str,
    page_link: str,
) -> FeedItem:
    """One permit as a feed entry: the official notice is its link and id, its point a GeoRSS point."""
    url = row.get("url") or f"{page_link}#{row.get('identifier')}"
    categories = [
        Category(term=str(row[key]), label=label)
        for key, label in (("soort", soort_label), ("fase", fase_label))
        if row.get(key)
    ]
    return FeedItem(
        id=str(url),
        title=str(row.get("title") or row.get("identifier")),
        link=str(url),
        description=describe(row),
        published=_date_moment(row.get("published_date") or row.get("document_date")),
        updated=_date_moment(row.get("modified")),
        categories=categories,
        lat=float(row["lat"]) if row.get("lat") is not None else None,
        lon=float(row["lon"]) if row.get("lon") is not None else None,
    )

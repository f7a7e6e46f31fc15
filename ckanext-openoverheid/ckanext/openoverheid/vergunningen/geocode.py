"""From what a resident types (postcode, address or coordinates) to a point on the map.

Order of trust: coordinates as typed; then the permits the portal already holds (their addresses
carry coordinates, so this needs no network and covers every street with a notice); then, when
``ckanext.openoverheid.geocoder_url`` is set, PDOK's Locatieserver (the national address register,
free and without key). The geocoder is fetched through ``harvesters.http.HttpClient``, so its URL is
held to the same address policy as harvest sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ckanext.openoverheid.vergunningen import query
from ckanext.openoverheid.vergunningen.filters import normalise_postcode
from harvesters.errors import FeedError
from harvesters.geo import parse_latlon
from harvesters.http import HttpClient

_COORDINATES = re.compile(r"^\s*-?\d+(?:[.]\d+)?\s*[,; ]\s*-?\d+(?:[.]\d+)?\s*$")
_ADDRESS = re.compile(
    r"^(?P<straat>[^\d,]+?)\s+(?P<nummer>\d+(?:\s*-?\s*[A-Za-z0-9]{1,4})?)?\s*(?:,\s*)?(?P<plaats>[^\d,][^,]*)?$"
)
_WKT_POINT = re.compile(r"POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", re.IGNORECASE)

Runner = Callable[[query.SqlQuery | None], list[dict[str, Any]]]


class GeocoderUnavailable(Exception):
    """The external geocoder could not be asked (network, HTTP error, unexpected answer)."""


@dataclass(frozen=True)
class Place:
    """A located point, with what it was found as and how."""

    lat: float
    lon: float
    label: str
    source: str
    postcode: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``52.09, 5.12`` → (52.09, 5.12): WGS84 in either order (people copy from GeoJSON too) or RD New
    metres; None unless the point lies in the Netherlands."""
    if not _COORDINATES.match(text):
        return None
    return parse_latlon(text)


def _centre(rows: list[dict[str, Any]]) -> tuple[float, float] | None:
    if rows and rows[0].get("aantal") and rows[0].get("lat") is not None:
        return float(rows[0]["lat"]), float(rows[0]["lon"])
    return None


def _from_permits(text: str, tables: Sequence[query.Table], run: Runner) -> Place | None:
    postcode = normalise_postcode(text)
    if postcode:
        found = _centre(run(query.postcode_centre_sql(tables, postcode)))
        return Place(found[0], found[1], postcode, "vergunningen", postcode) if found else None
    match = _ADDRESS.match(text)
    if not match:
        return None
    street, number, place = match.group("straat").strip(), match.group("nummer"), match.group("plaats")
    number = re.sub(r"[\s-]", "", number) if number else None
    candidates = [(street, number, place.strip() if place else None)]
    if not number and " " in street:
        # "Voorstraat Utrecht": the last word may be the place.
        head, tail = street.rsplit(" ", 1)
        candidates.append((head, None, tail))
    for street_name, house_number, place_name in candidates:
        found = _centre(run(query.address_sql(tables, street_name, house_number, place_name)))
        if found:
            return Place(found[0], found[1], text, "vergunningen")
    return None


def _from_geocoder(text: str, url: str, allowed_private_hosts: Iterable[str]) -> Place | None:
    """Ask PDOK's Locatieserver (or a service answering the same way) for the best match."""
    params = {"q": text, "rows": 1, "fl": "weergavenaam,centroide_ll,postcode,type",
              "fq": "type:(adres OR postcode OR weg OR woonplaats)"}
    try:
        with HttpClient(timeout=5.0, max_retries=0, allowed_private_hosts=allowed_private_hosts) as client:
            answer = client.get(url, params, accept=("application/json",)).json()
    except FeedError as error:
        raise GeocoderUnavailable(str(error)) from None
    try:
        docs = answer["response"]["docs"]
    except (KeyError, TypeError):
        raise GeocoderUnavailable(f"{url} did not answer like PDOK's Locatieserver (no response.docs)") from None
    if not docs:
        return None
    match = _WKT_POINT.search(str(docs[0].get("centroide_ll") or ""))
    if not match:
        return None
    lon, lat = float(match.group(1)), float(match.group(2))  # WKT is lon-lat
    postcode = normalise_postcode(text)
    return Place(lat, lon, str(docs[0].get("weergavenaam") or text), "geocoder", postcode)


def locate(
    text: str,
    tables: Sequence[query.Table],
    *,
    run: Runner,
    geocoder_url: str | None = None,
    allowed_private_hosts: Iterable[str] = (),
) -> Place | None:
    """The point ``text`` stands for, or None when nobody knows it."""
    coordinates = parse_coordinates(text)
    if coordinates:
        return Place(coordinates[0], coordinates[1], f"{coordinates[0]:.5f}, {coordinates[1]:.5f}", "coordinaten")
    found = _from_permits(text, tables, run)
    if found is None and geocoder_url:
        found = _from_geocoder(text, geocoder_url, allowed_private_hosts)
    return found

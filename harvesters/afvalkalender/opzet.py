"""The "Opzet" white-label waste calendar that many municipalities host: two GETs.

``/rest/adressen/{postcode}-{huisnummer}`` lists every address with that number (each huisletter
and huisnummertoevoeging separately); ``/rest/adressen/{bagId}/afvalstromen`` lists the waste
streams of one address with their next collection date (``ophaaldatum``, null when none is planned).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from harvesters.afvalkalender.base import JSON_ACCEPT, BaseProvider, ResponseLike, parse_local_date
from harvesters.afvalkalender.model import Adres, Ophaalmoment, normalise_toevoeging

__all__ = ["Opzet", "pick_address"]

log = logging.getLogger(__name__)


def _suffix(value: Any) -> str:
    try:
        return normalise_toevoeging(str(value)) if value not in (None, "") else ""
    except ValueError:
        return f"?{value}"  # matches no address the user can type


def pick_address(addresses: list[dict[str, Any]], toevoeging: str) -> dict[str, Any] | None:
    """The address among ``addresses`` whose huisletter + huisnummertoevoeging is ``toevoeging``.

    ``"13A"`` matches huisletter A; ``"13-2"`` matches toevoeging 2; ``"13A2"`` matches both. When
    nothing matches exactly, a suffix that equals only the letter or only the toevoeging of exactly
    one address is taken. A bare number matches only the address without letter or toevoeging: the
    portal must not show a neighbour's calendar.
    """
    exact = [
        a for a in addresses if _suffix(a.get("huisletter")) + _suffix(a.get("huisnummerToevoeging")) == toevoeging
    ]
    if exact:
        return exact[0]
    if not toevoeging:
        return None
    partial = [
        a for a in addresses if toevoeging in (_suffix(a.get("huisletter")), _suffix(a.get("huisnummerToevoeging")))
    ]
    return partial[0] if len(partial) == 1 else None


class Opzet(BaseProvider):
    """No config keys: the endpoint is the municipality's calendar site, e.g.
    ``https://afvalkalender.example.nl``.

    The service gives the *next* date per stream only, so a year's calendar fills up as the portal
    harvests it day by day.
    """

    name = "opzet"
    title = "the Opzet waste calendar"

    def fetch(self, adres: Adres, *, jaar: int | None = None) -> list[Ophaalmoment]:
        years = self.years(jaar)
        bag_id = self.bag_id(adres)
        if bag_id is None:
            return []
        response = self.http.get(
            f"{self.endpoint}/rest/adressen/{quote(bag_id, safe='')}/afvalstromen", headers=JSON_ACCEPT
        )
        return self.finish(self.parse_streams(response, adres), years)

    def bag_id(self, adres: Adres) -> str | None:
        """The BAG id Opzet uses for ``adres``; None when Opzet does not know the address."""
        response = self.http.get(
            f"{self.endpoint}/rest/adressen/{adres.postcode}-{adres.huisnummer}", headers=JSON_ACCEPT
        )
        addresses = self._list(response)
        chosen = pick_address([a for a in addresses if isinstance(a, dict)], adres.toevoeging)
        if chosen is None:
            if addresses:
                log.info("opzet: %s is not among the %d addresses with this number", adres, len(addresses))
            return None
        bag_id = chosen.get("bagId") or chosen.get("bagid")
        if bag_id in (None, ""):
            raise self.unexpected(response, "an address without 'bagId'")
        return str(bag_id)

    def parse_streams(self, response: ResponseLike, adres: Adres) -> list[Ophaalmoment]:
        """One record per stream with a date; streams without one (null) are not collected now."""
        records = []
        dated = 0
        for stream in self._list(response):
            if not isinstance(stream, dict) or stream.get("ophaaldatum") in (None, ""):
                continue
            dated += 1
            datum = parse_local_date(stream["ophaaldatum"])
            if datum is not None:
                records.append(self.record(adres, datum, stream.get("title"), stream.get("menu_title")))
        self.skipped(response, dated - len(records), dated)
        return records

    def _list(self, response: ResponseLike) -> list[Any]:
        doc = self.read_json(response)
        if doc is None:
            return []
        if not isinstance(doc, list):
            raise self.unexpected(response, "JSON that is not a list")
        return doc

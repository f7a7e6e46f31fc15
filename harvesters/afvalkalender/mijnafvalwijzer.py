"""mijnafvalwijzer.nl and its white-label hosts: one GET with the ``postcodecheck`` method.

The answer holds this year's collections in ``ophaaldagen`` and, once published, next year's in
``ophaaldagenNext``, which repeats some dates; some hosts wrap the whole answer in
``{"response": "OK", "data": {...}}``. An error is ``{"response": "NOK", "error": "..."}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from harvesters.afvalkalender.base import JSON_ACCEPT, BaseProvider, HttpLike, ResponseLike, parse_local_date
from harvesters.afvalkalender.model import Adres, Ophaalmoment
from harvesters.errors import SourceDiagnostic
from harvesters.http import redact_url

__all__ = ["MijnAfvalwijzer"]

SECTIONS = ("ophaaldagen", "ophaaldagenNext")


class MijnAfvalwijzer(BaseProvider):
    """``GET {endpoint}?apikey=…&method=postcodecheck&postcode=…&huisnummer=…&toevoeging=…``.

    Config: ``apikey`` (required). The endpoint is e.g.
    ``https://api.mijnafvalwijzer.nl/webservices/appsinput/``.
    """

    name = "mijnafvalwijzer"
    title = "mijnafvalwijzer"
    required = ("apikey",)
    optional = ("app_name",)

    def __init__(
        self, endpoint: str, http: HttpLike, *, apikey: str, app_name: str = "afvalwijzer", **kwargs: Any
    ) -> None:
        super().__init__(endpoint, http, **kwargs)
        if not apikey or not str(apikey).strip():
            raise ValueError("mijnafvalwijzer: the config key 'apikey' is empty; ask the provider for an API key")
        self.apikey = str(apikey).strip()
        self.app_name = app_name
        # The endpoint is a directory URL; keep the slash the service expects.
        self.url = self.endpoint + "/"

    def params(self, adres: Adres, afvaldata: dt.date) -> dict[str, str]:
        return {
            "apikey": self.apikey,
            "method": "postcodecheck",
            "postcode": adres.postcode,
            "street": "",
            "huisnummer": str(adres.huisnummer),
            "toevoeging": adres.toevoeging,
            "app_name": self.app_name,
            "platform": "web",
            "afvaldata": afvaldata.isoformat(),
            "langs": "nl",
        }

    def fetch(self, adres: Adres, *, jaar: int | None = None) -> list[Ophaalmoment]:
        years = self.years(jaar)
        today = self._today()
        # One request answers this year and (ophaaldagenNext) the next; for another year ask from 1 January.
        afvaldata = today if years[0] == today.year else dt.date(years[0], 1, 1)
        response = self.http.get(self.url, self.params(adres, afvaldata), headers=JSON_ACCEPT)
        return self.finish(self.parse(response, adres), years)

    def parse(self, response: ResponseLike, adres: Adres) -> list[Ophaalmoment]:
        """All collections in one answer, in the provider's order (not yet deduplicated)."""
        items = list(self._items(response, self.read_json(response)))
        records = []
        for item in items:
            datum = parse_local_date(item.get("date"))
            if datum is not None:
                # `type` is the provider's code, `nameType` its display name (often the same word).
                label = item.get("nameType") if isinstance(item.get("nameType"), str) else None
                records.append(self.record(adres, datum, item.get("type"), label, provider_label=label))
        self.skipped(response, len(items) - len(records), len(items))
        return records

    def _items(self, response: ResponseLike, doc: Any) -> Iterator[dict[str, Any]]:
        if doc is None or doc == [] or doc == {}:
            return  # an unknown address: some hosts answer nothing at all
        if not isinstance(doc, dict):
            raise self.unexpected(response, "JSON that is not an object")
        self._raise_for_nok(response, doc)
        if not any(key in doc for key in SECTIONS) and isinstance(doc.get("data"), dict):
            doc = doc["data"]  # the wrapped form
            self._raise_for_nok(response, doc)
        if not any(key in doc for key in SECTIONS):
            if doc.get("data") == [] and str(doc.get("response", "OK")).upper() == "OK":
                return
            raise self.unexpected(response, "JSON without 'ophaaldagen'")
        for key in SECTIONS:
            section = doc.get(key)
            if isinstance(section, dict):
                if str(section.get("response", "OK")).upper() != "OK":
                    continue  # e.g. ophaaldagenNext before next year's dates are published
                section = section.get("data")
            if section is None or section == {}:
                continue
            if not isinstance(section, list):
                raise self.unexpected(response, f"a '{key}' that is not a list")
            yield from (item for item in section if isinstance(item, dict))

    def _raise_for_nok(self, response: ResponseLike, doc: dict[str, Any]) -> None:
        if str(doc.get("response", "OK")).upper() == "OK":
            return
        where = redact_url(response.url)
        reason = doc.get("error") or doc.get("message") or "no reason given"
        raise SourceDiagnostic(
            f"mijnafvalwijzer ({where}) answered with an error: {reason}. Check the API key and the address; "
            "if both are right the provider has no calendar for it yet, try again later",
            source_url=where,
        )

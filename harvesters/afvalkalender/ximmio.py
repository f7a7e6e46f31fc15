"""Ximmio (wasteapi.ximmio.com and its per-company hosts): two JSON POSTs.

``FetchAdress`` turns the address into Ximmio's ``UniqueId``; ``GetCalendar`` lists the pickup
dates per type between two dates. Dates come as ``"2026-08-14T00:00:00"``: a local date written as
a midnight, unsorted. An error is ``{"dataList": null, "status": false, "messageCode": 164}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from harvesters.afvalkalender.base import JSON_ACCEPT, BaseProvider, HttpLike, ResponseLike, parse_local_date
from harvesters.afvalkalender.model import Adres, Ophaalmoment
from harvesters.errors import SourceDiagnostic
from harvesters.http import redact_url

__all__ = ["Ximmio"]


class Ximmio(BaseProvider):
    """Config: ``company_code`` (required: the waste company's GUID at Ximmio) and ``community``
    (optional: a municipality name some companies ask for). The endpoint is e.g.
    ``https://wasteapi.ximmio.com``.
    """

    name = "ximmio"
    title = "Ximmio"
    required = ("company_code",)
    optional = ("community",)

    def __init__(self, endpoint: str, http: HttpLike, *, company_code: str, community: str = "", **kwargs: Any) -> None:
        super().__init__(endpoint, http, **kwargs)
        if not company_code or not str(company_code).strip():
            raise ValueError("ximmio: the config key 'company_code' is empty; ask the waste company for it")
        self.company_code = str(company_code).strip()
        self.community = str(community or "")

    def fetch(self, adres: Adres, *, jaar: int | None = None) -> list[Ophaalmoment]:
        years = self.years(jaar)
        unique_id = self.address_id(adres)
        if unique_id is None:
            return []
        # One request spans every wanted year: in December endDate lies in next year.
        payload = {
            "companyCode": self.company_code,
            "uniqueAddressID": unique_id,
            "startDate": dt.date(years[0], 1, 1).isoformat(),
            "endDate": dt.date(years[-1], 12, 31).isoformat(),
            "community": self.community,
        }
        response = self.http.post_json(f"{self.endpoint}/api/GetCalendar", payload, headers=JSON_ACCEPT)
        return self.finish(self.parse_calendar(response, adres), years)

    def address_id(self, adres: Adres) -> str | None:
        """Ximmio's id of ``adres``; None when Ximmio does not know the address."""
        payload = {
            "companyCode": self.company_code,
            "postCode": adres.postcode,
            "houseNumber": str(adres.huisnummer),
            "houseLetter": adres.toevoeging,
        }
        response = self.http.post_json(f"{self.endpoint}/api/FetchAdress", payload, headers=JSON_ACCEPT)
        addresses = self._data_list(response)
        if not addresses:
            return None
        first = addresses[0]
        unique_id = first.get("UniqueId") if isinstance(first, dict) else None
        if unique_id in (None, ""):
            raise self.unexpected(response, "an address without 'UniqueId'")
        return str(unique_id)

    def parse_calendar(self, response: ResponseLike, adres: Adres) -> list[Ophaalmoment]:
        """Every pickup of a GetCalendar answer, in the provider's order."""
        records = []
        total = 0
        for item in self._data_list(response):
            if not isinstance(item, dict):
                continue
            dates = item.get("pickupDates") or []
            if not isinstance(dates, list):
                raise self.unexpected(response, "'pickupDates' that is not a list")
            for value in dates:
                total += 1
                datum = parse_local_date(value)
                if datum is not None:
                    records.append(self.record(adres, datum, item.get("_pickupTypeText"), item.get("description")))
        self.skipped(response, total - len(records), total)
        return records

    def _data_list(self, response: ResponseLike) -> list[Any]:
        doc = self.read_json(response)
        if doc is None:
            return []
        if not isinstance(doc, dict):
            raise self.unexpected(response, "JSON that is not an object")
        data = doc.get("dataList")
        if doc.get("status") is False or (data is None and "dataList" in doc):
            where = redact_url(response.url)
            code = doc.get("messageCode")
            message = doc.get("message") or doc.get("errorMessage")
            detail = ", ".join(str(part) for part in (f"code {code}" if code is not None else None, message) if part)
            raise SourceDiagnostic(
                f"Ximmio ({where}) answered with an error ({detail or 'no reason given'}). Check the company "
                "code and the endpoint in the harvest source; if they are right, try again later",
                source_url=where,
            )
        if data is None:
            raise self.unexpected(response, "JSON without 'dataList'")
        if not isinstance(data, list):
            raise self.unexpected(response, "a 'dataList' that is not a list")
        return data

"""A municipality's own .ics waste calendar, one file per address (and often per year).

The URL comes from a template in the source's config, e.g.
``{endpoint}/{jaar}/{postcode}-{huisnummer}{toevoeging}.ics``; without one the endpoint itself is
the template. Each VEVENT's SUMMARY names the waste type; see :mod:`ics_reader` for the malformed
files this copes with.
"""

from __future__ import annotations

import datetime as dt
import logging
import string
from typing import Any

from harvesters.afvalkalender.base import BaseProvider, HttpLike
from harvesters.afvalkalender.ics_reader import read_events
from harvesters.afvalkalender.model import Adres, Ophaalmoment
from harvesters.errors import FetchError, ParseError, UnsafeURLError
from harvesters.http import redact_url

__all__ = ["ICS_ACCEPT", "IcalFeed", "PLACEHOLDERS"]

log = logging.getLogger(__name__)

PLACEHOLDERS = frozenset({"endpoint", "jaar", "postcode", "huisnummer", "toevoeging"})
ICS_ACCEPT = {"Accept": "text/calendar, application/octet-stream;q=0.8, text/plain;q=0.8, */*;q=0.5"}


def template_fields(template: str) -> set[str]:
    """The placeholders in ``template``; ValueError for an unknown one or a broken brace."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        raise ValueError(f"the url_template {template!r} is not a valid template ({error})") from None
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        raise ValueError(
            f"the url_template uses unknown placeholder(s) {', '.join('{' + u + '}' for u in unknown)}; "
            f"use only {', '.join('{' + p + '}' for p in sorted(PLACEHOLDERS))}"
        )
    return names


class IcalFeed(BaseProvider):
    """Config: ``url_template`` (optional; placeholders ``{endpoint}``, ``{jaar}``, ``{postcode}``,
    ``{huisnummer}``, ``{toevoeging}``).

    With ``{jaar}`` in the template each wanted year is its own file; in December next year's file is
    fetched too, and its absence (a 404, or an error page) is only logged: it is often published late.
    """

    name = "ical"
    title = "the .ics calendar"
    optional = ("url_template",)

    def __init__(self, endpoint: str, http: HttpLike, *, url_template: str = "", **kwargs: Any) -> None:
        super().__init__(endpoint, http, **kwargs)
        self.template = (url_template or "").strip() or endpoint.strip()
        self.fields = template_fields(self.template)

    def url(self, adres: Adres, jaar: int) -> str:
        return self.template.format(
            endpoint=self.endpoint,
            jaar=jaar,
            postcode=adres.postcode,
            huisnummer=adres.huisnummer,
            toevoeging=adres.toevoeging,
        )

    def fetch(self, adres: Adres, *, jaar: int | None = None) -> list[Ophaalmoment]:
        years = self.years(jaar)
        files = years if "jaar" in self.fields else years[:1]
        window = (dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
        records: list[Ophaalmoment] = []
        for position, year in enumerate(files):
            url = self.url(adres, year)
            try:
                response = self.http.get(url, headers=ICS_ACCEPT)
                events = read_events(response.content, window=window, source_url=redact_url(response.url))
            except UnsafeURLError:
                raise
            except (FetchError, ParseError) as error:
                if position == 0:
                    raise
                log.warning("ical: next year's calendar is not available yet (%s)", error)
                continue
            records.extend(self.record(adres, event.datum, event.summary, *event.categories) for event in events)
        return self.finish(records, years)

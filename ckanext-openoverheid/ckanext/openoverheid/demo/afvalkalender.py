"""Demo waste calendars for ``make run``: a real harvest of a shipped fixture, without network.

A local server (``demo/harvest_source.py``) answers like mijnafvalwijzer's ``postcodecheck``
from ``demo/data/afvalkalender-demo.json``: the answers of two addresses in Utrecht for a base year,
moved by whole weeks to the year asked for, so weekdays stay right and the demo always has coming
dates. An ``afvalkalender`` harvest source of the demo municipality is harvested from it, so
``/afvalkalender`` shows 3512AH 13 the way a real source would fill it (a later on-demand fetch of
this source reports that it could not connect: the server answers only while the demo runs).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ckanext.openoverheid import cli_text
from ckanext.openoverheid.demo import data_text
from ckanext.openoverheid.demo.harvest_source import (
    DEMO_GEMEENTE,
    DEMO_ORGANIZATION,
    Progress,
    QuietHandler,
    harvest_demo,
    local_server,
)
from ckanext.openoverheid.harvest.run_now import JobSummary
from harvesters.afvalkalender.model import parse_adres

__all__ = ["DEMO_ADDRESS", "DEMO_ORGANIZATION", "demo_answer", "load_demo", "sample_server"]

DEMO_SOURCE_NAME = "bron-afvalkalender-utrecht-demo"
DEMO_APIKEY = "demo"
DEMO_ADDRESS = "3512AH 13"
FIXTURE = "afvalkalender-demo.json"
NO_DATA = {"response": "NOK", "data": [], "error": "No Afvaldata"}


@lru_cache(maxsize=1)
def fixture() -> dict[str, Any]:
    """The shipped fixture: ``basisjaar`` and one mijnafvalwijzer answer per address (``"3512AH 13"``)."""
    data = json.loads(data_text(FIXTURE))
    return {"basisjaar": int(data["basisjaar"]),
            "adressen": {parse_adres(key).key: answer for key, answer in data["adressen"].items()}}


def _moved(items: list[dict[str, Any]], weeks: int, year: int) -> list[dict[str, Any]]:
    moved = []
    for item in items:
        day = dt.date.fromisoformat(item["date"]) + dt.timedelta(weeks=weeks)
        if day.year == year:
            moved.append(dict(item, date=day.isoformat()))
    return moved


def demo_answer(address_key: str, afvaldata: dt.date) -> dict[str, Any]:
    """mijnafvalwijzer's answer for ``address_key`` (``3512AH-13``) asked on ``afvaldata``: the base
    year moved to that year and, in December, to the next as ``ophaaldagenNext``."""
    data = fixture()
    answer = data["adressen"].get(address_key)
    if answer is None:
        return NO_DATA
    base = dt.date(data["basisjaar"], 1, 1)
    items = answer["ophaaldagen"]["data"]

    def section(year: int) -> dict[str, Any]:
        weeks = round((dt.date(year, 1, 1) - base).days / 7)
        return {"response": "OK", "data": _moved(items, weeks, year)}

    result = dict(answer, ophaaldagen=section(afvaldata.year))
    if afvaldata.month == 12:
        result["ophaaldagenNext"] = section(afvaldata.year + 1)
    return result


def _handler() -> type[QuietHandler]:
    class DemoAfvalwijzerHandler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            params = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
            if params.get("apikey") != DEMO_APIKEY or params.get("method") != "postcodecheck":
                body = json.dumps({"response": "NOK", "data": [], "error": "Invalid apikey"}).encode()
            else:
                try:
                    adres = parse_adres(f"{params.get('postcode', '')} {params.get('huisnummer', '')}"
                                        f"{params.get('toevoeging', '')}")
                    afvaldata = dt.date.fromisoformat(params.get("afvaldata", ""))
                except ValueError:
                    self.send_error(400, "postcode, huisnummer and afvaldata (YYYY-MM-DD) are required")
                    return
                body = json.dumps(demo_answer(adres.key, afvaldata), ensure_ascii=False).encode("utf-8")
            self.send_body(body, "application/json; charset=utf-8")

    return DemoAfvalwijzerHandler


@contextmanager
def sample_server() -> Iterator[str]:
    """Serve the demo fixture on 127.0.0.1 (free port) while the block runs; yields the endpoint URL."""
    with local_server(_handler(), "/webservices/appsinput/", "demo-afvalwijzer") as url:
        yield url


def _source_fields(url: str, organization_id: str) -> dict[str, Any]:
    return {
        "name": DEMO_SOURCE_NAME,
        "title": f"Afvalkalender {DEMO_GEMEENTE} (demo)",
        "notes": "Voorbeeldbron: verzonnen ophaaldagen in de vorm van de mijnafvalwijzer-API, uit een lokale server.",
        "url": url,
        "source_type": "afvalkalender",
        "frequency": "MANUAL",
        "config": json.dumps({
            "gemeente": DEMO_GEMEENTE,
            "provider": "mijnafvalwijzer",
            "apikey": DEMO_APIKEY,
            "adressen": sorted(f"{key.replace('-', ' ', 1)}" for key in fixture()["adressen"]),
            "postcodes": ["3500-3585"],
            "pause": 0,
        }),
        "owner_org": organization_id,
    }


def load_demo(progress: Progress = lambda message: None) -> JobSummary:
    """Harvest the demo waste calendars of Utrecht into the dataset "Afvalkalender Utrecht".

    Needs the demo organisation (``ckan openoverheid demo`` makes it) and the ``openoverheid_afvalkalender_harvester``
    plugin; the sample server is allowed for the time of the harvest only (``demo/harvest_source.py``).
    Safe to run again: rows are upserted. Afterwards
    ``/afvalkalender/3512AH/13.ics`` is the demo calendar.
    """
    what = cli_text._("{count} demo addresses").format(count=len(fixture()["adressen"]))
    return harvest_demo(sample_server(), _source_fields, what=what,
                        label=f"afvalkalender {DEMO_GEMEENTE}", progress=progress)

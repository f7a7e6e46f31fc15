"""A local mijnafvalwijzer-style server for the afvalkalender tests: real HTTP on 127.0.0.1, answers
per address set by the test, every request recorded, unknown addresses answered with the provider's
own "No Afvaldata" error."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from ckanext.openoverheid.demo.local_server import QuietHandler, local_server
from harvesters.afvalkalender.model import Adres, parse_adres
from harvesters.afvalkalender.vocabulary import default_vocabulary

JSON = "application/json; charset=utf-8"
HTML_ERROR = (
    b"<!DOCTYPE html><html><head><title>Storing</title></head>"
    b"<body><h1>Wij zijn even weg</h1><p>Probeer het later nog eens.</p></body></html>"
)
NO_DATA = {"response": "NOK", "data": [], "error": "No Afvaldata"}

Answer = tuple[int, str, bytes]
Item = tuple[str, str, dt.date]  # (type, nameType, date) as the provider writes them


def mijnafvalwijzer_json(items: Iterable[Item], next_items: Iterable[Item] = ()) -> Answer:
    """A ``postcodecheck`` answer holding ``items`` (and ``ophaaldagenNext`` when given), in their order."""
    def section(entries: Iterable[Item]) -> dict[str, object]:
        return {"response": "OK",
                "data": [{"nameType": label, "type": kind, "date": day.isoformat()} for kind, label, day in entries]}

    body: dict[str, object] = {"ophaaldagen": section(items), "mededelingen": {"response": "OK", "data": []}}
    next_items = list(next_items)
    if next_items:
        body["ophaaldagenNext"] = section(next_items)
    return 200, JSON, json.dumps(body).encode("utf-8")


def expected_rows(items: Iterable[Item]) -> set[tuple[str, str]]:
    """(afvaltype code, ISO date) pairs the harvester should store for ``items``: the vocabulary's
    code for the provider's labels, duplicates once. Computed, not typed in."""
    vocabulary = default_vocabulary()
    return {(vocabulary.code_for(kind, label), day.isoformat()) for kind, label, day in items}


def route(year: int, first: dt.date | None = None, weeks: int = 2) -> list[Item]:
    """A realistic route: gft and restafval on alternate weeks, pmd two days later, paper monthly,
    a Christmas-tree collection in January; the provider repeats one date and does not sort."""
    start = first or dt.date(year, 1, 5)
    items: list[Item] = []
    day = start
    while day.year == year:
        items.append(("gft", "gft", day))
        restafval = day + dt.timedelta(weeks=1)
        if restafval.year == year:
            items.append(("restafval", "restafval", restafval))
        pmd = day + dt.timedelta(days=2)
        if pmd.year == year:
            items.append(("pmd", "Plastic, metaal en drankkartons", pmd))
        day += dt.timedelta(weeks=weeks)
    for month in range(1, 13):
        items.append(("papier", "papier", dt.date(year, month, 9)))
    items.append(("kerstbomen", "kerstbomen", dt.date(year, 1, 10)))
    items.append(items[4])  # a repeated date
    items.reverse()  # unsorted
    return items


@dataclass
class AfvalwijzerServer:
    """``url`` is the endpoint; ``answers`` maps an address key (``3512AH-13``) to its answer;
    ``requests`` lists the query parameters of every request (single values)."""

    url: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)

    def answer(self, adres: str | Adres, items: Iterable[Item], next_items: Iterable[Item] = ()) -> None:
        key = (parse_adres(adres) if isinstance(adres, str) else adres).key
        self.answers[key] = mijnafvalwijzer_json(items, next_items)

    def fail(self, adres: str, answer: Answer) -> None:
        self.answers[parse_adres(adres).key] = answer

    def asked_for(self, adres: str) -> int:
        wanted = parse_adres(adres)
        return sum(
            1 for r in self.requests
            if (r.get("postcode"), r.get("huisnummer"), r.get("toevoeging", "")) ==
            (wanted.postcode, str(wanted.huisnummer), wanted.toevoeging)
        )


def _handler(server: AfvalwijzerServer) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            params = {key: values[0] for key, values in query.items()}
            server.requests.append(params)
            try:
                key = Adres(params.get("postcode", ""), int(params.get("huisnummer", "0")),
                            params.get("toevoeging", "")).key
            except ValueError:
                key = ""
            status, content_type, body = server.answers.get(key) or (200, JSON, json.dumps(NO_DATA).encode())
            self.send_body(body, content_type, status)

    return Handler


@contextmanager
def running_afvalwijzer() -> Iterator[AfvalwijzerServer]:
    state = AfvalwijzerServer()
    with local_server(_handler(state), "/webservices/appsinput/", "test-afvalwijzer") as url:
        state.url = url
        yield state

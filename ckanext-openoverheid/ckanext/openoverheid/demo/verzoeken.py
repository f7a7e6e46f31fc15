"""Demo data requests and ideas for `make run`: a few of both kinds at the demo organisations, spread
over the last days, with supporters; one answered with a demo dataset, one refused because the data
is closed (with its Woo ground), one being handled. Idempotent: once the demo requests are there,
none are added.

The demo requesters and supporters (``demo-indiener@example.org``, ``demo-steun-N@example.org``:
reserved, never delivered) are stored as confirmed directly, so loading the demo sends no mail and
follows nothing; the answers go through ``verzoek_update`` like a civil servant's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from sqlalchemy import select

from ckanext.openoverheid import cli_text
from ckanext.openoverheid.verzoeken import opendata, queries
from ckanext.openoverheid.verzoeken.model import Role, Status, Verzoek, VerzoekSteun, utcnow

Progress = Callable[[str], None]

DEMO_REQUESTER = "demo-indiener@example.org"


def supporter(number: int) -> str:
    return f"demo-steun-{number}@example.org"


@dataclass(frozen=True)
class DemoVerzoek:
    organization: str
    soort: str
    titel: str
    toelichting: str
    days_ago: int
    supporters: int  # besides the requester
    lat: float | None = None
    lon: float | None = None
    answer: dict[str, Any] = field(default_factory=dict)  # verzoek_update's fields, a day after asking


def _review_date() -> str:
    return (datetime.date.today() + datetime.timedelta(days=365)).isoformat()


DEMO: list[DemoVerzoek] = [
    DemoVerzoek("gemeente-utrecht", "data", "Bezetting van de parkeergarages",
                "Hoeveel plekken zijn er vrij in de parkeergarages? Dan kan ik thuis al zien waar ik terecht kan.",
                9, 4, answer={"status": "gepubliceerd", "dataset": "parkeergarages-utrecht",
                              "antwoord": "De parkeergarages met hun capaciteit staan nu als open data online."}),
    DemoVerzoek("gemeente-zwolle", "data", "Uitkomsten van de horecacontroles",
                "Welke horecabedrijven zijn gecontroleerd en wat kwam eruit? Handig om een restaurant te kiezen.",
                12, 2, answer={"status": "afgewezen", "gesloten": True, "woo_grounds": ["5.1.2.d"],
                               "review_date": None,
                               "antwoord": "Openbaarmaking van lopende controles zou het toezicht op de horeca "
                                           "ondermijnen; wij publiceren deze gegevens daarom niet."}),
    DemoVerzoek("gemeente-groningen", "data", "Bomen met hun plantjaar",
                "Een lijst van de bomen in de stad met soort en plantjaar, voor een buurtproject over groen.",
                5, 3, answer={"status": "in_behandeling",
                              "antwoord": "Wij vullen het bomenregister aan met het plantjaar; eind van de maand "
                                          "publiceren wij het."}),
    DemoVerzoek("gemeente-utrecht", "data", "Geluidsmetingen rond evenementen",
                "De metingen van het geluid bij evenementen in de parken, per uur.", 2, 1),
    DemoVerzoek("gemeente-utrecht", "idee", "Watertappunt in het Griftpark",
                "Een kraan met drinkwater bij de speeltuin, voor sporters en kinderen in de zomer.",
                7, 6, lat=52.09850, lon=5.12650),
    DemoVerzoek("gemeente-zwolle", "idee", "Meer fietsenrekken bij het station",
                "Aan de centrumkant van het station staan de fietsen overal; een extra rek zou helpen.",
                3, 2, lat=52.50500, lon=6.09150),
]


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def has_demo() -> bool:
    return model.Session.scalar(
        select(VerzoekSteun.id).where(VerzoekSteun.email == DEMO_REQUESTER).limit(1)) is not None


def _add(entry: DemoVerzoek, group: model.Group) -> Verzoek:
    """The request, confirmed, with its requester and supporters confirmed, ``days_ago`` old."""
    asked = utcnow() - datetime.timedelta(days=entry.days_ago)
    verzoek = Verzoek(soort=entry.soort, titel=entry.titel, toelichting=entry.toelichting,
                      organization_id=group.id, lat=entry.lat, lon=entry.lon, status=Status.ONTVANGEN,
                      hidden=False, language="nl", created=asked, confirmed=asked, updated=asked, support_count=0)
    session = model.Session
    session.add(verzoek)
    session.flush()
    addresses = [(DEMO_REQUESTER, Role.INDIENER)] + [(supporter(n), Role.STEUN) for n in range(1, entry.supporters + 1)]
    for hours, (email, role) in enumerate(addresses):
        moment = asked + datetime.timedelta(hours=hours)
        session.add(VerzoekSteun(verzoek_id=verzoek.id, email=email, role=role, language="nl", created=moment,
                                 confirmed=moment))
    session.flush()
    queries.recount_support(session, verzoek.id)
    session.commit()
    return verzoek


def _answer(verzoek: Verzoek, entry: DemoVerzoek) -> None:
    """The organisation's answer, dated a day after the request."""
    data = {key: value for key, value in entry.answer.items() if value is not None}
    if data.get("gesloten"):
        data["review_date"] = _review_date()
    tk.get_action("verzoek_update")(_site_context(), dict(data, id=verzoek.id))
    answered = verzoek.created + datetime.timedelta(days=1)
    model.Session.refresh(verzoek)
    for update in verzoek.updates:
        update.created = answered
    verzoek.updated = answered
    model.Session.commit()


def load_demo_verzoeken(progress: Progress = lambda message: None) -> int:
    """Add the demo requests when none are there; returns how many were created."""
    if has_demo():
        return 0
    created = 0
    for entry in DEMO:
        group = model.Group.get(entry.organization)
        if group is None:
            progress(cli_text._("verzoeken {organization}: organisation missing, skipped").format(
                organization=entry.organization))
            continue
        verzoek = _add(entry, group)
        if entry.answer:
            try:
                _answer(verzoek, entry)
            except tk.ValidationError as error:
                progress(f"verzoeken {entry.organization}: {error.error_summary}")
        model.Session.refresh(verzoek)
        opendata.sync_verzoek(verzoek)
        created += 1
    return created

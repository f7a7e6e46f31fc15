"""Demo meldingen for `make run`, so the map is not empty: a handful per demo municipality, some
already handled. Idempotent: a municipality that has demo meldingen gets no more.

Needs the demo organisations (``ckan openoverheid demo`` creates them) and their areas in
``ckanext.openoverheid.meldingen.areas`` (config/ckan.ini.template sets them). Each has a reporter
address at example.org (reserved, never delivered), so handling one sends the reporter's mail: with
`make run` it lands in var/mail/ (config/provision/mailsink.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from sqlalchemy import select

from ckanext.openoverheid import cli_text
from ckanext.openoverheid.meldingen import categories, opendata, targets
from ckanext.openoverheid.meldingen.model import Melding

Progress = Callable[[str], None]

DEMO_REPORTER = "melder@example.org"

# (organisation, category, lat, lon, address, description, status changes with a response, days ago: reported
# then, each change a day later, so the queue has late reports and the dashboard has times to solve)
DEMO: list[tuple[str, str, float, float, str, str, list[tuple[str, str]], int]] = [
    ("gemeente-utrecht", "losse-stoeptegel", 52.09065, 5.12110, "Domplein 9, Utrecht",
     "Twee tegels liggen los voor de ingang van het Domplein; er is al iemand over gestruikeld.",
     [("in_behandeling", "Een ploeg komt deze week de tegels vastleggen.")], 9),
    ("gemeente-utrecht", "straatverlichting", 52.08940, 5.11860, "Oudegracht 150, Utrecht",
     "De lantaarnpaal bij de trap naar de werf brandt al een week niet.",
     [("in_behandeling", ""), ("opgelost", "De lamp is vervangen. Bedankt voor uw melding!")], 12),
    ("gemeente-utrecht", "fietsenrek", 52.09260, 5.11830, "Neude, Utrecht",
     "Op zaterdag is er geen plek meer in de rekken; er staan veel fietsen op de stoep.", [], 1),
    ("gemeente-utrecht", "zwerfafval", 52.08700, 5.12480, "Lucasbolwerk, Utrecht",
     "Na het weekend ligt er veel afval rond de bankjes in het park.", [], 6),
    ("gemeente-zwolle", "volle-afvalbak", 52.51250, 6.09160, "Grote Markt, Zwolle",
     "De afvalbakken op de Grote Markt puilen uit.", [("opgelost", "De bakken zijn geleegd.")], 4),
    ("gemeente-zwolle", "groen", 52.50880, 6.09500, "Potgietersingel, Zwolle",
     "Overhangende takken boven het fietspad langs de singel.", [], 10),
    ("gemeente-groningen", "losse-stoeptegel", 53.21870, 6.56800, "Grote Markt, Groningen",
     "Verzakte klinkers bij de Martinitoren; plassen bij regen.", [], 2),
    ("gemeente-groningen", "straatverlichting", 53.21640, 6.56460, "Zuiderdiep, Groningen",
     "Lantaarnpaal knippert de hele avond.",
     [("doorgestuurd", "Deze lantaarnpaal is van Enexis; wij hebben de melding aan hen doorgegeven.")], 3),
]


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True, "melding_source": "demo", "reporter_ip": None}


def _move_back(melding_id: int, days: int) -> None:
    """Make the demo melding ``days`` old: reported then, its changes a day apart after that."""
    melding = model.Session.get(Melding, melding_id)
    if melding is None or days <= 0:
        return
    reported = melding.requested - datetime.timedelta(days=days)
    category = categories.category(melding.service_code)
    melding.requested = reported
    melding.due = targets.due(reported, category.target) if category and category.target else None
    for step, update in enumerate(melding.updates, start=1):
        update.created = reported + datetime.timedelta(days=step)
    melding.updated = melding.updates[-1].created if melding.updates else reported
    if melding.closed is not None:
        melding.closed = melding.updated
    model.Session.commit()
    opendata.sync_melding(melding)


def load_demo_meldingen(progress: Progress = lambda message: None) -> int:
    """Add the demo meldingen that are missing; returns how many were created."""
    created = 0
    for organization_name in dict.fromkeys(entry[0] for entry in DEMO):
        group = model.Group.get(organization_name)
        if group is None:
            progress(cli_text._("meldingen {organization}: organisation missing, skipped").format(
                organization=organization_name))
            continue
        has_demo = model.Session.scalar(
            select(Melding.id).where(Melding.organization_id == group.id, Melding.source == "demo").limit(1)
        )
        if has_demo:
            continue
        for org, code, lat, lon, address, description, changes, days_ago in DEMO:
            if org != organization_name:
                continue
            try:
                melding = tk.get_action("melding_create")(
                    _site_context(),
                    {"service_code": code, "lat": lat, "lon": lon, "address": address, "description": description,
                     "email": DEMO_REPORTER},
                )
            except tk.ValidationError as error:
                progress(f"meldingen {organization_name}: {error.error_summary}")
                break
            for status, text in changes:
                data = {"id": melding["id"], "status": status}
                if text:
                    data["text"] = text
                tk.get_action("melding_update_create")(_site_context(), data)
            _move_back(melding["id"], days_ago)
            created += 1
        progress(cli_text._("meldingen {organization}: demo meldingen added").format(organization=organization_name))
    return created

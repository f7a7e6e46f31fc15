"""A small portal for the tests that walk the whole API (the OpenAPI check, the fuzzer): open and
closed datasets of gemeente-utrecht and one melding (test.ini gives that municipality its area)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

NATUUR = "http://standaarden.overheid.nl/owms/terms/Natuur_en_milieu"
MOTIVATION = "Het openbaar maken van deze gegevens schaadt de bedrijfsvertrouwelijkheid van de leveranciers."


def populate(api: Callable[..., Any]) -> dict[str, Any]:
    """An open and a restricted dataset and one melding; returns ``organization`` and ``melding``."""
    org = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    api("package_create", name="bomen-utrecht", title="Bomen", notes="Alle bomen", owner_org=org["id"],
        theme=[NATUUR], tags=[{"name": "bomen"}],
        resources=[{"url": "https://data.utrecht.nl/bomen.csv", "format": "CSV"}])
    api("package_create", name="contracten-utrecht", title="Contracten", notes="Inkoopcontracten",
        owner_org=org["id"], access_rights="beperkt", woo_grounds=["5.1.1.c"], woo_motivation=MOTIVATION,
        review_date=(datetime.date.today() + datetime.timedelta(days=100)).isoformat(),
        contact=[{"name": "Team Data", "email": "data@utrecht.nl"}])
    melding = api("melding_create", service_code="losse-stoeptegel", description="Losse tegel", lat=52.0907,
                  lon=5.1214)
    return {"organization": org, "melding": melding}

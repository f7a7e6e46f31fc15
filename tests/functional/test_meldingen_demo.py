"""`make run` fills the map: the demo meldingen land in the demo municipalities, once."""

from __future__ import annotations

import datetime

import pytest
from ckan.tests import factories

from ckanext.openoverheid.demo.meldingen import DEMO, load_demo_meldingen
from ckanext.openoverheid.meldingen.model import Melding

# The areas config/ckan.ini.template gives the demo municipalities.
TEMPLATE_AREAS = ("gemeente-utrecht=4.97,52.02,5.20,52.14 gemeente-zwolle=5.98,52.46,6.22,52.58 "
                  "gemeente-groningen=6.45,53.15,6.75,53.28")


@pytest.mark.usefixtures("portal")
def test_demo_meldingen_are_added_once_and_some_are_handled(app, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.areas", TEMPLATE_AREAS)
    for name in ("gemeente-utrecht", "gemeente-zwolle", "gemeente-groningen"):
        factories.Organization(name=name, title=name.replace("gemeente-", "Gemeente ").title())
    messages: list[str] = []
    assert load_demo_meldingen(progress=messages.append) == len(DEMO)
    assert load_demo_meldingen() == 0  # idempotent
    from ckan import model

    stored = model.Session.query(Melding).all()
    assert len(stored) == len(DEMO) and {m.source for m in stored} == {"demo"}
    assert {m.status for m in stored} >= {"nieuw", "in_behandeling", "opgelost", "doorgestuurd"}
    # spread over the last days, so the queue has late reports and the dashboard times to solve
    from ckanext.openoverheid.meldingen.targets import is_overdue
    now = datetime.datetime.now(datetime.UTC)
    assert min(m.requested for m in stored) < now - datetime.timedelta(days=7)
    assert any(is_overdue(m.due, now, is_open=m.closed is None) for m in stored)
    assert all(m.closed > m.requested for m in stored if m.closed)
    html = app.get("/meldingen").get_data(as_text=True)
    assert "Domplein 9, Utrecht" in html
    assert "De lamp is vervangen." in app.get(
        f"/meldingen/{next(m.id for m in stored if m.service_code == 'straatverlichting' and m.lat < 53)}"
    ).get_data(as_text=True)

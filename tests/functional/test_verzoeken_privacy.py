"""The all-channel leak test of the verzoeken: a requester's and a supporter's e-mail address (and the
IP address they came from) appear in no public output of a confirmed, supported and answered request:
the pages (Dutch and English), the Action API, the feeds, the open data (DataStore, its CSV, the
dataset), the openheidsregister, the answers they got themselves, and the log.

Both addresses carry unique markers, are really stored (checked) and confirmed through mails a real
SMTP server received, so the searches below can fail.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import pytest
import verzoeken_support
from attenderingen_support import link, to_whom
from ckan.tests import factories
from verzoeken_support import api

from ckanext.openoverheid.verzoeken.model import VerzoekSteun

municipalities = verzoeken_support.municipalities
verzoeken_limits = verzoeken_support.verzoeken_limits
sink = verzoeken_support.sink

IP = "203.0.113.91"  # TEST-NET-3: appears nowhere unless we leak it


@pytest.fixture
def leak_case(app, verzoeken_limits, sink, ckan_config, monkeypatch, caplog) -> dict[str, Any]:
    """A data request asked, supported, confirmed (both through their mails) and answered, with the open
    data kept current; the secrets, the request's number and the answers the two were given."""
    # test.ini's logging configuration disables the loggers that existed before it was read
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and name.startswith("ckan"):
            monkeypatch.setattr(logger, "disabled", False)
    caplog.set_level(logging.DEBUG)
    portal = factories.Organization(name="portaalbeheer", title="Portaalbeheer")
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.verzoeken.opendata_organization", portal["name"])
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.verzoeken.datastore_sync", True)

    marker = uuid.uuid4().hex[:10]
    requester, supporter = f"vraagsteller{marker}@lekvrij.nl", f"steunbetuiger{marker}@lekvrij.nl"
    given: dict[str, bytes] = {}
    created = app.post("/api/3/action/verzoek_create", environ_base={"REMOTE_ADDR": IP}, json={
        "soort": "data", "titel": "Geluidsmetingen bij het station", "toelichting": "Alle metingen per uur.",
        "email": requester, "organisatie": "gemeente-testdam"})
    assert created.status_code == 200, created.get_data(as_text=True)
    given["verzoek_create"] = created.data
    number = created.json["result"]["id"]
    confirmed = app.get(link(to_whom(sink.wait_for(1), requester)[-1], "/verzoeken/bevestigen/"))
    assert confirmed.status_code == 200
    given["the requester's confirmation page"] = confirmed.data

    supported = app.post("/api/3/action/verzoek_steun", environ_base={"REMOTE_ADDR": IP},
                         json={"id": number, "email": supporter})
    assert supported.status_code == 200, supported.get_data(as_text=True)
    given["verzoek_steun"] = supported.data
    confirmed = app.get(link(to_whom(sink.wait_for(2), supporter)[-1], "/verzoeken/bevestigen/"))
    assert confirmed.status_code == 200
    given["the supporter's confirmation page"] = confirmed.data

    answer = factories.Dataset(owner_org=verzoeken_limits.testdam["id"], title="Geluidsmetingen station")
    answered = api(app, "verzoek_update", verzoeken_limits.editor, id=number, status="gepubliceerd",
                   dataset=answer["name"], antwoord="De metingen staan nu als open data online.")
    assert answered.status_code == 200, answered.get_data(as_text=True)

    # a second request of the same requester refused as closed data: the openheidsregister lists it
    import datetime as dt

    second = app.post("/api/3/action/verzoek_create", environ_base={"REMOTE_ADDR": IP}, json={
        "soort": "data", "titel": "Camerabeelden bij het station", "toelichting": "Alle beelden van gisteren.",
        "email": requester, "organisatie": "gemeente-testdam"})
    assert second.status_code == 200, second.get_data(as_text=True)
    given["verzoek_create (second)"] = second.data
    [second_mail] = [m for m in to_whom(sink.wait_for(3), requester) if "Camerabeelden" in str(m["Subject"])]
    assert app.get(link(second_mail, "/verzoeken/bevestigen/")).status_code == 200
    refused = api(app, "verzoek_update", verzoeken_limits.editor, id=second.json["result"]["id"], status="afgewezen",
                  gesloten=True, woo_grounds=["5.1.2.e"], review_date=(dt.date.today() + dt.timedelta(days=365))
                  .isoformat(), antwoord="De beelden tonen herkenbare reizigers; openbaarmaking schaadt hun "
                                         "persoonlijke levenssfeer.")
    assert refused.status_code == 200, refused.get_data(as_text=True)

    # the addresses and the IP are really stored (privately), so the searches can fail
    from ckan import model

    stored = {s.email: s for s in model.Session.query(VerzoekSteun).filter_by(verzoek_id=number)}
    assert set(stored) == {requester, supporter} and all(s.confirmed for s in stored.values())
    assert stored[requester].ip_address == IP
    assert api(app, "verzoek_show", id=number).json["result"]["support_count"] == 2
    secrets = [requester, supporter, requester.split("@")[0], supporter.split("@")[0], IP]
    return {"number": number, "refused": second.json["result"]["id"], "dataset": answer["name"],
            "secrets": secrets, "given": given, "editor": verzoeken_limits.editor}


def _assert_clean(where: str, body: bytes, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret.encode() not in body, f"{secret} leaked in {where}"


def test_no_address_in_the_api_feeds_open_data_register_or_log(app, leak_case, caplog):
    number, secrets = leak_case["number"], leak_case["secrets"]
    editor = {"Authorization": leak_case["editor"]["token"]}
    for where, body in leak_case["given"].items():
        _assert_clean(where, body, secrets)

    table = next(r for r in app.get("/api/3/action/package_show?id=verzoeken-en-ideeen").json["result"]["resources"]
                 if r.get("datastore_active"))
    rows = app.get(f"/api/3/action/datastore_search?resource_id={table['id']}").json["result"]["records"]
    by_id = {r["id"]: r for r in rows}
    # the case is in the open data
    assert set(by_id) == {number, leak_case["refused"]} and by_id[number]["support_count"] == 2
    public = [
        f"/api/3/action/verzoek_show?id={number}", "/api/3/action/verzoek_list",
        "/api/3/action/verzoek_list?sort=nieuw&organisatie=gemeente-testdam",
        "/api/3/action/verzoek_similar?titel=Geluidsmetingen%20station",
        "/feeds/verzoeken.rss", "/feeds/verzoeken.atom", "/feeds/verzoeken.rss?organisatie=gemeente-testdam&soort=data",
        "/en/feeds/verzoeken.atom",
        "/api/3/action/package_show?id=verzoeken-en-ideeen", "/dataset/verzoeken-en-ideeen",
        f"/api/3/action/datastore_search?resource_id={table['id']}", f"/datastore/dump/{table['id']}?format=csv",
        f"/datastore/dump/{table['id']}?format=json",
        "/api/3/action/openheid_register", "/openheid.csv", "/openheid",
        f"/dataset/{leak_case['dataset']}", "/api/3/action/package_search?rows=1000",
    ]
    for url in public:
        for who in ({}, editor):  # not even the staff's answers carry them
            response = app.get(url, headers=who)
            assert response.status_code == 200, url
            _assert_clean(url, response.data, secrets)
    assert str(number).encode() in app.get(f"/api/3/action/verzoek_show?id={number}").data
    assert b"Camerabeelden bij het station" in app.get("/feeds/verzoeken.atom").data

    lines = [logging.Formatter("%(name)s %(message)s").format(record) for record in caplog.records]
    assert lines
    for line in lines:
        for secret in secrets[:4]:
            assert secret not in line, line
    _assert_clean("the captured log", json.dumps(lines).encode(), secrets[:4])


def test_no_address_on_the_public_pages_in_dutch_and_english(app, leak_case):
    number, secrets = leak_case["number"], leak_case["secrets"]
    editor = {"Authorization": leak_case["editor"]["token"]}
    for prefix in ("", "/en"):
        for url in (f"{prefix}/verzoeken", f"{prefix}/verzoeken/{number}", f"{prefix}/verzoeken?soort=data",
                    f"{prefix}/verzoeken?sort=steun"):
            for who in ({}, editor):
                response = app.get(url, headers=who)
                assert response.status_code == 200, url
                _assert_clean(url, response.data, secrets)
        assert b"Geluidsmetingen bij het station" in app.get(f"{prefix}/verzoeken/{number}").data

"""Alerts for meldingen, end to end on the real services: new reports in an area (a radius or the map's
view) and the status changes of one report, read from the mails a real SMTP server received. A hidden
report is never mentioned."""

from __future__ import annotations

import re
from urllib.parse import unquote

import attenderingen_support
import ckan.plugins.toolkit as tk
import meldingen_support
import pytest
from attenderingen_support import link, send_due, subscribe, text_of, to_whom
from meldingen_support import IN_TESTDAM, create_melding

municipalities = meldingen_support.municipalities
sink = attenderingen_support.sink

RESIDENT = "buurtbewoner@example.org"
# About 220 m and 2.2 km north of IN_TESTDAM, both in Testdam's area.
NEAR = (IN_TESTDAM[0] + 0.002, IN_TESTDAM[1])
FAR = (IN_TESTDAM[0] + 0.02, IN_TESTDAM[1])
AROUND_TESTDAM = "5.11,52.08,5.13,52.10"  # the map's view: about 1.4 km by 2.2 km


@pytest.fixture
def every_run(ckan_config, monkeypatch):
    """No digest wait: every run sends what is new, so "sends nothing" means nothing was new."""
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.attenderingen.digest_hours", 0)


def confirmed(app, api, sink, **fields) -> None:
    response = subscribe(app, email=RESIDENT, soort="meldingen", **fields)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert send_due(api)["sent"] == 1
    [confirmation] = to_whom(sink.messages(), RESIDENT)
    assert app.get(link(confirmation, "/attenderingen/bevestig/")).status_code == 200
    sink.clear()


def told_meldingen(message) -> set[int]:
    """The numbers of the reports a mail links to."""
    return {int(number) for number in re.findall(r"/meldingen/(\d+)\b", text_of(message))}


def hide(municipalities, melding) -> None:
    tk.get_action("melding_hide")({"user": municipalities.editor["name"]}, {"id": melding["id"], "reason": "Naam"})


def test_an_area_alert_names_exactly_the_new_public_reports_inside_it(app, api, sink, municipalities, every_run):
    before = create_melding(description="Al gemeld voor de aanmelding")
    confirmed(app, api, sink, lat=IN_TESTDAM[0], lon=IN_TESTDAM[1], straal=500)

    inside = [create_melding(description="Tegel los"),
              create_melding(service_code="zwerfafval", description="Afval", lat=NEAR[0], lon=NEAR[1])]
    create_melding(description="Ver weg", lat=FAR[0], lon=FAR[1])
    hidden = create_melding(description="Met een naam erin")
    hide(municipalities, hidden)

    summary = send_due(api)
    assert (summary["mails"], summary["events"], summary["sent"]) == (1, 2, 1)
    [alert] = to_whom(sink.messages(), RESIDENT)
    assert told_meldingen(alert) == {m["id"] for m in inside}, "not the one far away, nor the hidden one"
    body = text_of(alert)
    assert "Tegel los" in body and "Afval" in body
    assert "Met een naam erin" not in body and "Ver weg" not in body and before["description"] not in body
    assert alert["Subject"].startswith("2 nieuw: Nieuwe meldingen binnen 500 m van")

    sink.clear()
    again = send_due(api)
    assert (again["mails"], again["sent"]) == (0, 0)
    assert sink.messages() == []


def test_a_map_area_alert_follows_the_view_of_the_map(app, api, sink, municipalities, every_run):
    confirmed(app, api, sink, bbox=AROUND_TESTDAM)
    inside = create_melding(description="In beeld")
    create_melding(description="Buiten beeld", lat=FAR[0], lon=FAR[1])
    hidden = create_melding(description="Verborgen in beeld")
    hide(municipalities, hidden)

    assert send_due(api)["mails"] == 1
    [alert] = to_whom(sink.messages(), RESIDENT)
    assert told_meldingen(alert) == {inside["id"]}
    assert "kaartgebied" in alert["Subject"]


def test_following_one_report_mails_its_status_changes_once(app, api, sink, municipalities, every_run):
    melding = create_melding(description="Lantaarnpaal kapot")
    confirmed(app, api, sink, melding=melding["id"])
    assert send_due(api)["mails"] == 0, "nothing happened yet"

    tk.get_action("melding_update_create")({"user": municipalities.editor["name"]},
                                           {"id": melding["id"], "status": "in_behandeling",
                                            "text": "We komen volgende week."})
    summary = send_due(api)
    assert (summary["mails"], summary["sent"]) == (1, 1)
    [alert] = to_whom(sink.messages(), RESIDENT)
    body = text_of(alert)
    assert f"Melding {melding['id']} is nu: In behandeling" in body
    assert "We komen volgende week." in body
    assert told_meldingen(alert) == {melding["id"]}

    sink.clear()
    assert send_due(api)["mails"] == 0
    assert sink.messages() == []


def test_a_report_hidden_after_subscribing_is_never_mentioned(app, api, sink, municipalities, every_run):
    melding = create_melding(description="Wordt verborgen")
    confirmed(app, api, sink, melding=melding["id"])
    tk.get_action("melding_update_create")({"user": municipalities.editor["name"]},
                                           {"id": melding["id"], "status": "in_behandeling"})
    hide(municipalities, melding)
    assert send_due(api)["mails"] == 0
    assert sink.messages() == []


# (fields, the field named in the error, a part of the Dutch message): one portal checks them all
BAD_CRITERIA = [
    ({"bbox": "5.0,52.0,5.4,52.3"}, "bbox", "te groot"),
    ({"bbox": "2.0,48.0,2.1,48.1"}, "bbox", "in Nederland"),
    ({"bbox": "noord"}, "bbox", "min_lon,min_lat,max_lon,max_lat"),
    ({"melding": "999999"}, "melding", "geen openbare melding"),
    ({"melding": "hidden"}, "melding", "geen openbare melding"),
]


def test_bad_area_or_report_is_a_field_error_in_dutch(app, municipalities, sink):
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscriber

    for fields, field, message in BAD_CRITERIA:
        if fields.get("melding") == "hidden":
            melding = create_melding()
            hide(municipalities, melding)
            fields = {"melding": melding["id"]}
        response = subscribe(app, email=RESIDENT, soort="meldingen", **fields)
        assert response.status_code == 409, fields
        assert message in " ".join(response.get_json()["error"][field])
        assert model.Session.query(Subscriber).count() == 0


def test_the_pages_offer_mail_me_with_their_area_or_report(app, municipalities):
    melding = create_melding()
    report_page = app.get(f"/meldingen/{melding['id']}").get_data(as_text=True)
    follow = re.search(r'href="(/attenderingen\?[^"]*soort=meldingen[^"]*)"', report_page)
    assert follow and set(unquote(follow.group(1)).split("?")[1].split("&amp;")) == {
        "soort=meldingen", f"melding={melding['id']}"}

    list_page = app.get("/meldingen", query_string={"bbox": AROUND_TESTDAM}).get_data(as_text=True)
    found = re.search(r'href="(/attenderingen\?[^"]*soort=meldingen[^"]*)"', list_page)
    assert found and "bbox=5.11,52.08,5.13,52.10" in unquote(found.group(1))

    form = app.get(found.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "U meldt zich aan voor: Nieuwe meldingen in het kaartgebied" in form
    assert 'name="bbox" value="5.11,52.08,5.13,52.10"' in form

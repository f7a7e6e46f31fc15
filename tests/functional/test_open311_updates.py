"""GET /open311/v2/servicerequestupdates (FixMyStreet's extension): the public history of all meldingen,
oldest first, in FixMyStreet's upper-case states; nothing of hidden meldingen, nothing staff-only."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import meldingen_support
from lxml import etree
from meldingen_support import IN_TESTDAM, create_melding

from ckanext.openoverheid.meldingen.model import MeldingUpdate
from ckanext.openoverheid.meldingen.open311 import spec

municipalities = meldingen_support.municipalities

URL = "/open311/v2/servicerequestupdates"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


def _handle(municipalities, melding_id: int, **data) -> None:
    tk.get_action("melding_update_create")({"user": municipalities.editor["name"]}, {"id": melding_id, **data})


def _all(app, **args):
    response = app.get(f"{URL}.json", query_string=args)
    assert response.status_code == 200 and response.mimetype == "application/json", response.data
    return response.get_json()


def test_status_changes_and_responses_are_listed_in_json_and_xml(app, municipalities):
    melding = create_melding()
    _handle(municipalities, melding["id"], status="in_behandeling")
    _handle(municipalities, melding["id"], text="We komen volgende week.")
    _handle(municipalities, melding["id"], status="opgelost", text="Tegel vastgezet.")
    listed = _all(app)
    assert [list(u) for u in listed] == [list(spec.UPDATE_FIELDS)] * 3
    assert [(u["service_request_id"], u["status"], u["description"]) for u in listed] == [
        (str(melding["id"]), "IN_PROGRESS", ""),
        (str(melding["id"]), "IN_PROGRESS", "We komen volgende week."),
        (str(melding["id"]), "FIXED", "Tegel vastgezet."),
    ]
    assert all(u["update_id"] and u["updated_datetime"].endswith("+00:00") for u in listed)
    assert len({u["update_id"] for u in listed}) == 3

    xml = app.get(f"{URL}.xml")
    assert xml.status_code == 200 and xml.mimetype == "text/xml"
    root = etree.fromstring(xml.data, SAFE)
    assert root.tag == "service_request_updates" and [c.tag for c in root] == ["request_update"] * 3
    assert [c.tag for c in root[0]] == list(spec.UPDATE_FIELDS)
    assert [c.findtext("status") for c in root] == ["IN_PROGRESS", "IN_PROGRESS", "FIXED"]
    assert root[2].findtext("description") == "Tegel vastgezet."
    # no user names, no reporter data
    assert municipalities.editor["name"].encode() not in xml.data


def test_hidden_meldingen_and_staff_only_entries_are_left_out(app, municipalities):
    shown, hidden = create_melding(), create_melding(description="Scheldwoorden")
    for melding in (shown, hidden):
        _handle(municipalities, melding["id"], status="afgewezen", text="Geen taak van de gemeente.")
    editor = {"user": municipalities.editor["name"]}
    tk.get_action("melding_hide")(editor, {"id": hidden["id"], "reason": "Scheldwoorden"})
    tk.get_action("melding_hide")(editor, {"id": shown["id"], "reason": "Even nakijken"})
    tk.get_action("melding_hide")(editor, {"id": shown["id"], "hidden": False})
    from ckan import model

    model.Session.add(MeldingUpdate(melding_id=shown["id"], kind="photo_hidden", text="Gezicht"))
    model.Session.add(MeldingUpdate(melding_id=shown["id"], kind="reporter", text="Nog steeds kapot"))
    model.Session.commit()
    listed = _all(app)
    assert [(u["service_request_id"], u["status"], u["description"]) for u in listed] == [
        (str(shown["id"]), "NO_FURTHER_ACTION", "Geen taak van de gemeente."),
        (str(shown["id"]), "NO_FURTHER_ACTION", "Nog steeds kapot"),
    ]
    body = app.get(f"{URL}.xml").data + app.get(f"{URL}.json").data
    for secret in (b"Scheldwoorden", b"Even nakijken", b"Gezicht"):
        assert secret not in body


def test_the_date_window_and_paging(app, municipalities):
    melding = create_melding(lat=IN_TESTDAM[0], lon=IN_TESTDAM[1])
    for text in ("een", "twee", "drie", "vier", "vijf"):
        _handle(municipalities, melding["id"], text=text)
    from ckan import model

    old = model.Session.query(MeldingUpdate).filter_by(melding_id=melding["id"], text="een").one()
    old.created = datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC)
    model.Session.commit()

    assert [u["description"] for u in _all(app)] == ["twee", "drie", "vier", "vijf"]  # the last 90 days
    assert [u["description"] for u in _all(app, start_date="2026-01-01T00:00:00Z", end_date="2026-02-01")] == ["een"]
    assert _all(app, start_date="2026-01-11T00:00:00+01:00", end_date="2026-02-01T00:00:00+01:00") == []
    pages = [[u["description"] for u in _all(app, page_size=3, page=n)] for n in (1, 2, 3)]
    assert pages == [["twee", "drie", "vier"], ["vijf"], []]


def test_bad_parameters_give_an_open311_error(app, municipalities):
    cases = {
        "start_date=gisteren": "start_date",
        "end_date=2026-13-01": "end_date",
        "start_date=2026-03-01&end_date=2026-02-01": "end_date must not be before start_date",
        "start_date=2026-01-01&end_date=2026-06-01": "90 days",
        "page=0": "page",
        "page_size=1001": "page_size",
        "page_size=veel": "page_size",
        "end_date=0001-01-01T00:00:00Z": "years 1 and 9999",
    }
    for query, words in cases.items():
        for fmt in ("json", "xml"):
            response = app.get(f"{URL}.{fmt}?{query}")
            assert response.status_code == 400, (query, response.data)
            if fmt == "json":
                [error] = response.get_json()
                assert error["code"] == 400 and words in error["description"], (query, error)
            else:
                root = etree.fromstring(response.data, SAFE)
                assert root.tag == "errors" and words in root[0].findtext("description"), query


def test_a_reporters_photo_is_offered_as_media_url_until_the_staff_hide_it(app, municipalities):
    from ckan import model

    from ckanext.openoverheid.meldingen import followup, photos
    from ckanext.openoverheid.meldingen.model import Melding

    melding = create_melding()
    stored = model.Session.get(Melding, melding["id"])
    added = followup.add_reporter_update(stored, "Nu ook een tweede tegel los.",
                                         photos.clean_photo(meldingen_support.jpeg_with_gps(), max_bytes=10**7,
                                                            max_pixels=10**8))
    [listed] = _all(app)
    assert listed["update_id"] == str(added.id)
    assert listed["media_url"].endswith(f"/meldingen/{melding['id']}/updates/{added.id}/foto")

    tk.get_action("melding_photo_hide")({"user": municipalities.editor["name"]},
                                         {"id": melding["id"], "update_id": added.id, "reason": "Kenteken zichtbaar"})
    [listed] = _all(app)
    assert listed["media_url"] is None and listed["description"] == "Nu ook een tweede tegel los."

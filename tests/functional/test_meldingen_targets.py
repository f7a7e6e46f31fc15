"""Response targets on the real portal: a litter report (3 working days) made on a Friday is due on
Wednesday, in the Action API, in Open311 (JSON and XML) and on the public page; the queue sorts by
due date and says in words which reports are late. Real PostgreSQL, Solr, Redis."""

from __future__ import annotations

import re
from html import unescape

import meldingen_support
from freezegun import freeze_time
from lxml import etree
from meldingen_support import IN_TESTDAM, create_melding

from ckanext.openoverheid.meldingen import apikeys

municipalities = meldingen_support.municipalities

FRIDAY = "2026-11-27T14:30:00+01:00"  # a Friday afternoon in Amsterdam
# The end of Wednesday 2 December in Amsterdam (23:59:59 CET), as Open311 gives it (UTC).
DUE_WEDNESDAY = "2026-12-02T22:59:59+00:00"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


def _auth(user):
    return {"Authorization": user["token"]}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_a_litter_report_made_on_friday_is_due_on_wednesday_everywhere(app, municipalities):
    key = apikeys.create("test-app")[1]
    with freeze_time(FRIDAY, tick=True):
        by_action = create_melding(service_code="zwerfafval", description="Zakken afval naast de container.")
        posted = app.post("/open311/v2/requests.json", content_type="multipart/form-data", data={
            "api_key": key, "service_code": "zwerfafval", "lat": str(IN_TESTDAM[0]), "long": str(IN_TESTDAM[1]),
            "description": "Een matras op de stoep."})
    assert posted.status_code == 201, posted.get_data(as_text=True)
    by_open311 = posted.get_json()[0]["service_request_id"]
    assert by_action["expected_datetime"] == DUE_WEDNESDAY

    for request_id in (by_action["id"], by_open311):
        as_json = app.get(f"/open311/v2/requests/{request_id}.json").get_json()
        assert as_json[0]["expected_datetime"] == DUE_WEDNESDAY
        as_xml = etree.fromstring(app.get(f"/open311/v2/requests/{request_id}.xml").data, SAFE)
        assert as_xml.find("request").findtext("expected_datetime") == DUE_WEDNESDAY
        shown = app.get("/api/3/action/melding_show", query_string={"id": request_id}).get_json()["result"]
        assert shown["expected_datetime"] == DUE_WEDNESDAY
        assert shown["overdue"] is True  # the Wednesday is past and nobody has handled it

    page = _text(app.get(f"/meldingen/{by_action['id']}").get_data(as_text=True))
    assert "Verwacht uiterlijk 2 december 2026" in page
    english = _text(app.get(f"/en/meldingen/{by_action['id']}").get_data(as_text=True))
    assert "Expected by December 2, 2026" in english


def test_a_closed_report_is_not_overdue_and_shows_no_expected_date(app, municipalities):
    with freeze_time(FRIDAY, tick=True):
        melding = create_melding(service_code="zwerfafval")
    editor = municipalities.editor
    for status in ("in_behandeling", "opgelost"):
        answer = app.post("/api/3/action/melding_update_create", json={"id": melding["id"], "status": status},
                          headers=_auth(editor))
        assert answer.status_code == 200, answer.get_data(as_text=True)
    shown = app.get("/api/3/action/melding_show", query_string={"id": melding["id"]}).get_json()["result"]
    assert shown["expected_datetime"] == DUE_WEDNESDAY and shown["overdue"] is False
    page = _text(app.get(f"/meldingen/{melding['id']}").get_data(as_text=True))
    assert "Verwacht uiterlijk" not in page


def test_the_queue_sorts_by_due_date_and_flags_late_reports_in_words(app, municipalities):
    from ckan import model

    from ckanext.openoverheid.meldingen.model import Melding

    on_time = create_melding(service_code="overig")  # made now: due in 5 working days
    with freeze_time(FRIDAY, tick=True):
        late = create_melding(service_code="zwerfafval")  # due Wednesday 2 December 2026
    without_target = create_melding(service_code="groen")
    model.Session.get(Melding, without_target["id"]).due = None  # as made before targets existed
    model.Session.commit()
    headers = _auth(municipalities.editor)

    def queue(**params):
        return app.get("/api/3/action/melding_queue", query_string=params, headers=headers).get_json()

    by_due = queue(sort="due asc")["result"]["results"]
    assert [m["id"] for m in by_due] == [late["id"], on_time["id"], without_target["id"]]
    assert [m["overdue"] for m in by_due] == [True, False, False]
    assert [m["id"] for m in queue(sort="due desc")["result"]["results"]] == [
        on_time["id"], late["id"], without_target["id"]]

    public = app.get("/api/3/action/melding_search", query_string={"sort": "due asc"}).get_json()["result"]
    assert [m["id"] for m in public["results"]] == [late["id"], on_time["id"], without_target["id"]]
    for wrong in ("due sideways", "email asc", "requested desc; drop", "asc"):
        answer = queue(sort=wrong)
        assert answer["success"] is False, wrong
        assert "due asc" in " ".join(answer["error"]["sort"])

    html = app.get("/meldingen/beheer", query_string={"sorteer": "termijn"}, headers=headers).get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    assert [re.search(r"/meldingen/(\d+)", row).group(1) for row in rows] == [
        str(late["id"]), str(on_time["id"]), str(without_target["id"])]
    assert '<strong class="meldingen-overdue">Te laat</strong>' in rows[0]
    assert "Te laat" not in rows[1] and "Te laat" not in rows[2]
    assert "Geen termijn" in _text(rows[2])
    assert "vroegste termijn eerst" in _text(html)

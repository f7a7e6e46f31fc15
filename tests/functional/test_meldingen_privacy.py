"""The reporter's e-mail address and IP address (and the names, phone and device an Open311 app
sends), and an alert subscriber's e-mail address, appear in no public output: HTML, JSON, XML,
GeoJSON, RSS, Atom, CSV, the export, the DataStore, the search index or the log.

Each test report and the subscriber carry unique markers, and every public route is searched for them
as bytes. The subscriber subscribes, confirms through a mail a real SMTP server received, and is sent
an alert of permits harvested near the reports.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import attenderingen_support
import meldingen_support
from meldingen_support import IN_TESTDAM, csrf_token, jpeg_with_gps, unique_email

from ckanext.openoverheid.meldingen import apikeys
from ckanext.openoverheid.meldingen.model import MeldingContact

municipalities = meldingen_support.municipalities
with_open_data = meldingen_support.with_open_data
sink = attenderingen_support.sink

IP = "203.0.113.77"  # TEST-NET-3: appears nowhere unless we leak it


def _subscriber_alerted(app: Any, api: Any, sink: Any, organization: dict[str, Any], email: str) -> dict[str, Any]:
    """An alert subscription for permits, confirmed through its mail, and one alert mail sent; the answers
    the subscriber was given (the action's, the pages')."""
    from attenderingen_support import link, send_due, text_of, to_whom
    from test_attenderingen_vergunningen import create_source, two_near_one_far
    from vergunningen_sru_server import records_pages, running_sru_server

    from ckanext.openoverheid.harvest.run_now import run_source_now

    records, point, _, _ = two_near_one_far()
    created = app.post("/api/3/action/attendering_create", environ_base={"REMOTE_ADDR": IP}, json={
        "email": email, "soort": "vergunningen", "lat": point[0], "lon": point[1], "straal": 500})
    assert created.status_code == 200
    send_due(api)
    [confirmation] = to_whom(sink.messages(), email)
    confirm_path = link(confirmation, "/attenderingen/bevestig/")
    confirmed = app.get(confirm_path)
    assert confirmed.status_code == 200
    with running_sru_server() as sru:
        sru.pages = records_pages(records)
        assert run_source_now(create_source(api, organization, sru.url)["id"]).status == "Finished"
    sent = send_due(api)
    assert sent["mails"] == 1
    [alert] = [m for m in to_whom(sink.messages(), email) if m is not confirmation and "nieuw" in m["Subject"]]
    manage_path = link(alert, "/attenderingen/beheer/")
    token = manage_path.rsplit("/", 1)[-1]
    listed = app.post("/api/3/action/attendering_list", json={"token": token})
    assert listed.get_json()["result"]["subscriptions"] and "…@" in listed.get_json()["result"]["address"]
    assert "Vergunningen binnen 500 m" in text_of(alert)
    return {"attendering_create": created.data, "attendering_confirm page": confirmed.data,
            "attendering_send_due": json.dumps(sent).encode(), "attendering_list": listed.data,
            "my alerts page": app.get(manage_path).data, "the used confirmation link": app.get(confirm_path).data}


def _every_datastore_table_and_solr_document(api: Any) -> dict[str, bytes]:
    from ckan.lib.search.common import make_connection

    found = {}
    for dataset in api("package_search", include_private=True, rows=1000)["results"]:
        for resource in dataset["resources"]:
            if resource.get("datastore_active"):
                rows = api("datastore_search", resource_id=resource["id"], limit=32000)
                found[f"DataStore {dataset['name']}/{resource['name']}"] = json.dumps(rows).encode()
    documents = make_connection().search(q="*:*", rows=10000)
    assert documents.hits > 0
    found["Solr"] = json.dumps(list(documents), default=str).encode()
    return found


def test_personal_data_of_reporters_is_never_public(app, api, with_open_data, sysadmin, sink, caplog, monkeypatch):
    municipalities = with_open_data
    # test.ini's logging configuration disables the loggers that existed before it was read
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and name.startswith("ckan"):
            monkeypatch.setattr(logger, "disabled", False)
    caplog.set_level(logging.INFO)
    web_email = unique_email()
    app_email = unique_email()
    subscriber_email = unique_email().replace("melder-", "abonnee-")
    token = csrf_token(app.get("/meldingen/nieuw", environ_base={"REMOTE_ADDR": IP}).get_data(as_text=True))
    import io

    created = app.post("/meldingen/nieuw", environ_base={"REMOTE_ADDR": IP}, data={
        "_csrf_token": token, "service_code": "losse-stoeptegel", "description": "Tegel los bij de kerk",
        "lat": str(IN_TESTDAM[0]), "lon": str(IN_TESTDAM[1]), "email": web_email, "name": "Geheimmeldernaam",
        "photo": (io.BytesIO(jpeg_with_gps()), "IMG_0001.jpg")}, content_type="multipart/form-data",
        follow_redirects=False)
    assert created.status_code == 302
    web_id = int(created.headers["Location"].rstrip("/").split("/")[-2])

    _, key = apikeys.create("privacy-test-app")
    posted = app.post("/open311/v2/requests.json", environ_base={"REMOTE_ADDR": IP}, data={
        "api_key": key, "service_code": "zwerfafval", "lat": str(IN_TESTDAM[0] + 0.001), "long": str(IN_TESTDAM[1]),
        "description": "Afval naast de bank", "email": app_email, "first_name": "Geheimvoornaam",
        "last_name": "Geheimachternaam", "phone": "0612345678", "device_id": "toestel-geheim-42",
        "account_id": "account-geheim-7"})
    assert posted.status_code == 201
    app_id = int(posted.get_json()[0]["service_request_id"])

    # the data is really stored (privately), so the searches below can fail
    from ckan import model

    assert model.Session.get(MeldingContact, web_id).email == web_email
    assert model.Session.get(MeldingContact, web_id).name == "Geheimmeldernaam"
    assert model.Session.get(MeldingContact, web_id).ip_address == IP
    assert model.Session.get(MeldingContact, app_id).email == app_email

    editor = {"Authorization": municipalities.editor["token"]}
    assert app.post(f"/meldingen/{web_id}/bijwerken", headers=editor, follow_redirects=False,
                    data={"status": "in_behandeling", "text": "Bezig."}).status_code == 302

    # the reporter adds text and a photo through their link; "my reports" lists their reports
    import ckan.plugins.toolkit as tk

    from ckanext.openoverheid.meldingen import followup_tokens
    from ckanext.openoverheid.meldingen.followup_tokens import Purpose

    add_token = followup_tokens.for_melding(Purpose.ADD, web_id)
    added = tk.get_action("melding_reporter_update_create")({"user": None}, {
        "id": web_id, "token": add_token, "text": "Nog een foto erbij", "photo": jpeg_with_gps()})
    addition = next(u for u in added["updates"] if u["by"] == "reporter")
    my_reports_token = followup_tokens.make(Purpose.MY_REPORTS, web_email)

    dataset = api("package_show", _method="GET", id="meldingen-openbare-ruimte-gemeente-testdam")
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    rows = api("datastore_search", _method="GET", resource_id=table["id"])
    assert {r["service_request_id"] for r in rows["records"]} == {web_id, app_id}

    public = [
        "/meldingen", f"/meldingen/{web_id}", f"/meldingen/{app_id}", f"/meldingen/{web_id}/bevestiging",
        "/meldingen.geojson", "/meldingen/open-data/gemeente-testdam.geojson", "/feeds/meldingen.rss",
        "/feeds/meldingen.atom", "/open311/v2/requests.json", "/open311/v2/requests.xml",
        f"/open311/v2/requests/{web_id}.json", f"/open311/v2/requests/{app_id}.xml",
        f"/open311/v2/requests.json?service_request_id={web_id},{app_id}",
        "/open311/v2/servicerequestupdates.json", "/open311/v2/servicerequestupdates.xml",
        f"/meldingen/in-de-buurt.json?lat={IN_TESTDAM[0]}&lon={IN_TESTDAM[1]}&service_code=losse-stoeptegel",
        f"/api/3/action/melding_show?id={web_id}", f"/api/3/action/melding_show?id={app_id}",
        "/api/3/action/melding_search", "/api/3/action/package_show?id=meldingen-openbare-ruimte-gemeente-testdam",
        f"/api/3/action/datastore_search?resource_id={table['id']}", f"/datastore/dump/{table['id']}?format=csv",
        f"/datastore/dump/{table['id']}?format=json", f"/meldingen/{web_id}/foto",
        addition["photo_url"].replace("http://test.ckan.net", ""), f"/meldingen/{web_id}/aanvullen/{add_token}",
        f"/meldingen/mijn-meldingen/{my_reports_token}",
        f"/api/3/action/melding_my_reports_list?token={my_reports_token}",
        "/dataset/meldingen-openbare-ruimte-gemeente-testdam",
        "/attenderingen", "/attenderingen/beheer", "/vergunningen", "/feeds/vergunningen.rss",
        "/feeds/vergunningen.atom", "/api/openoverheid/vergunningen", "/api/openoverheid/vergunningen.geojson",
        "/dataset", "/feeds/dataset.atom", "/export/datasets.csv", "/export/datasets.jsonl", "/export/datasets.rdf",
        "/catalog.ttl", "/catalog.jsonld", "/robots.txt", "/openheid", "/api/3/action/package_search?rows=1000",
        "/api/3/action/current_package_list_with_resources", "/api/3/action/organization_list?all_fields=true",
    ]
    subscriber_answers = _subscriber_alerted(app, api, sink, municipalities.testdam, subscriber_email)
    vergunningen = next(d for d in api("package_search", rows=100, fq="organization:gemeente-testdam")["results"]
                        if d["name"] != "meldingen-openbare-ruimte-gemeente-testdam")
    permits = next(r for r in vergunningen["resources"] if r.get("datastore_active"))
    public += [f"/dataset/{vergunningen['name']}", f"/datastore/dump/{permits['id']}?format=csv"]
    secrets = [web_email, app_email, subscriber_email, IP, "Geheimmeldernaam", "Geheimvoornaam", "Geheimachternaam",
               "0612345678", "toestel-geheim-42", "account-geheim-7", "IMG_0001"]
    answers = 0
    for url in public:
        for who in ({}, editor):  # not even the staff's pages and API answers carry them
            response = app.get(url, headers=who)
            assert response.status_code == 200, url
            body = response.data
            for secret in secrets:
                assert secret.encode() not in body, f"{secret} leaked in {url}"
            answers += 1
    for url in ("/meldingen/beheer", "/meldingen/dashboard", "/meldingen/dashboard.csv?soort=cijfers",
                "/meldingen/dashboard.csv?soort=meldingen", "/api/3/action/melding_statistics?reports=true"):
        staff_page = app.get(url, headers=editor)
        assert staff_page.status_code == 200, url
        for secret in secrets:
            assert secret.encode() not in staff_page.data, f"{secret} leaked in {url}"
    for where, body in {**subscriber_answers, **_every_datastore_table_and_solr_document(api)}.items():
        for secret in secrets:
            assert secret.encode() not in body, f"{secret} leaked in {where}"
    assert caplog.records and answers == 2 * len(public)
    for record in caplog.records:
        line = logging.Formatter("%(name)s %(message)s").format(record)
        for secret in (web_email, app_email, subscriber_email):
            assert secret not in line, line

"""The reporter's e-mail address and IP address (and the names, phone and device an Open311 app
sends) appear in no public output: HTML, JSON, XML, GeoJSON, RSS, Atom, CSV or the DataStore.

Each test report carries unique markers, and every public route is searched for them as bytes.
"""

from __future__ import annotations

import meldingen_support
from meldingen_support import IN_TESTDAM, csrf_token, jpeg_with_gps, unique_email

from ckanext.openoverheid.meldingen import apikeys
from ckanext.openoverheid.meldingen.model import MeldingContact

municipalities = meldingen_support.municipalities
with_open_data = meldingen_support.with_open_data

IP = "203.0.113.77"  # TEST-NET-3: appears nowhere unless we leak it


def test_personal_data_of_reporters_is_never_public(app, api, with_open_data, sysadmin):
    municipalities = with_open_data
    web_email = unique_email()
    app_email = unique_email()
    token = csrf_token(app.get("/meldingen/nieuw", environ_base={"REMOTE_ADDR": IP}).get_data(as_text=True))
    import io

    created = app.post("/meldingen/nieuw", environ_base={"REMOTE_ADDR": IP}, data={
        "_csrf_token": token, "service_code": "losse-stoeptegel", "description": "Tegel los bij de kerk",
        "lat": str(IN_TESTDAM[0]), "lon": str(IN_TESTDAM[1]), "email": web_email,
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
    assert model.Session.get(MeldingContact, web_id).ip_address == IP
    assert model.Session.get(MeldingContact, app_id).email == app_email

    editor = {"Authorization": municipalities.editor["token"]}
    assert app.post(f"/meldingen/{web_id}/bijwerken", headers=editor, follow_redirects=False,
                    data={"status": "in_behandeling", "text": "Bezig."}).status_code == 302

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
        f"/meldingen/in-de-buurt.json?lat={IN_TESTDAM[0]}&lon={IN_TESTDAM[1]}&service_code=losse-stoeptegel",
        f"/api/3/action/melding_show?id={web_id}", f"/api/3/action/melding_show?id={app_id}",
        "/api/3/action/melding_search", "/api/3/action/package_show?id=meldingen-openbare-ruimte-gemeente-testdam",
        f"/api/3/action/datastore_search?resource_id={table['id']}", f"/datastore/dump/{table['id']}?format=csv",
        f"/datastore/dump/{table['id']}?format=json", f"/meldingen/{web_id}/foto",
        "/dataset/meldingen-openbare-ruimte-gemeente-testdam",
    ]
    secrets = [web_email, app_email, IP, "Geheimvoornaam", "Geheimachternaam", "0612345678", "toestel-geheim-42",
               "account-geheim-7", "IMG_0001"]
    for url in public:
        for who in ({}, editor):  # not even the staff's pages and API answers carry them
            response = app.get(url, headers=who)
            assert response.status_code == 200, url
            body = response.data
            for secret in secrets:
                assert secret.encode() not in body, f"{secret} leaked in {url}"
    queue = app.get("/meldingen/beheer", headers=editor).data
    for secret in secrets:
        assert secret.encode() not in queue

"""The meldingen pages for every role: residents report (with and without map), everyone reads,
the municipality's editors and admins handle; others are refused. Real PostgreSQL, Solr, Redis."""

from __future__ import annotations

import email as email_parser
import io
import re
from html import unescape

import meldingen_support
from meldingen_support import (
    IN_ANDERDORP,
    IN_TESTDAM,
    OUTSIDE,
    create_melding,
    csrf_token,
    jpeg_with_gps,
    submit_form,
    unique_email,
)
from PIL import Image

from ckanext.openoverheid.meldingen.model import Melding, MeldingContact

municipalities = meldingen_support.municipalities


def _count() -> int:
    from ckan import model

    return model.Session.query(Melding).count()


def _form(**extra):
    data = {"service_code": "losse-stoeptegel", "description": "Een losse tegel voor de deur van nummer 12.",
            "lat": str(IN_TESTDAM[0]), "lon": str(IN_TESTDAM[1])}
    data.update(extra)
    return data


def _post(app, url, **kwargs):
    """POST without following the redirect, so the status of the answer itself is checked."""
    return app.post(url, follow_redirects=False, **kwargs)


def _auth(user):
    return {"Authorization": user["token"]}


# --- reporting ----------------------------------------------------------------------------------------


def test_the_form_is_accessible_and_dutch(app, municipalities):
    html = app.get("/meldingen/nieuw").get_data(as_text=True)
    assert 'lang="nl"' in html
    assert "Wat is het probleem?" in html and "Waar is het?" in html
    for field in ("service_code", "address", "lat", "lon", "description", "photo-camera", "photo-file", "email"):
        assert re.search(rf'<label for="field-{field}"', html), field
        assert f'id="field-{field}"' in html
    assert "<fieldset" in html and "<legend>" in html
    # words for a phone, the camera offered, the coordinates folded away for those without the map
    assert "Tik of klik op de plek op de kaart" in html and "Mijn locatie gebruiken" in html
    assert re.search(r'<input id="field-photo-camera"[^>]*accept="image/\*" capture="environment"', html)
    coordinates = re.search(r"<details[^>]*>\s*<summary>Coördinaten \(zonder kaart\)</summary>(.*?)</details>",
                            html, re.S)
    assert coordinates and 'id="field-lat"' in coordinates.group(1) and 'id="field-lon"' in coordinates.group(1)
    assert not re.search(r">(Ja|Nee):<", html)
    assert csrf_token(html)
    assert 'name="website"' in html and 'tabindex="-1"' in html  # the honeypot, out of the tab order
    assert 'tabindex="0"' in html and 'role="application"' in html  # the map takes keyboard focus
    assert "service.pdok.nl/brt/achtergrondkaart" in html and "Kaartgegevens © Kadaster" in html
    assert "/vendor/leaflet/leaflet.js" in html


def test_the_form_is_served_in_english_too(app, municipalities):
    html = app.get("/en/meldingen/nieuw").get_data(as_text=True)
    assert 'lang="en"' in html and "What is the problem?" in html


def test_a_report_with_photo_and_email_ends_on_a_confirmation_with_its_public_url(app, municipalities):
    email = unique_email()
    response = submit_form(app, _form(email=email, **{"attribute[gevaarlijk]": "ja"}), photo=jpeg_with_gps())
    assert response.status_code == 302
    confirmation = app.get(response.headers["Location"])
    html = confirmation.get_data(as_text=True)
    melding_id = int(re.search(r"/meldingen/(\d+)/bevestiging", response.headers["Location"]).group(1))
    assert f"http://test.ckan.net/meldingen/{melding_id}" in html
    assert "Gemeente Testdam" in html

    page = app.get(f"/meldingen/{melding_id}").get_data(as_text=True)
    assert "Een losse tegel voor de deur van nummer 12." in page
    assert "Nieuw" in page and "Gemeente Testdam" in page
    assert email not in page

    # the photo comes back cleaned: a JPEG without EXIF (no GPS), at most 2048 px; and a thumbnail
    photo = app.get(f"/meldingen/{melding_id}/foto")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(photo.data))
    assert not image.getexif() and b"TestPhone" not in photo.data and max(image.size) <= 2048
    thumb = Image.open(io.BytesIO(app.get(f"/meldingen/{melding_id}/foto/klein").data))
    assert max(thumb.size) <= 400 and not thumb.getexif()

    from ckan import model

    melding = model.Session.get(Melding, melding_id)
    assert melding.attributes == {"gevaarlijk": "ja"}
    assert model.Session.get(MeldingContact, melding_id).email == email


BAD_INPUT = [
    ({"description": ""}, "description", "Beschrijf het probleem"),
    ({"description": "Kijk <script>alert(1)</script> hier"}, "description", "zonder HTML"),
    ({"description": "x" * 4001}, "description", "4001"),
    ({"service_code": "ufo-landing"}, "service_code", "Onbekende categorie"),
    ({"lat": str(OUTSIDE[0]), "lon": str(OUTSIDE[1])}, "location", "buiten de gemeenten"),
    ({"lat": "noord", "lon": "5.1"}, "lat", "getal"),
    ({"lat": "", "lon": ""}, "location", "Kies de plek"),
    ({"lat": "", "lon": "", "address": "Nergensstraat 1, Nergenshuizen"}, "address", "niet gevonden"),
    ({"email": "geen-adres"}, "email", "geen-adres"),
    ({"attribute[gevaarlijk]": "misschien"}, "attributes", "misschien"),
]


def test_bad_input_gets_a_dutch_message_keeps_what_was_typed_and_stores_nothing(app, municipalities):
    for changes, field, message in BAD_INPUT:
        data = _form(**changes)
        response = submit_form(app, data)
        assert response.status_code == 400, changes
        html = response.get_data(as_text=True)
        assert 'id="foutmeldingen"' in html and f'href="#field-{field}"' in html, changes
        assert message in html, changes
        assert f'id="field-{field}"' in html, changes  # the summary's link has a target
        if changes.get("description", "").startswith("Kijk"):
            assert "<script>alert(1)</script>" not in html  # kept, but escaped
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        elif data["description"] and len(data["description"]) < 200:
            assert data["description"] in html, changes
    assert _count() == 0


def _summary(html: str) -> list[tuple[str, str]]:
    """(link target, text) of each entry of the error summary, in order."""
    summary = re.search(r'<div[^>]*id="foutmeldingen".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return [(target, " ".join(text.split())) for target, text in
            re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', summary.group(0), re.S)]


def test_an_empty_report_names_every_missing_field_the_location_too_in_dutch(app, municipalities):
    response = submit_form(app, {"service_code": "", "description": "", "lat": "", "lon": "", "address": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _summary(html) == [
        ("field-service_code", "Kies een categorie: wat is het probleem?"),
        ("field-location", "Kies de plek op de kaart, of typ een adres of coördinaten."),
        ("field-description", "Beschrijf het probleem."),
    ]
    assert "Missende waarde" not in html
    # the map and the location group are marked, the message tied to them
    assert re.search(r'<fieldset[^>]*id="field-location"[^>]*aria-describedby="fout-location"', html)
    assert re.search(r'class="meldingen-map meldingen-map-picker meldingen-map-invalid"', html)
    assert 'id="fout-location"' in html
    assert _count() == 0


def test_a_report_without_location_keeps_what_was_typed(app, municipalities):
    email = unique_email()
    response = submit_form(app, {"service_code": "zwerfafval", "description": "Zakken vuilnis naast de container.",
                                 "lat": "", "lon": "", "address": "", "email": email})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert [target for target, _text in _summary(html)] == ["field-location"]
    assert "Zakken vuilnis naast de container." in html and f'value="{email}"' in html
    assert re.search(r'<option value="zwerfafval"\s+selected', html)


def test_the_api_names_the_missing_location_with_the_other_missing_fields(app, municipalities):
    response = app.post("/api/3/action/melding_create", json={"description": ""})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert {"service_code", "description", "location"} <= set(error)


def test_a_photo_from_the_camera_input_is_stored(app, municipalities):
    page = app.get("/meldingen/nieuw").get_data(as_text=True)
    # as a browser sends it: the camera input with the photo, the "choose a photo" input left empty
    form = [("_csrf_token", csrf_token(page)), *_form(confirm_new="1").items(),
            ("photo", (io.BytesIO(jpeg_with_gps()), "camera.jpg")), ("photo", (io.BytesIO(b""), ""))]
    from werkzeug.datastructures import MultiDict

    response = _post(app, "/meldingen/nieuw", data=MultiDict(form), content_type="multipart/form-data")
    assert response.status_code == 302
    melding_id = int(re.search(r"/meldingen/(\d+)/bevestiging", response.headers["Location"]).group(1))
    assert app.get(f"/meldingen/{melding_id}/foto").status_code == 200


def test_a_fake_photo_is_refused_and_nothing_is_stored(app, municipalities):
    response = submit_form(app, _form(), photo=b"<?php echo 'geen foto'; ?>", photo_name="foto.jpg")
    assert response.status_code == 400
    assert "geen JPEG-, PNG- of WebP-foto" in response.get_data(as_text=True)
    assert _count() == 0


def test_typed_coordinates_work_without_the_map(app, municipalities):
    response = submit_form(app, _form(lat="", lon="", address="52.0907, 5.1211"))
    assert response.status_code == 302
    assert _count() == 1


def test_the_form_needs_its_csrf_token(app, municipalities):
    for token in ("", "vervalst-token"):
        response = submit_form(app, _form(), token=token)
        assert response.status_code == 400
        assert "verlopen" in response.get_data(as_text=True)
    assert _count() == 0


def test_the_honeypot_catches_robots(app, municipalities):
    response = submit_form(app, _form(website="http://spam.example"))
    assert response.status_code == 400
    assert _count() == 0


def test_nearby_open_reports_of_the_same_category_are_suggested_first(app, municipalities):
    earlier = create_melding(lat=IN_TESTDAM[0] + 0.0002, lon=IN_TESTDAM[1])  # about 22 m north
    response = submit_form(app, _form())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Is dit al gemeld?" in html and earlier["url"] in html
    assert 'name="confirm_new"' in html
    assert "Een losse tegel voor de deur van nummer 12." in html  # nothing typed is lost
    assert _count() == 1

    confirmed = submit_form(app, _form(confirm_new="1"))
    assert confirmed.status_code == 302 and _count() == 2

    # another category at the same spot, or the same category 200 m away: no suggestion
    assert submit_form(app, _form(service_code="zwerfafval")).status_code == 302
    assert submit_form(app, _form(lat=str(IN_TESTDAM[0] + 0.002))).status_code == 302

    nearby = app.get("/meldingen/in-de-buurt.json", query_string={
        "lat": IN_TESTDAM[0], "lon": IN_TESTDAM[1], "service_code": "losse-stoeptegel"}).get_json()
    assert [m["id"] for m in nearby][0] in (earlier["id"],) or earlier["id"] in [m["id"] for m in nearby]
    assert all(m["distance_m"] <= 50 for m in nearby)
    assert app.get("/meldingen/in-de-buurt.json", query_string={"lat": "x"}).status_code == 400


def test_a_flood_of_reports_from_one_address_is_limited(app, municipalities, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.rate_limit", 3)
    flood = {"REMOTE_ADDR": "198.51.100.23"}
    for n in range(3):
        response = _post(app, "/meldingen/nieuw", data=dict(
            _form(confirm_new="1", description=f"Melding {n}"),
            _csrf_token=csrf_token(app.get("/meldingen/nieuw").get_data(as_text=True))),
            environ_base=flood)
        assert response.status_code == 302, n
    blocked = _post(app, "/meldingen/nieuw", data=dict(
        _form(confirm_new="1"), _csrf_token=csrf_token(app.get("/meldingen/nieuw").get_data(as_text=True))),
        environ_base=flood)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Te veel meldingen" in blocked.get_data(as_text=True)
    assert _count() == 3
    other = _post(app, "/meldingen/nieuw", data=dict(
        _form(confirm_new="1"), _csrf_token=csrf_token(app.get("/meldingen/nieuw").get_data(as_text=True))),
        environ_base={"REMOTE_ADDR": "198.51.100.99"})
    assert other.status_code == 302


# --- reading --------------------------------------------------------------------------------------------


def test_the_list_filters_by_category_status_and_area(app, municipalities):
    tegel = create_melding(description="Tegel A")
    afval = create_melding(service_code="zwerfafval", description="Afval B")
    ver = create_melding(description="Tegel C", lat=IN_ANDERDORP[0], lon=IN_ANDERDORP[1])
    import ckan.plugins.toolkit as tk

    tk.get_action("melding_update_create")({"user": municipalities.editor["name"]},
                                           {"id": tegel["id"], "status": "opgelost"})

    def shown(**query):
        html = app.get("/meldingen", query_string=query).get_data(as_text=True)
        return {text for text in ("Tegel A", "Afval B", "Tegel C") if text in html}

    assert shown() == {"Tegel A", "Afval B", "Tegel C"}
    assert shown(categorie="zwerfafval") == {"Afval B"}
    assert shown(status="closed") == {"Tegel A"}
    assert shown(status="open") == {"Afval B", "Tegel C"}
    assert shown(bbox="6.0,52.4,6.2,52.6") == {"Tegel C"}
    assert shown(lat=IN_ANDERDORP[0], lon=IN_ANDERDORP[1], straal=100) == {"Tegel C"}
    assert app.get("/meldingen", query_string={"bbox": "oost"}).status_code == 400
    assert app.get("/meldingen", query_string={"status": "weg"}).status_code == 400

    geojson = app.get("/meldingen.geojson", query_string={"categorie": "losse-stoeptegel"}).get_json()
    assert {f["id"] for f in geojson["features"]} == {tegel["id"], ver["id"]}
    assert geojson["features"][0]["geometry"]["type"] == "Point"
    assert afval["id"] not in {f["id"] for f in geojson["features"]}


def test_the_list_is_searched_by_map_area_with_the_coordinates_only_for_experts(app, municipalities):
    create_melding(description="Tegel in Anderdorp", lat=IN_ANDERDORP[0], lon=IN_ANDERDORP[1])
    html = app.get("/meldingen").get_data(as_text=True)
    assert "Zoek in dit kaartgebied" in html
    experts = re.search(r"<details[^>]*>\s*<summary>Gebied als coördinaten \(voor experts\)</summary>(.*?)</details>",
                        html, re.S)
    assert experts and 'name="bbox"' in experts.group(1)
    assert "Alleen meldingen in het gekozen kaartgebied" not in html

    area = app.get("/meldingen", query_string={"bbox": "6.0,52.4,6.2,52.6", "status": "open"}).get_data(as_text=True)
    assert "Alleen meldingen in het gekozen kaartgebied" in area and "Tegel in Anderdorp" in area
    everywhere = re.search(r'<a href="([^"]+)">Alle gebieden tonen</a>', area)
    assert everywhere and "bbox" not in everywhere.group(1) and "status=open" in everywhere.group(1)


def test_each_status_has_its_own_badge(app, municipalities):
    import ckan.plugins.toolkit as tk

    fresh = create_melding(description="Nog niet bekeken")
    busy = create_melding(description="Wordt aan gewerkt")
    tk.get_action("melding_update_create")({"user": municipalities.editor["name"]},
                                           {"id": busy["id"], "status": "in_behandeling"})
    html = app.get("/meldingen").get_data(as_text=True)
    badges = dict(re.findall(r'<span class="meldingen-status (meldingen-status-[a-z_]+)">([^<]+)</span>', html))
    assert badges == {"meldingen-status-nieuw": "Nieuw", "meldingen-status-in_behandeling": "In behandeling"}
    assert fresh["id"] != busy["id"]


def test_unknown_reports_are_404(app, municipalities):
    assert app.get("/meldingen/999").status_code == 404
    assert app.get("/meldingen/999/foto").status_code == 404
    melding = create_melding()
    assert app.get(f"/meldingen/{melding['id']}/foto").status_code == 404  # no photo


# --- handling, per role ----------------------------------------------------------------------------------


def _mail_text(message: str) -> str:
    return email_parser.message_from_string(message).get_payload(decode=True).decode("utf-8")


def test_staff_change_the_status_respond_and_the_reporter_is_mailed(app, municipalities, sysadmin, mail_server):
    for role in ("editor", "admin", "sysadmin"):
        mail_server.clear_smtp_messages()
        _handle_as(app, municipalities, sysadmin, mail_server, role)


def _handle_as(app, municipalities, sysadmin, mail_server, role):
    email = unique_email()
    melding = create_melding(email=email)
    mail_server.clear_smtp_messages()  # the confirmation of the report
    user = sysadmin if role == "sysadmin" else getattr(municipalities, role)
    page = app.get(f"/meldingen/{melding['id']}", headers=_auth(user)).get_data(as_text=True)
    assert "Deze melding behandelen" in page and 'name="status"' in page
    response = _post(app, f"/meldingen/{melding['id']}/bijwerken", headers=_auth(user),
                        data={"status": "in_behandeling", "text": "We komen donderdag langs."})
    assert response.status_code == 302
    public = app.get(f"/meldingen/{melding['id']}").get_data(as_text=True)
    assert "In behandeling" in public and "We komen donderdag langs." in public

    messages = mail_server.get_smtp_messages()
    assert len(messages) == 1
    _, sender, recipients, message = messages[0]
    assert recipients == [email]
    assert "Uw melding" in email_parser.message_from_string(message)["Subject"]
    body = _mail_text(message)
    assert "In behandeling" in body and "We komen donderdag langs." in body
    assert f"http://test.ckan.net/meldingen/{melding['id']}" in body

    # a response without a status change is mailed too; an impossible change is refused
    assert _post(app, f"/meldingen/{melding['id']}/bijwerken", headers=_auth(user),
                    data={"text": "Het materiaal is besteld."}).status_code == 302
    assert len(mail_server.get_smtp_messages()) == 2
    assert _post(app, f"/meldingen/{melding['id']}/bijwerken", headers=_auth(user),
                    data={"status": "opgelost"}).status_code == 302
    refused = _post(app, f"/meldingen/{melding['id']}/bijwerken", headers=_auth(user), data={"status": "afgewezen"})
    assert refused.status_code == 400 and "kan niet" in refused.get_data(as_text=True)
    assert _post(app, f"/meldingen/{melding['id']}/bijwerken", headers=_auth(user), data={}).status_code == 400
    assert len(mail_server.get_smtp_messages()) == 3


def test_others_cannot_handle_or_hide(app, municipalities, mail_server):
    for role in ("anonymous", "outsider", "member", "other_editor"):
        _refused_as(app, municipalities, mail_server, role)


def _refused_as(app, municipalities, mail_server, role):
    melding = create_melding(email=unique_email())
    mail_server.clear_smtp_messages()  # the confirmation of the report
    headers = {} if role == "anonymous" else _auth(getattr(municipalities, role))
    page = app.get(f"/meldingen/{melding['id']}", headers=headers).get_data(as_text=True)
    assert "Deze melding behandelen" not in page
    assert _post(app, f"/meldingen/{melding['id']}/bijwerken", headers=headers,
                    data={"status": "opgelost"}).status_code == 403
    assert _post(app, f"/meldingen/{melding['id']}/verbergen", headers=headers, data={"hidden": "true"}).status_code \
        == 403
    assert app.get(f"/meldingen/{melding['id']}").status_code == 200
    assert "Nieuw" in app.get(f"/meldingen/{melding['id']}").get_data(as_text=True)
    assert mail_server.get_smtp_messages() == []


def test_hidden_reports_disappear_from_the_public_but_not_from_the_staff(app, municipalities):
    melding = create_melding(description="Scheldwoorden en een naam")
    editor = _auth(municipalities.editor)
    assert _post(app, f"/meldingen/{melding['id']}/verbergen", headers=editor,
                    data={"hidden": "true", "reason": "Persoonsgegevens"}).status_code == 302
    assert app.get(f"/meldingen/{melding['id']}").status_code == 404
    assert app.get(f"/meldingen/{melding['id']}/foto").status_code == 404
    assert "Scheldwoorden" not in app.get("/meldingen").get_data(as_text=True)
    assert app.get(f"/open311/v2/requests/{melding['id']}.json").status_code == 404
    assert "Scheldwoorden" not in app.get("/feeds/meldingen.rss").get_data(as_text=True)
    staff_page = app.get(f"/meldingen/{melding['id']}", headers=editor).get_data(as_text=True)
    assert "Verborgen" in staff_page and "Persoonsgegevens" in staff_page
    queue = app.get("/meldingen/beheer", query_string={"verborgen": "1"}, headers=editor).get_data(as_text=True)
    assert f"/meldingen/{melding['id']}" in queue
    # the other municipality's editor neither sees nor shows it again
    other = _auth(municipalities.other_editor)
    assert app.get(f"/meldingen/{melding['id']}", headers=other).status_code == 404
    assert _post(app, f"/meldingen/{melding['id']}/verbergen", headers=other, data={"hidden": "false"}).status_code \
        == 403
    assert _post(app, f"/meldingen/{melding['id']}/verbergen", headers=editor, data={"hidden": "false"}).status_code \
        == 302
    assert app.get(f"/meldingen/{melding['id']}").status_code == 200


def test_the_queue_shows_each_municipality_its_own_reports(app, municipalities, sysadmin):
    here = create_melding(description="Melding in Testdam")
    there = create_melding(description="Melding in Anderdorp", lat=IN_ANDERDORP[0], lon=IN_ANDERDORP[1])

    anonymous = app.get("/meldingen/beheer", follow_redirects=False)
    assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"]
    for role in ("outsider", "member"):
        assert app.get("/meldingen/beheer", headers=_auth(getattr(municipalities, role))).status_code == 403

    def queue(user):
        html = app.get("/meldingen/beheer", headers=_auth(user)).get_data(as_text=True)
        return {m["id"] for m in (here, there) if f'href="/meldingen/{m["id"]}"' in html}

    assert queue(municipalities.editor) == {here["id"]}
    assert queue(municipalities.admin) == {here["id"]}
    assert queue(municipalities.other_editor) == {there["id"]}
    assert queue(sysadmin) == {here["id"], there["id"]}
    # asking for another municipality's queue is refused
    refused = app.get("/meldingen/beheer", query_string={"organisatie": "gemeente-anderdorp"},
                      headers=_auth(municipalities.editor))
    assert refused.status_code == 403


def test_rejecting_needs_a_public_explanation_in_the_form(app, municipalities, mail_server):
    melding = create_melding(email=unique_email())
    mail_server.clear_smtp_messages()  # the confirmation of the report
    editor = _auth(municipalities.editor)
    page = app.get(f"/meldingen/{melding['id']}", headers=editor).get_data(as_text=True)
    assert "Bij \"Afgewezen\" is een reactie verplicht" in page

    refused = _post(app, f"/meldingen/{melding['id']}/bijwerken", headers=editor,
                    data={"status": "afgewezen", "text": ""})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    message = "Een melding kan alleen \"Afgewezen\" worden met een openbare reactie"
    assert [target for target, _text in _summary(html)] == ["field-text"] and message in unescape(html)
    assert re.search(r'<option value="afgewezen"\s+selected', html)  # the choice is kept
    assert re.search(r'<textarea id="field-text"[^>]*aria-invalid="true"', html)
    assert "Afgewezen" not in app.get(f"/meldingen/{melding['id']}").get_data(as_text=True).split("Geschiedenis")[0]
    assert mail_server.get_smtp_messages() == []

    explained = _post(app, f"/meldingen/{melding['id']}/bijwerken", headers=editor,
                      data={"status": "afgewezen", "text": "Deze stoep is van de woningcorporatie."})
    assert explained.status_code == 302
    public = app.get(f"/meldingen/{melding['id']}").get_data(as_text=True)
    assert "Afgewezen" in public and "Deze stoep is van de woningcorporatie." in public


def test_rejecting_needs_a_public_explanation_through_the_api(app, municipalities):
    melding = create_melding()
    for data in ({}, {"text": ""}, {"text": "   "}):
        response = app.post("/api/3/action/melding_update_create", headers=_auth(municipalities.editor),
                            json={"id": melding["id"], "status": "afgewezen", **data})
        assert response.status_code == 409, data
        assert "Afgewezen" in response.get_json()["error"]["text"][0]
    from ckan import model

    assert model.Session.get(Melding, melding["id"]).status == "nieuw"
    accepted = app.post("/api/3/action/melding_update_create", headers=_auth(municipalities.editor),
                        json={"id": melding["id"], "status": "afgewezen", "text": "Geen gemeentegrond."})
    assert accepted.status_code == 200 and accepted.get_json()["result"]["status"] == "afgewezen"


def test_hiding_is_set_apart_from_saving_with_an_explanation_and_a_confirmation(app, municipalities):
    melding = create_melding()
    html = app.get(f"/meldingen/{melding['id']}", headers=_auth(municipalities.editor)).get_data(as_text=True)
    handle = html.index('id="behandelen-titel"')
    hide = html.index('id="verbergen-titel"')
    assert handle < html.index(">Opslaan</button>") < html.index("</form>", handle) < hide
    section = html[html.rindex("<section", 0, hide):]
    assert "Melding verbergen voor het publiek" in section
    assert "Alleen bij misbruik of persoonsgegevens" in section
    assert re.search(r'<button type="submit" class="btn btn-danger" data-meldingen-confirm="[^"]+"', section)


def test_staff_find_the_queue_from_their_dashboard_and_organisation(app, municipalities, sysadmin):
    def links(url, user):
        html = app.get(url, headers=_auth(user)).get_data(as_text=True)
        return re.findall(r'<a href="(/meldingen/beheer[^"]*)"[^>]*>.*?Te behandelen meldingen', html, re.S)

    assert links("/dashboard/datasets", municipalities.editor) == ["/meldingen/beheer"]
    assert links("/dashboard/datasets", municipalities.outsider) == []
    assert links("/dashboard/datasets", municipalities.member) == []
    testdam = "/meldingen/beheer?organisatie=gemeente-testdam"
    assert links("/organization/gemeente-testdam", municipalities.editor) == [testdam]
    assert links("/organization/gemeente-testdam", municipalities.member) == []
    assert links("/organization/gemeente-testdam", municipalities.other_editor) == []
    assert links("/organization/edit/gemeente-testdam", municipalities.admin) == [testdam]
    assert links("/ckan-admin", sysadmin) == ["/meldingen/beheer"]
    queue = app.get(testdam, headers=_auth(municipalities.editor))
    assert queue.status_code == 200 and "Te behandelen meldingen" in queue.get_data(as_text=True)

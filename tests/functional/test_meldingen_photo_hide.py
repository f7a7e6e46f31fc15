"""Hiding a photo that shows people or number plates: gone from every public channel, still there
(marked) for the municipality's staff, with the reason in the staff-only history."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import meldingen_support
import pytest
from meldingen_support import create_melding, csrf_token, jpeg_with_gps, submit_form

from ckanext.openoverheid.meldingen.model import Melding, MeldingUpdate

municipalities = meldingen_support.municipalities
with_open_data = meldingen_support.with_open_data


def _with_photo(app) -> int:
    response = submit_form(app, {"service_code": "losse-stoeptegel", "description": "Kenteken AB-123-C zichtbaar",
                                 "lat": str(meldingen_support.IN_TESTDAM[0]),
                                 "lon": str(meldingen_support.IN_TESTDAM[1])}, photo=jpeg_with_gps())
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").split("/")[-2])


def _hide(app, melding_id, headers, **data):
    page = app.get(f"/meldingen/{melding_id}", headers=headers).get_data(as_text=True)
    return app.post(f"/meldingen/{melding_id}/foto/verbergen", headers=headers, follow_redirects=False,
                    data={"_csrf_token": csrf_token(page), **data})


def test_a_hidden_photo_leaves_every_public_channel_but_staff_still_see_it(app, api, with_open_data):
    municipalities = with_open_data
    melding_id = _with_photo(app)
    editor = {"Authorization": municipalities.editor["token"]}
    assert app.get(f"/meldingen/{melding_id}/foto").status_code == 200
    page = app.get(f"/meldingen/{melding_id}", headers=editor).get_data(as_text=True)
    assert 'for="field-photo-reason"' in page and "Foto verbergen" in page

    assert _hide(app, melding_id, editor, reason="Kenteken leesbaar").status_code == 302

    for path in ("foto", "foto/klein"):
        assert app.get(f"/meldingen/{melding_id}/{path}").status_code == 404
    public = tk.get_action("melding_show")({"user": None}, {"id": melding_id})
    assert public["photo_url"] is None and public["thumbnail_url"] is None and "photo_hidden" not in public
    assert app.get(f"/open311/v2/requests/{melding_id}.json").get_json()[0]["media_url"] is None
    assert b"/foto" not in app.get(f"/open311/v2/requests/{melding_id}.xml").data
    geojson = app.get("/meldingen.geojson").get_json()
    assert [f["properties"]["photo_url"] for f in geojson["features"]] == [None]
    assert b"/foto" not in app.get("/meldingen/open-data/gemeente-testdam.geojson").data
    assert b"/foto" not in app.get("/feeds/meldingen.rss").data
    dataset = api("package_show", _method="GET", id="meldingen-openbare-ruimte-gemeente-testdam")
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    [row] = api("datastore_search", _method="GET", resource_id=table["id"])["records"]
    assert row["foto_url"] is None
    public_page = app.get(f"/meldingen/{melding_id}").get_data(as_text=True)
    assert "/foto" not in public_page and "Kenteken leesbaar" not in public_page
    assert "Kenteken AB-123-C zichtbaar" in public_page  # the report itself stays public

    staff_photo = app.get(f"/meldingen/{melding_id}/foto", headers=editor)
    assert staff_photo.status_code == 200 and "no-store" in staff_photo.headers["Cache-Control"]
    staff_page = app.get(f"/meldingen/{melding_id}", headers=editor).get_data(as_text=True)
    assert "Foto verborgen" in staff_page and f"/meldingen/{melding_id}/foto" in staff_page
    assert 'for="field-photo-reason"' not in staff_page
    staff = tk.get_action("melding_show")({"user": municipalities.editor["name"]}, {"id": melding_id})
    assert staff["photo_hidden"] is True and staff["photo_url"]

    from ckan import model

    [entry] = model.Session.query(MeldingUpdate).filter_by(melding_id=melding_id, kind="photo_hidden").all()
    assert entry.text == "Kenteken leesbaar" and entry.user_id == municipalities.editor["id"]
    assert staff["updates"] == []  # staff-only history is not part of the public history


def test_hiding_needs_a_reason_and_a_photo(app, municipalities):
    editor = {"Authorization": municipalities.editor["token"]}
    melding_id = _with_photo(app)
    refused = _hide(app, melding_id, editor, reason="  ")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'href="#field-photo-reason"' in html and 'id="fout-photo-reason"' in html
    assert app.get(f"/meldingen/{melding_id}/foto").status_code == 200

    without = create_melding()
    with pytest.raises(tk.ValidationError) as error:
        tk.get_action("melding_photo_hide")({"user": municipalities.editor["name"]},
                                            {"id": without["id"], "reason": "Gezicht"})
    assert error.value.error_dict == {"id": ["There is no photo to hide."]}
    with pytest.raises(tk.ValidationError) as error:
        tk.get_action("melding_photo_hide")({"user": municipalities.editor["name"]}, {"id": melding_id})
    assert list(error.value.error_dict) == ["reason"]


def test_others_cannot_hide_a_photo(app, municipalities):
    melding_id = _with_photo(app)
    for role in ("other_editor", "member", "outsider"):
        user = getattr(municipalities, role)
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("melding_photo_hide")({"user": user["name"]}, {"id": melding_id, "reason": "Gezicht"})
        response = app.post(f"/meldingen/{melding_id}/foto/verbergen", headers={"Authorization": user["token"]},
                            data={"reason": "Gezicht"}, follow_redirects=False)
        assert response.status_code == 403
    assert app.get(f"/meldingen/{melding_id}/foto").status_code == 200


def test_the_photo_of_an_update_is_hidden_by_its_id(app, municipalities):
    from ckan import model

    melding_id = _with_photo(app)
    stored = model.Session.get(Melding, melding_id)
    update = MeldingUpdate(melding_id=melding_id, kind="reporter", text="Nog steeds los", photo=stored.photo,
                           photo_thumbnail=stored.photo_thumbnail)
    model.Session.add(update)
    model.Session.commit()
    update_id = update.id
    other = create_melding()
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("melding_photo_hide")({"user": municipalities.editor["name"]},
                                            {"id": other["id"], "update_id": update_id, "reason": "Gezicht"})
    tk.get_action("melding_photo_hide")({"user": municipalities.editor["name"]},
                                        {"id": melding_id, "update_id": update_id, "reason": "Gezicht"})
    model.Session.expire_all()
    assert model.Session.get(MeldingUpdate, update_id).photo_hidden is True
    assert model.Session.get(Melding, melding_id).photo_hidden is False
    assert app.get(f"/meldingen/{melding_id}/foto").status_code == 200

"""The public pages of the verzoeken (issue 21): the form asks and the mailed link publishes; the form's
spam protection (CSRF token, honeypot, rate limit); errors in the page's language; look-alike requests
offered before a new one is stored; support through a request's page counted once per address; the
list's filters and sorting; nothing of an unconfirmed request shown. Real PostgreSQL, Redis and SMTP."""

from __future__ import annotations

import re
from typing import Any

import verzoeken_support
from meldingen_support import csrf_token
from verzoeken_support import api, confirm_from_mail, confirmed_request, unique_email

municipalities = verzoeken_support.municipalities
verzoeken_limits = verzoeken_support.verzoeken_limits
sink = verzoeken_support.sink


def _form(**fields: Any) -> dict[str, str]:
    data = {"soort": "data", "titel": "Alle lantaarnpalen van de gemeente",
            "toelichting": "Met hun plek en het soort lamp, om donkere straten te vinden.",
            "organisatie": "gemeente-testdam", "email": unique_email()}
    data.update(fields)
    return data


def _submit(app: Any, data: dict[str, str], *, prefix: str = "", token: str | None = None,
            environ: dict[str, str] | None = None) -> Any:
    page = app.get(f"{prefix}/verzoeken/nieuw", environ_base=environ or {})
    assert page.status_code == 200
    form = {"_csrf_token": csrf_token(page.get_data(as_text=True)) if token is None else token, **data}
    return app.post(f"{prefix}/verzoeken/nieuw", data=form, follow_redirects=False, environ_base=environ or {})


def _stored(titel: str) -> list[int]:
    import ckan.model as model

    from ckanext.openoverheid.verzoeken.model import Verzoek

    return [v.id for v in model.Session.query(Verzoek).filter_by(titel=titel).order_by(Verzoek.id)]


def test_the_form_asks_and_the_mailed_link_publishes_the_request(app, verzoeken_limits, sink):
    data = _form(soort="idee", titel="Meer bankjes langs de singel", lat="52.0907", lon="5.1211")
    response = _submit(app, data)
    assert response.status_code == 302 and "/verzoeken/verstuurd" in response.headers["Location"]
    sent = app.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kijk in uw e-mail" in sent and data["email"] not in sent
    [number] = _stored(data["titel"])
    assert app.get(f"/verzoeken/{number}").status_code == 404  # not public before its link is opened
    assert data["titel"] not in app.get("/verzoeken").get_data(as_text=True)

    confirmed = confirm_from_mail(app, sink, data["email"], 1)
    assert confirmed.status_code == 200
    assert f'href="/verzoeken/{number}"' in confirmed.get_data(as_text=True)
    page = app.get(f"/verzoeken/{number}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and data["titel"] in html and data["email"] not in html
    assert "Gemeente Testdam" in html and "data-verzoeken-point" in html  # the idea's place on a map
    assert f'action="/verzoeken/{number}/steunen"' in html
    assert data["titel"] in app.get("/verzoeken").get_data(as_text=True)


def test_the_form_needs_its_csrf_token(app, verzoeken_limits, sink):
    for token in ("", "vervalst-token"):
        data = _form(titel=f"Verzoek zonder token {token or 'leeg'}")
        response = _submit(app, data, token=token)
        assert response.status_code == 400
        assert "verlopen" in response.get_data(as_text=True)
        assert _stored(data["titel"]) == []
    assert sink.messages() == []


def test_a_filled_honeypot_stores_nothing_and_mails_nobody(app, verzoeken_limits, sink):
    data = _form(titel="Verzoek van een robot", website="http://spam.example")
    response = _submit(app, data)
    assert response.status_code == 302 and "/verzoeken/verstuurd" in response.headers["Location"]
    assert _stored(data["titel"]) == []
    assert sink.wait_for(1, seconds=1) == []


def test_an_empty_form_names_its_mistakes_in_dutch_and_in_english(app, verzoeken_limits, sink):
    empty = {"soort": "", "titel": "", "toelichting": "Dit blijft staan.", "email": ""}
    response = _submit(app, empty)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="foutmeldingen"' in html and "Verbeter het volgende" in html
    for field in ("soort", "titel", "email"):
        assert f'href="#field-{field}"' in html, field
    assert 'id="field-titel" name="titel"' in html and 'aria-invalid="true"' in html
    assert "Dit blijft staan." in html  # nothing typed is lost

    english = _submit(app, empty, prefix="/en").get_data(as_text=True)
    assert "Please correct the following" in english and "Give your request a title" in english
    assert "Dit blijft staan." in english


def test_a_flood_from_one_client_is_answered_with_429(app, verzoeken_limits, sink, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.verzoeken.rate_limit", 2)
    flood = {"REMOTE_ADDR": "198.51.100.41"}
    for n in range(2):
        assert _submit(app, _form(titel=f"Overstroming nummer {n}", confirm_new="1"), environ=flood).status_code == 302
    blocked = _submit(app, _form(titel="Overstroming te veel", confirm_new="1"), environ=flood)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Te veel" in blocked.get_data(as_text=True)
    assert _stored("Overstroming te veel") == []
    english = _submit(app, _form(titel="Overstroming te veel", confirm_new="1"), prefix="/en", environ=flood)
    assert english.status_code == 429 and "Too many requests" in english.get_data(as_text=True)


def test_look_alike_requests_are_offered_before_a_new_one_is_stored(app, verzoeken_limits, sink):
    earlier = confirmed_request(app, sink, soort="data", titel="Alle speeltuinen in Testdam",
                                toelichting="Met hun toestellen.", organisatie="gemeente-testdam")
    data = _form(titel="Speeltuinen in Testdam")
    offered = _submit(app, data)
    assert offered.status_code == 200
    html = offered.get_data(as_text=True)
    assert "Bestaat dit al?" in html and f'href="/verzoeken/{earlier["id"]}"' in html
    assert 'name="confirm_new"' in html and data["toelichting"] in html
    assert _stored(data["titel"]) == []
    assert _submit(app, dict(data, confirm_new="1")).status_code == 302
    assert len(_stored(data["titel"])) == 1


def test_support_through_the_page_counts_once_per_address(app, verzoeken_limits, sink):
    verzoek = confirmed_request(app, sink, soort="idee", titel="Een moestuin op het plein",
                                toelichting="Voor de buurt.", lat=52.09, lon=5.12)
    mails = len(sink.messages())
    supporter = unique_email("steun")

    def support(email: str) -> Any:
        token = csrf_token(app.get(f"/verzoeken/{verzoek['id']}").get_data(as_text=True))
        return app.post(f"/verzoeken/{verzoek['id']}/steunen", data={"_csrf_token": token, "email": email},
                        follow_redirects=False)

    for email in (supporter, supporter.upper()):
        response = support(email)
        assert response.status_code == 302 and "steun=1" in response.headers["Location"]
    confirm_from_mail(app, sink, supporter, mails + 1)
    support(supporter)
    assert api(app, "verzoek_show", id=verzoek["id"]).json["result"]["support_count"] == 2
    page = app.get(f"/verzoeken/{verzoek['id']}").get_data(as_text=True)
    assert "2 steunbetuigingen" in page and supporter not in page

    refused = app.post(f"/verzoeken/{verzoek['id']}/steunen", data={"email": unique_email()})
    assert refused.status_code == 400
    assert api(app, "verzoek_show", id=verzoek["id"]).json["result"]["support_count"] == 2


def test_the_list_filters_and_sorts(app, verzoeken_limits, sink):
    bomen = confirmed_request(app, sink, soort="data", titel="Bomenkaart Testdam", toelichting="Alle bomen.",
                              organisatie="gemeente-testdam")
    bankjes = confirmed_request(app, sink, soort="idee", titel="Bankjes Anderdorp", toelichting="Bij de kerk.",
                                organisatie="gemeente-anderdorp", lat=52.5, lon=6.1)
    riolering = confirmed_request(app, sink, soort="data", titel="Rioleringsplan Testdam",
                                  toelichting="Het plan en de kaart.", organisatie="gemeente-testdam")
    supporter = unique_email("steun")
    api(app, "verzoek_steun", id=riolering["id"], email=supporter)
    confirm_from_mail(app, sink, supporter, len(sink.messages()) + 1)
    refused = api(app, "verzoek_update", verzoeken_limits.editor, id=bomen["id"], status="afgewezen",
                  antwoord="Wij hebben geen bomenkaart.")
    assert refused.status_code == 200, refused.json
    titles = ("Bomenkaart Testdam", "Bankjes Anderdorp", "Rioleringsplan Testdam")

    def shown(**query: str) -> list[str]:
        html = app.get("/verzoeken", query_string=query).get_data(as_text=True)
        return sorted((t for t in titles if t in html), key=html.index)

    assert set(shown()) == set(titles)
    assert shown(soort="idee") == ["Bankjes Anderdorp"]
    assert set(shown(status="open")) == {"Bankjes Anderdorp", "Rioleringsplan Testdam"}
    assert shown(status="afgewezen") == ["Bomenkaart Testdam"]
    assert set(shown(organisatie="gemeente-testdam")) == {"Bomenkaart Testdam", "Rioleringsplan Testdam"}
    assert shown(q="rioleringsplan") == ["Rioleringsplan Testdam"]
    assert shown(sorteer="steun")[0] == "Rioleringsplan Testdam"  # two supporters, the others one
    assert shown(sorteer="nieuw") == ["Rioleringsplan Testdam", "Bankjes Anderdorp", "Bomenkaart Testdam"]
    assert shown(sorteer="status")[-1] == "Bomenkaart Testdam"  # answered after the open ones
    count = re.search(r'id="verzoeken-lijst-titel">(\d+) ', app.get(
        "/verzoeken", query_string={"organisatie": "gemeente-testdam"}).get_data(as_text=True))
    assert count and int(count.group(1)) >= 2
    assert app.get("/verzoeken", query_string={"status": "weg"}).status_code == 400

    geojson = app.get("/verzoeken.geojson").get_json()
    assert bankjes["id"] in {f["id"] for f in geojson["features"]}
    assert bomen["id"] not in {f["id"] for f in geojson["features"]}


def test_an_answered_request_shows_its_answer_and_takes_no_more_support(app, verzoeken_limits, sink):
    verzoek = confirmed_request(app, sink, soort="data", titel="Camerabeelden van de markt",
                                toelichting="Alle beelden.", organisatie="gemeente-testdam")
    import datetime as dt

    review = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    answered = api(app, "verzoek_update", verzoeken_limits.editor, id=verzoek["id"], status="afgewezen",
                   gesloten=True, woo_grounds=["5.1.2.e"], review_date=review,
                   antwoord="De beelden tonen bezoekers; dat schaadt hun persoonlijke levenssfeer.")
    assert answered.status_code == 200, answered.json
    html = app.get(f"/verzoeken/{verzoek['id']}").get_data(as_text=True)
    assert "persoonlijke levenssfeer" in html and "verzoeken-grounds" in html
    assert str(dt.date.fromisoformat(review).year) in html
    assert f'action="/verzoeken/{verzoek["id"]}/steunen"' not in html


def test_an_unconfirmed_or_unknown_request_has_no_page(app, verzoeken_limits, sink):
    created = api(app, "verzoek_create", soort="data", titel="Nog niet bevestigd verzoek",
                  toelichting="Wacht op de link.", email=unique_email())
    assert created.status_code == 200
    assert app.get(f"/verzoeken/{created.json['result']['id']}").status_code == 404
    assert app.get("/verzoeken/99999999").status_code == 404
    token = csrf_token(app.get("/verzoeken/nieuw").get_data(as_text=True))
    assert app.post(f"/verzoeken/{created.json['result']['id']}/steunen",
                    data={"_csrf_token": token, "email": unique_email()}).status_code == 404


def test_a_filled_honeypot_on_the_support_form_counts_nothing_and_mails_nobody(app, verzoeken_limits, sink):
    verzoek = confirmed_request(app, sink, soort="data", titel="Alle fietsenrekken", toelichting="Met aantallen.")
    mails = len(sink.messages())
    token = csrf_token(app.get(f"/verzoeken/{verzoek['id']}").get_data(as_text=True))
    response = app.post(f"/verzoeken/{verzoek['id']}/steunen", follow_redirects=False, data={
        "_csrf_token": token, "email": unique_email("robot"), "website": "http://spam.example"})
    assert response.status_code == 302 and "/verzoeken/verstuurd" in response.headers["Location"]
    assert len(sink.wait_for(mails + 1, seconds=1)) == mails

    import ckan.model as model

    from ckanext.openoverheid.verzoeken.model import VerzoekSteun

    assert model.Session.query(VerzoekSteun).filter_by(verzoek_id=verzoek["id"]).count() == 1  # the requester

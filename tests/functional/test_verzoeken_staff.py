"""Answering requests as the organisation's staff (issue 21): the forms of a request's page and their
POST routes, the list of requests to answer, the dataset page linking the requests it answers, refused
closed data in the openheidsregister (page, CSV, feed), and the status mails to the requester and the
confirmed supporters through the alert system. Real PostgreSQL, Solr, Redis and a real SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest
import verzoeken_support
from attenderingen_support import send_due, text_of, to_whom
from ckan.tests import factories
from verzoeken_support import api, confirm_from_mail, confirmed_request, unique_email

municipalities = verzoeken_support.municipalities
verzoeken_limits = verzoeken_support.verzoeken_limits
sink = verzoeken_support.sink

MOTIVATION = "De beelden tonen medewerkers en bezoekers; openbaarmaking schaadt hun persoonlijke levenssfeer."


@pytest.fixture
def api_call(api):
    """The Action API as the sysadmin (what runs the alert delivery in tests)."""
    return api


def _post(app, url, user=None, **data):
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(url, data=data, headers=headers, follow_redirects=False)


def _auth(user):
    return {"Authorization": user["token"]}


def _request(app, sink, **fields):
    return confirmed_request(app, sink, soort=fields.pop("soort", "data"),
                             titel=fields.pop("titel", "Bomen in de stad"),
                             toelichting=fields.pop("toelichting", "Een lijst van alle bomen."),
                             organisatie=fields.pop("organisatie", "gemeente-testdam"), **fields)


def test_only_the_organisations_staff_get_the_answer_forms(app, verzoeken_limits, sink):
    verzoek = _request(app, sink)
    url = f"/verzoeken/{verzoek['id']}/beantwoorden"
    for user in (verzoeken_limits.editor, verzoeken_limits.admin):
        page = app.get(url, headers=_auth(user))
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "Dit verzoek beantwoorden" in html and 'name="status"' in html and 'name="woo_grounds"' in html
        assert "Verbergen" in html and "Doorsturen" in html
    for user in (verzoeken_limits.member, verzoeken_limits.other_editor, verzoeken_limits.outsider):
        assert app.get(url, headers=_auth(user)).status_code == 403
        refused = _post(app, url, user, status="in_behandeling", antwoord="Wij kijken ernaar.")
        assert refused.status_code == 403
        assert _post(app, f"/verzoeken/{verzoek['id']}/verbergen", user, reason="Spam").status_code == 403
        assert _post(app, f"/verzoeken/{verzoek['id']}/doorsturen", user,
                     organisatie="gemeente-anderdorp").status_code == 403
    assert _post(app, url, status="in_behandeling", antwoord="Anoniem").status_code in (302, 400, 403)
    assert api(app, "verzoek_show", id=verzoek["id"]).json["result"]["status"] == "ontvangen"


def test_an_answer_through_the_form_is_public_and_a_rejected_one_keeps_its_input(app, verzoeken_limits, sink):
    verzoek = _request(app, sink, titel="Camerabeelden van het stadhuis")
    url = f"/verzoeken/{verzoek['id']}/beantwoorden"
    editor = verzoeken_limits.editor
    review = (dt.date.today() + dt.timedelta(days=365)).isoformat()

    # Dutch errors beside the fields, and nothing typed is lost
    rejected = _post(app, url, editor, status="afgewezen", gesloten="true", antwoord=MOTIVATION, review_date=review)
    assert rejected.status_code == 400
    html = rejected.get_data(as_text=True)
    assert "Verbeter het volgende" in html and 'id="field-woo_grounds-error"' in html
    assert MOTIVATION.split(";")[0] in html and review in html
    english = _post(app, f"/en{url}", editor, status="afgewezen", antwoord="")
    assert english.status_code == 400 and "A request can only be refused" in english.get_data(as_text=True)
    assert api(app, "verzoek_show", id=verzoek["id"]).json["result"]["status"] == "ontvangen"

    done = _post(app, url, editor, status="afgewezen", gesloten="true", woo_grounds="5.1.2.e", antwoord=MOTIVATION,
                 review_date=review)
    assert done.status_code == 302
    shown = api(app, "verzoek_show", id=verzoek["id"]).json["result"]
    assert shown["status"] == "afgewezen" and shown["woo_grounds"] == ["5.1.2.e"] and shown["antwoord"] == MOTIVATION


def test_published_by_the_address_of_the_dataset_page_links_both_ways(app, verzoeken_limits, sink):
    verzoek = _request(app, sink, titel="Speeltuinen met toestellen")
    dataset = factories.Dataset(owner_org=verzoeken_limits.testdam["id"], title="Speeltuinen Testdam")
    done = _post(app, f"/verzoeken/{verzoek['id']}/beantwoorden", verzoeken_limits.editor, status="gepubliceerd",
                 dataset=f"http://test.ckan.net/dataset/{dataset['name']}/", antwoord="Gepubliceerd als open data.")
    assert done.status_code == 302, done.get_data(as_text=True)
    assert api(app, "verzoek_show", id=verzoek["id"]).json["result"]["dataset"]["name"] == dataset["name"]
    dataset_page = app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    assert "Dit antwoordt op verzoek" in dataset_page and f"/verzoeken/{verzoek['id']}" in dataset_page
    assert "Speeltuinen met toestellen" in dataset_page
    other = factories.Dataset(owner_org=verzoeken_limits.testdam["id"])
    assert f"/verzoeken/{verzoek['id']}" not in app.get(f"/dataset/{other['name']}").get_data(as_text=True)


def test_hiding_needs_a_reason_and_a_hidden_request_can_be_shown_again(app, verzoeken_limits, sink):
    verzoek = _request(app, sink, titel="Een verzoek met een naam")
    editor = verzoeken_limits.editor
    hide_url = f"/verzoeken/{verzoek['id']}/verbergen"
    without = _post(app, hide_url, editor, reason="  ")
    assert without.status_code == 400 and "Zeg waarom" in without.get_data(as_text=True)
    assert _post(app, hide_url, editor, reason="Noemt een buurman bij naam").status_code == 302
    assert api(app, "verzoek_show", id=verzoek["id"]).status_code == 404
    staff_view = api(app, "verzoek_show", editor, id=verzoek["id"]).json["result"]
    assert staff_view["hidden"] and staff_view["hidden_reason"] == "Noemt een buurman bij naam"
    listed = app.get("/verzoeken/behandelen", headers=_auth(editor)).get_data(as_text=True)
    assert "Een verzoek met een naam" in listed and "Verborgen" in listed
    assert "Een verzoek met een naam" not in app.get(
        "/verzoeken/behandelen", headers=_auth(verzoeken_limits.other_editor)).get_data(as_text=True)
    assert _post(app, hide_url, editor, hidden="false").status_code == 302
    assert api(app, "verzoek_show", id=verzoek["id"]).status_code == 200


def test_forwarding_moves_the_request_to_the_other_organisations_staff(app, verzoeken_limits, sink):
    verzoek = _request(app, sink, titel="Verkeerd geadresseerd")
    url = f"/verzoeken/{verzoek['id']}/doorsturen"
    assert _post(app, url, verzoeken_limits.editor, organisatie="").status_code == 400
    assert _post(app, url, verzoeken_limits.editor, organisatie="gemeente-anderdorp").status_code == 302
    shown = api(app, "verzoek_show", id=verzoek["id"]).json["result"]
    assert shown["organization"]["name"] == "gemeente-anderdorp"
    assert _post(app, f"/verzoeken/{verzoek['id']}/beantwoorden", verzoeken_limits.editor,
                 status="in_behandeling").status_code == 403
    assert _post(app, f"/verzoeken/{verzoek['id']}/beantwoorden", verzoeken_limits.other_editor,
                 status="in_behandeling").status_code == 302


def test_the_list_to_answer_is_for_staff_oldest_first_with_counts(app, verzoeken_limits, sink):
    first = _request(app, sink, titel="Eerste verzoek aan Testdam")
    second = _request(app, sink, titel="Tweede verzoek aan Testdam")
    _request(app, sink, titel="Verzoek aan Anderdorp", organisatie="gemeente-anderdorp")
    assert app.get("/verzoeken/behandelen", follow_redirects=False).status_code == 302
    assert app.get("/verzoeken/behandelen", headers=_auth(verzoeken_limits.outsider)).status_code == 403
    html = app.get("/verzoeken/behandelen", headers=_auth(verzoeken_limits.editor)).get_data(as_text=True)
    assert html.index(first["titel"]) < html.index(second["titel"])
    assert "Verzoek aan Anderdorp" not in html and "2 open verzoeken" in html
    dashboard = app.get("/dashboard/datasets", headers=_auth(verzoeken_limits.editor)).get_data(as_text=True)
    assert "/verzoeken/behandelen" in dashboard


def test_refused_closed_data_is_in_the_register_page_csv_and_feed_until_hidden(app, verzoeken_limits, sink):
    verzoek = _request(app, sink, titel="Camerabeelden van de raadzaal")
    review = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    refused = api(app, "verzoek_update", verzoeken_limits.editor, id=verzoek["id"], status="afgewezen",
                  gesloten=True, woo_grounds=["5.1.2.e"], antwoord=MOTIVATION, review_date=review)
    assert refused.status_code == 200, refused.json
    register = api(app, "openheid_register").json["result"]
    [entry] = [e for e in register["verzoeken"] if e["id"] == verzoek["id"]]
    assert entry["woo_grounds"] == ["5.1.2.e"] and entry["woo_motivation"] == MOTIVATION
    assert entry["review_date"] == review and entry["review_expired"] is False
    assert entry["organization"]["name"] == "gemeente-testdam" and register["verzoek_count"] >= 1
    assert "Camerabeelden van de raadzaal" in app.get("/openheid").get_data(as_text=True)
    assert f"verzoek-{verzoek['id']},Camerabeelden van de raadzaal" in app.get("/openheid.csv").get_data(as_text=True)
    assert f"/verzoeken/{verzoek['id']}" in app.get("/feeds/openheid.rss").get_data(as_text=True)

    api(app, "verzoek_hide", verzoeken_limits.editor, id=verzoek["id"], reason="Dubbel")
    assert verzoek["id"] not in [e["id"] for e in api(app, "openheid_register").json["result"]["verzoeken"]]
    assert "Camerabeelden van de raadzaal" not in app.get("/openheid.csv").get_data(as_text=True)


def test_requester_and_confirmed_supporters_are_mailed_each_answer_and_nobody_else(app, api_call, verzoeken_limits,
                                                                                 sink):
    requester, supporter, unconfirmed = unique_email("vrager"), unique_email("steun"), unique_email("half")
    verzoek = _request(app, sink, email=requester, titel="Afvalbakken in het park")
    assert api(app, "verzoek_steun", id=verzoek["id"], email=supporter).status_code == 200
    confirm_from_mail(app, sink, supporter, len(sink.messages()))
    assert api(app, "verzoek_steun", id=verzoek["id"], email=unconfirmed).status_code == 200
    assert to_whom(sink.messages(), unconfirmed), "its confirmation mail, left unopened"
    sink.clear()

    editor = verzoeken_limits.editor
    assert api(app, "verzoek_update", editor, id=verzoek["id"], status="in_behandeling",
               antwoord="We tellen de bakken.").status_code == 200
    assert send_due(api_call)["sent"] == 2
    for address in (requester, supporter):
        [mail] = to_whom(sink.messages(), address)
        body = text_of(mail)
        assert "In behandeling" in body and "We tellen de bakken." in body
        assert f"/verzoeken/{verzoek['id']}" in body and "/attenderingen/" in body  # the unsubscribe link
        others = {requester, supporter, unconfirmed} - {address}
        assert not any(other in mail.as_string() for other in others)
    assert to_whom(sink.messages(), unconfirmed) == []

    sink.clear()
    assert send_due(api_call)["sent"] == 0  # told once
    assert api(app, "verzoek_update", editor, id=verzoek["id"], status="gepubliceerd",
               dataset=factories.Dataset(owner_org=verzoeken_limits.testdam["id"])["name"],
               antwoord="Staat online.").status_code == 200
    assert send_due(api_call)["sent"] == 2
    assert len(to_whom(sink.messages(), requester)) == 1 and len(to_whom(sink.messages(), supporter)) == 1


def test_a_hidden_request_mails_nobody(app, api_call, verzoeken_limits, sink):
    requester = unique_email("vrager")
    verzoek = _request(app, sink, email=requester, titel="Verborgen verzoek")
    sink.clear()
    editor = verzoeken_limits.editor
    api(app, "verzoek_hide", editor, id=verzoek["id"], reason="Persoonsgegevens")
    assert api(app, "verzoek_update", editor, id=verzoek["id"], status="in_behandeling",
               antwoord="Intern bekeken.").status_code == 200
    send_due(api_call)
    assert to_whom(sink.messages(), requester) == []

"""Data requests and ideas through the Action API (issue 21): confirmed by a mailed link before they
are public, supported once per address, answered by the staff of the organisation asked only, a
published answer linking its dataset both ways, a refusal of closed data naming its Woo grounds.
Real PostgreSQL, Redis and a real SMTP server."""

from __future__ import annotations

import datetime as dt

import verzoeken_support
from ckan.tests import factories
from verzoeken_support import api, confirm_from_mail, confirmed_request, unique_email

municipalities = verzoeken_support.municipalities
verzoeken_limits = verzoeken_support.verzoeken_limits
sink = verzoeken_support.sink


def test_a_request_is_public_only_after_its_mailed_link_is_opened(app, verzoeken_limits, sink):
    email = unique_email()
    created = api(app, "verzoek_create", soort="data", titel="Bomen in de gemeente",
                  toelichting="Een lijst van alle bomen met soort en plantjaar.", email=email,
                  organisatie="gemeente-testdam")
    assert created.status_code == 200, created.json
    number = created.json["result"]["id"]
    assert email not in created.get_data(as_text=True)
    assert api(app, "verzoek_show", id=number).status_code == 404
    assert number not in [r["id"] for r in api(app, "verzoek_list").json["result"]["results"]]

    page = confirm_from_mail(app, sink, email, 1)
    assert page.status_code == 200
    shown = api(app, "verzoek_show", id=number).json["result"]
    assert shown["status"] == "ontvangen" and shown["support_count"] == 1
    assert number in [r["id"] for r in api(app, "verzoek_list").json["result"]["results"]]
    # opening the link again changes nothing
    assert confirm_from_mail(app, sink, email, 1).status_code == 200
    assert api(app, "verzoek_show", id=number).json["result"]["support_count"] == 1


def test_a_second_support_from_the_same_address_does_not_count(app, verzoeken_limits, sink):
    verzoek = confirmed_request(app, sink, soort="idee", titel="Bankjes in het park",
                                toelichting="Meer bankjes langs het water.", lat=52.09, lon=5.12)
    supporter = unique_email("steun")
    for attempt in range(2):
        answer = api(app, "verzoek_steun", id=verzoek["id"], email=supporter.upper() if attempt else supporter)
        assert answer.status_code == 200, answer.json
    assert api(app, "verzoek_show", id=verzoek["id"]).json["result"]["support_count"] == 1  # not yet confirmed
    confirm_from_mail(app, sink, supporter, 2)
    assert api(app, "verzoek_show", id=verzoek["id"]).json["result"]["support_count"] == 2
    api(app, "verzoek_steun", id=verzoek["id"], email=supporter)
    assert api(app, "verzoek_show", id=verzoek["id"]).json["result"]["support_count"] == 2


def test_only_the_staff_of_the_organisation_asked_may_answer(app, verzoeken_limits, sink):
    verzoek = confirmed_request(app, sink, soort="data", titel="Parkeervergunningen per wijk",
                                toelichting="Aantallen per wijk per jaar.", organisatie="gemeente-testdam")
    refused = api(app, "verzoek_update", verzoeken_limits.other_editor, id=verzoek["id"], status="in_behandeling",
                  antwoord="Wij kijken ernaar.")
    assert refused.status_code == 403
    assert api(app, "verzoek_update", verzoeken_limits.member, id=verzoek["id"], status="in_behandeling").status_code \
        == 403
    assert api(app, "verzoek_show", id=verzoek["id"]).json["result"]["status"] == "ontvangen"
    answered = api(app, "verzoek_update", verzoeken_limits.editor, id=verzoek["id"], status="in_behandeling",
                   antwoord="Wij kijken ernaar.")
    assert answered.status_code == 200, answered.json
    assert answered.json["result"]["status"] == "in_behandeling"


def test_published_links_the_dataset_and_the_dataset_page_links_the_request(app, verzoeken_limits, sink):
    verzoek = confirmed_request(app, sink, soort="data", titel="Speeltuinen met toestellen",
                                toelichting="Waar staan de speeltuinen?", organisatie="gemeente-testdam")
    dataset = factories.Dataset(owner_org=verzoeken_limits.testdam["id"], title="Speeltuinen Testdam")
    answered = api(app, "verzoek_update", verzoeken_limits.editor, id=verzoek["id"], status="gepubliceerd",
                   dataset=dataset["name"], antwoord="Gepubliceerd als open data.")
    assert answered.status_code == 200, answered.json
    assert answered.json["result"]["dataset"]["name"] == dataset["name"]
    page = app.get(f"/verzoeken/{verzoek['id']}")
    assert page.status_code == 200 and f"/dataset/{dataset['name']}" in page.get_data(as_text=True)
    dataset_page = app.get(f"/dataset/{dataset['name']}")
    assert f"/verzoeken/{verzoek['id']}" in dataset_page.get_data(as_text=True)
    without = api(app, "verzoek_update", verzoeken_limits.editor, id=confirmed_request(
        app, sink, soort="data", titel="Nog een verzoek om data", toelichting="Iets anders.",
        organisatie="gemeente-testdam")["id"], status="gepubliceerd")
    assert without.status_code == 409 and "dataset" in without.json["error"]


def test_refusing_closed_data_needs_woo_grounds_and_lands_in_the_openheidsregister(app, verzoeken_limits, sink):
    verzoek = confirmed_request(app, sink, soort="data", titel="Camerabeelden van het stadhuis",
                                toelichting="Alle beelden van de camera's.", organisatie="gemeente-testdam")
    motivation = "De beelden tonen medewerkers en bezoekers; openbaarmaking schaadt hun persoonlijke levenssfeer."
    review = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    without_grounds = api(app, "verzoek_update", verzoeken_limits.editor, id=verzoek["id"], status="afgewezen",
                          gesloten=True, antwoord=motivation, review_date=review)
    assert without_grounds.status_code == 409 and "woo_grounds" in without_grounds.json["error"]
    assert api(app, "verzoek_show", id=verzoek["id"]).json["result"]["status"] == "ontvangen"
    refused = api(app, "verzoek_update", verzoeken_limits.editor, id=verzoek["id"], status="afgewezen",
                  gesloten=True, woo_grounds=["5.1.2.e"], antwoord=motivation, review_date=review)
    assert refused.status_code == 200, refused.json
    assert refused.json["result"]["woo_grounds"] == ["5.1.2.e"]
    register = api(app, "openheid_register").json["result"]
    assert verzoek["id"] in [entry["id"] for entry in register["verzoeken"]]

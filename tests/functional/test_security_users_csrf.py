"""CSRF on the portal's web forms (issue 9, item 5): a form posted without its token, or with a forged
one, is refused and nothing is stored — also after CKAN has exempted the same view for a request
without a session (an anonymous visitor or an API client), which CKAN does for the rest of the process.

Users log in through the login form, as a browser does, so that the session cookie is what identifies
them (requests with an API token are not subject to CSRF: no browser sends that header by itself).
Real PostgreSQL, Solr and Redis.
"""

from __future__ import annotations

import datetime
from typing import Any

import meldingen_support
import pytest
import verzoeken_support
from meldingen_support import IN_TESTDAM, create_melding, csrf_token
from verzoeken_support import confirmed_request

from ckanext.openoverheid.meldingen.model import Melding

municipalities = meldingen_support.municipalities
verzoeken_limits = verzoeken_support.verzoeken_limits
sink = verzoeken_support.sink

PASSWORD = "correct123"  # ckan.tests.factories.UserWithToken
EU = "http://publications.europa.eu/resource/authority/"


def browser(app: Any, user: dict[str, Any] | None = None) -> Any:
    """A client with its own cookie jar, logged in through the login form when ``user`` is given."""
    client = app.test_client()
    if user is not None:
        token = csrf_token(client.get("/user/login").get_data(as_text=True))
        client.post("/user/login", data={"login": user["name"], "password": PASSWORD, "_csrf_token": token})
        account = client.get("/user/me", follow_redirects=True).get_data(as_text=True)
        assert user["name"] in account, "the login form did not log the user in"
    return client


def token_of(client: Any, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return csrf_token(page.get_data(as_text=True))


def exempt_by_ckan(app: Any, url: str, method: str = "post", token: str | None = None) -> None:
    """Requests that make CKAN exempt the view behind ``url`` from CSRF: one without any session (an
    anonymous visitor, a crawler) and, when ``token`` is given, one with an API token."""
    getattr(app.test_client(use_cookies=False), method)(url)
    if token:
        getattr(app.test_client(use_cookies=False), method)(url, headers={"Authorization": token})


def refused_as_forgery(response: Any) -> bool:
    return response.status_code == 400


def _melding_status(melding_id: int) -> tuple[str, bool]:
    from ckan import model

    model.Session.expire_all()
    melding = model.Session.get(Melding, melding_id)
    return melding.status, bool(melding.hidden)


# --- meldingen -----------------------------------------------------------------------------------------------


def _report(**extra: Any) -> dict[str, str]:
    return {"service_code": "losse-stoeptegel", "description": "Tegel los bij de school.", "lat": str(IN_TESTDAM[0]),
            "lon": str(IN_TESTDAM[1]), "confirm_new": "1", **extra}


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_the_report_form_needs_its_token(app, municipalities, logged_in):
    from ckan import model

    exempt_by_ckan(app, "/meldingen/nieuw", token=municipalities.outsider["token"])
    client = browser(app, municipalities.outsider if logged_in else None)
    for token in (None, "", "IjEyMzQ1Njc4OTAi.Zm9yZ2Vk.dmFsc2U"):
        data = _report() if token is None else _report(_csrf_token=token)
        response = client.post("/meldingen/nieuw", data=data, follow_redirects=False)
        assert refused_as_forgery(response), (token, response.status_code)
    # a token of another session is as good as a forged one
    other = token_of(browser(app), "/meldingen/nieuw")
    assert refused_as_forgery(client.post("/meldingen/nieuw", data=_report(_csrf_token=other), follow_redirects=False))
    assert model.Session.query(Melding).count() == 0

    accepted = client.post("/meldingen/nieuw", data=_report(_csrf_token=token_of(client, "/meldingen/nieuw")),
                           follow_redirects=False)
    assert accepted.status_code == 302, "with its token the same form is accepted"
    assert model.Session.query(Melding).count() == 1


# --- verzoeken -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_the_request_and_support_forms_need_their_token(app, verzoeken_limits, sink, logged_in):
    from ckan import model

    from ckanext.openoverheid.verzoeken.model import Verzoek, VerzoekSteun

    def ask(**extra: str) -> dict[str, str]:
        return {"soort": "data", "titel": "Alle bomen van de gemeente", "toelichting": "Met soort en plantjaar.",
                "email": "inwoner@voorbeeld.nl", "confirm_new": "1", **extra}

    exempt_by_ckan(app, "/verzoeken/nieuw", token=verzoeken_limits.outsider["token"])
    client = browser(app, verzoeken_limits.outsider if logged_in else None)
    other = token_of(browser(app), "/verzoeken/nieuw")  # a token of another session is as good as a forged one
    for token in (None, "", "IjEyMzQ1Njc4OTAi.Zm9yZ2Vk.dmFsc2U", other):
        data = ask() if token is None else ask(_csrf_token=token)
        assert refused_as_forgery(client.post("/verzoeken/nieuw", data=data, follow_redirects=False)), token
    assert model.Session.query(Verzoek).count() == 0
    accepted = client.post("/verzoeken/nieuw", data=ask(_csrf_token=token_of(client, "/verzoeken/nieuw")),
                           follow_redirects=False)
    assert accepted.status_code == 302, "with its token the same form is accepted"

    verzoek = confirmed_request(app, sink, soort="data", titel="Parkeerplaatsen per straat",
                                toelichting="Aantallen.")
    supports = model.Session.query(VerzoekSteun).count()
    url = f"/verzoeken/{verzoek['id']}/steunen"
    exempt_by_ckan(app, url, token=verzoeken_limits.outsider["token"])
    for token in (None, other):
        data = {"email": "steun@voorbeeld.nl", **({} if token is None else {"_csrf_token": token})}
        assert refused_as_forgery(client.post(url, data=data, follow_redirects=False)), token
    assert model.Session.query(VerzoekSteun).count() == supports


@pytest.mark.parametrize("action, data, changed", [
    ("bijwerken", {"status": "opgelost", "text": "Gerepareerd."}, ("opgelost", False)),
    ("verbergen", {"hidden": "true", "reason": "Persoonsgegevens"}, ("nieuw", True)),
], ids=["status-and-response", "hide"])
def test_the_handling_forms_need_their_token(app, municipalities, action, data, changed):
    melding = create_melding()
    url = f"/meldingen/{melding['id']}/{action}"
    exempt_by_ckan(app, url, token=municipalities.other_editor["token"])
    staff = browser(app, municipalities.editor)
    for token in (None, "", "vervalst"):
        form = dict(data) if token is None else dict(data, _csrf_token=token)
        response = staff.post(url, data=form, follow_redirects=False)
        assert refused_as_forgery(response), (token, response.status_code)
        assert _melding_status(melding["id"]) == ("nieuw", False), "a forged form changed the report"

    token = token_of(staff, f"/meldingen/{melding['id']}")
    accepted = staff.post(url, data=dict(data, _csrf_token=token), follow_redirects=False)
    assert accepted.status_code == 302, "with its token the editor's form is accepted"
    assert _melding_status(melding["id"]) == changed


# --- the dataset form ------------------------------------------------------------------------------------------


def _dataset_form(org_id: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "title": f"Dataset {name}", "notes": "Uit het formulier.", "owner_org": org_id,
            "license_id": "cc-zero", "metadata_language": EU + "language/NLD",
            "dataset_status": "http://data.overheid.nl/status/beschikbaar", "access_rights": "publiek", "save": "",
            **extra}


def test_the_dataset_form_needs_its_token(app, api, municipalities):
    from ckan import model

    exempt_by_ckan(app, "/dataset/new", method="get", token=municipalities.editor["token"])
    exempt_by_ckan(app, "/dataset/new", token=municipalities.editor["token"])
    editor = browser(app, municipalities.editor)
    org_id = municipalities.testdam["id"]
    for token in (None, "", "vervalst"):
        form = _dataset_form(org_id, "vervalst-formulier")
        if token is not None:
            form["_csrf_token"] = token
        response = editor.post("/dataset/new", data=form, follow_redirects=False)
        assert refused_as_forgery(response), (token, response.status_code)
    assert model.Package.get("vervalst-formulier") is None

    accepted = editor.post("/dataset/new", data=_dataset_form(org_id, "echt-formulier",
                                                               _csrf_token=token_of(editor, "/dataset/new")))
    assert accepted.status_code in (200, 302), accepted.status_code
    assert model.Package.get("echt-formulier") is not None, "with its token the form creates the dataset"


def test_closing_a_dataset_through_the_form_needs_the_token(app, api, municipalities):
    """Closing is the most sensitive edit: a forged form must not take a dataset out of the open."""
    from ckan import model

    org_id = municipalities.testdam["id"]
    api("package_create", **{k: v for k, v in _dataset_form(org_id, "open-gegevens").items() if k != "save"})
    url = "/dataset/edit/open-gegevens"
    exempt_by_ckan(app, url, token=municipalities.editor["token"])
    editor = browser(app, municipalities.editor)
    review = (datetime.date.today() + datetime.timedelta(days=100)).isoformat()
    closing = _dataset_form(org_id, "open-gegevens", access_rights="niet-publiek", woo_grounds=["5.1.2.e"],
                            woo_motivation="De gegevens brengen de veiligheid van personen in gevaar.",
                            review_date=review)
    for token in (None, "vervalst"):
        form = dict(closing) if token is None else dict(closing, _csrf_token=token)
        assert refused_as_forgery(editor.post(url, data=form, follow_redirects=False)), token
        model.Session.expire_all()
        assert model.Package.get("open-gegevens").extras["access_rights"] == "publiek"

    accepted = editor.post(url, data=dict(closing, _csrf_token=token_of(editor, url)), follow_redirects=False)
    assert accepted.status_code == 302, accepted.status_code
    model.Session.expire_all()
    assert model.Package.get("open-gegevens").extras["access_rights"] == "niet-publiek"


# --- verzoeken: the staff's forms ----------------------------------------------------------------------------


def _confirmed_verzoek() -> int:
    """A data request to Testdam, confirmed with the token of its confirmation mail."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.openoverheid.verzoeken import tokens
    from ckanext.openoverheid.verzoeken.model import VerzoekSteun

    created = tk.get_action("verzoek_create")({"ignore_auth": True, "user": ""}, {
        "soort": "data", "titel": "Bomen van Testdam", "toelichting": "Een lijst.",
        "email": "vrager@example.org", "organisatie": "gemeente-testdam"})
    steun = model.Session.query(VerzoekSteun).filter_by(verzoek_id=created["id"]).one()
    tk.get_action("verzoek_confirm")({"ignore_auth": True, "user": ""}, {"token": tokens.make(steun.id)})
    return int(created["id"])


def _verzoek_state(verzoek_id: int) -> tuple[str, bool, str | None]:
    from ckan import model

    from ckanext.openoverheid.verzoeken.model import Verzoek

    model.Session.expire_all()
    verzoek = model.Session.get(Verzoek, verzoek_id)
    return verzoek.status, bool(verzoek.hidden), verzoek.organization_id


@pytest.mark.parametrize("action, data, changed", [
    ("beantwoorden", {"status": "in_behandeling", "antwoord": "We kijken."}, ("in_behandeling", False, "testdam")),
    ("verbergen", {"reason": "Persoonsgegevens"}, ("ontvangen", True, "testdam")),
    ("doorsturen", {"organisatie": "gemeente-anderdorp"}, ("ontvangen", False, "anderdorp")),
], ids=["answer", "hide", "forward"])
def test_the_verzoeken_staff_forms_need_their_token(app, municipalities, action, data, changed):
    organisations = {"testdam": municipalities.testdam["id"], "anderdorp": municipalities.anderdorp["id"]}
    verzoek_id = _confirmed_verzoek()
    url = f"/verzoeken/{verzoek_id}/{action}"
    exempt_by_ckan(app, url, token=municipalities.other_editor["token"])
    staff = browser(app, municipalities.editor)
    for token in (None, "", "vervalst"):
        form = dict(data) if token is None else dict(data, _csrf_token=token)
        response = staff.post(url, data=form, follow_redirects=False)
        assert refused_as_forgery(response), (token, response.status_code)
        assert _verzoek_state(verzoek_id) == ("ontvangen", False, organisations["testdam"]), "a forged form changed it"

    token = token_of(staff, f"/verzoeken/{verzoek_id}/beantwoorden")
    accepted = staff.post(url, data=dict(data, _csrf_token=token), follow_redirects=False)
    assert accepted.status_code == 302, "with its token the editor's form is accepted"
    assert _verzoek_state(verzoek_id) == (changed[0], changed[1], organisations[changed[2]])

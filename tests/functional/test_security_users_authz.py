"""The authorisation matrix of everything the portal adds (issue 9, item 5).

Each operation below is an action or a write route of ours (``get_actions``/``get_auth_functions`` of
the plugins, and the views that take POST), or a CKAN action whose rule the portal relies on (harvest
sources of our types, closing a dataset). Each is called over HTTP on the real app, once per role, and
the answer and its effect are compared with who may do it. Roles: anonymous, a citizen (logged in,
no organisation), a plain member of the municipality, an editor of another municipality, the editor
and the admin of the municipality, and a sysadmin. Real PostgreSQL, Solr and Redis.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import meldingen_support
import pytest
from meldingen_support import IN_TESTDAM, create_melding

from ckanext.openoverheid.meldingen.model import Melding
from ckanext.openoverheid.verzoeken.model import Verzoek

municipalities = meldingen_support.municipalities

ROLES = ("anonymous", "citizen", "member", "other_editor", "editor", "admin", "sysadmin")
EVERYONE = frozenset(ROLES)
STAFF = frozenset({"editor", "admin", "sysadmin"})  # editors and admins of the municipality, and sysadmins
INSIDERS = STAFF | {"member"}  # anyone in the organisation
ANY_STAFF = STAFF | {"other_editor"}  # editors and admins of any municipality
NOBODY: frozenset[str] = frozenset()

MOTIVATION = "Openbaarmaking brengt de veiligheid van de medewerkers in gevaar."


@dataclass
class World:
    """What the operations work on: the app, the municipalities and their staff, and a closed dataset."""

    app: Any
    api: Callable[..., Any]
    people: Any  # meldingen_support.Municipalities
    sysadmin: dict[str, Any]
    closed: dict[str, Any]
    open311_key: str

    def headers(self, role: str) -> dict[str, str]:
        user = self.user(role)
        return {"Authorization": user["token"]} if user else {}

    def user(self, role: str) -> dict[str, Any] | None:
        return {"anonymous": None, "citizen": self.people.outsider, "sysadmin": self.sysadmin}.get(
            role, getattr(self.people, role, None))


@dataclass(frozen=True)
class Outcome:
    status: int
    happened: bool  # the write took effect, or the data was shown


@dataclass(frozen=True)
class Operation:
    name: str
    allowed: frozenset[str]
    run: Callable[[World, dict[str, str]], Outcome]
    allow: tuple[int, ...] = (200,)
    deny: tuple[int, ...] = (403,)


def _action(world: World, headers: dict[str, str], action: str, method: str = "POST", **data: Any) -> Any:
    if method == "GET":
        return world.app.get(f"/api/3/action/{action}", query_string=data, headers=headers)
    return world.app.post(f"/api/3/action/{action}", json=data, headers=headers)


def _melding(melding_id: int) -> Melding:
    from ckan import model

    model.Session.expire_all()
    return model.Session.get(Melding, melding_id)


def _status(response: Any) -> int:
    return response.status_code


# --- reading: everyone -------------------------------------------------------------------------------------------


def read_register(world: World, headers: dict[str, str]) -> Outcome:
    response = _action(world, headers, "openheid_register", "GET")
    shown = response.status_code == 200 and "dicht-testdam" in {d["name"] for d in response.json["result"]["datasets"]}
    return Outcome(_status(response), shown)


def read_register_page(world: World, headers: dict[str, str]) -> Outcome:
    response = world.app.get("/openheid", headers=headers)
    return Outcome(_status(response), "dicht-testdam" in response.get_data(as_text=True))


def read_meldingen(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding(description="Openbare melding")
    found = [_action(world, headers, "melding_search", "GET"), _action(world, headers, "melding_category_list", "GET"),
             _action(world, headers, "melding_show", "GET", id=melding["id"]),
             _action(world, headers, "melding_nearby", "GET", lat=IN_TESTDAM[0], lon=IN_TESTDAM[1],
                     service_code="losse-stoeptegel")]
    statuses = {r.status_code for r in found}
    return Outcome(max(statuses), statuses == {200})


def read_vergunningen(world: World, headers: dict[str, str]) -> Outcome:
    found = [_action(world, headers, "vergunningen_search", "GET", lat=52.09, lon=5.12),
             _action(world, headers, "vergunningen_locate", "GET", q="52.09, 5.12")]
    statuses = {r.status_code for r in found}
    return Outcome(max(statuses), statuses == {200})


def read_afvalkalender(world: World, headers: dict[str, str]) -> Outcome:
    # nobody harvested this address and ophalen=false: past the auth check, "not found" (404)
    response = _action(world, headers, "afvalkalender_show", "GET", postcode="3512AH", huisnummer=13, ophalen="false")
    return Outcome(_status(response), response.status_code == 404)


# --- meldingen: the municipality's staff ---------------------------------------------------------------------------


def show_hidden_melding(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding(description="Verborgen melding")
    world.api("melding_hide", id=melding["id"], hidden=True, reason="Scheldwoorden")
    response = _action(world, headers, "melding_show", "GET", id=melding["id"])
    return Outcome(_status(response), response.status_code == 200)


def change_status(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding()
    response = _action(world, headers, "melding_update_create", id=melding["id"], status="in_behandeling")
    return Outcome(_status(response), _melding(melding["id"]).status == "in_behandeling")


def respond_on_the_page(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding()
    response = world.app.post(f"/meldingen/{melding['id']}/bijwerken", headers=headers,
                              data={"text": "We komen kijken."}, follow_redirects=False)
    return Outcome(_status(response), len(_melding(melding["id"]).updates) == 1)


def hide(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding()
    response = _action(world, headers, "melding_hide", id=melding["id"], hidden=True, reason="Persoonsgegevens")
    return Outcome(_status(response), _melding(melding["id"]).hidden)


def hide_on_the_page(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding()
    response = world.app.post(f"/meldingen/{melding['id']}/verbergen", headers=headers, data={"hidden": "true"},
                              follow_redirects=False)
    return Outcome(_status(response), _melding(melding["id"]).hidden)


def _melding_with_photo() -> int:
    """A melding with photo columns (the file is not needed to hide it)."""
    from ckan import model

    melding_id = create_melding()["id"]
    stored = _melding(melding_id)
    stored.photo, stored.photo_thumbnail = "meldingen/matrix.jpg", "meldingen/matrix-klein.jpg"
    model.Session.commit()
    return melding_id


def hide_photo(world: World, headers: dict[str, str]) -> Outcome:
    melding_id = _melding_with_photo()
    response = _action(world, headers, "melding_photo_hide", id=melding_id, reason="Kenteken")
    return Outcome(_status(response), _melding(melding_id).photo_hidden)


def hide_photo_on_the_page(world: World, headers: dict[str, str]) -> Outcome:
    melding_id = _melding_with_photo()
    response = world.app.post(f"/meldingen/{melding_id}/foto/verbergen", headers=headers,
                              data={"reason": "Gezicht"}, follow_redirects=False)
    return Outcome(_status(response), _melding(melding_id).photo_hidden)


def queue(world: World, headers: dict[str, str]) -> Outcome:
    response = _action(world, headers, "melding_queue", "GET")
    return Outcome(_status(response), response.status_code == 200)


def queue_of_testdam(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding(description="In de wachtrij van Testdam")
    response = _action(world, headers, "melding_queue", "GET", organization="gemeente-testdam")
    shown = response.status_code == 200 and melding["id"] in {m["id"] for m in response.json["result"]["results"]}
    return Outcome(_status(response), shown)


def statistics_of_testdam(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding(description="Geteld in Testdam")
    response = _action(world, headers, "melding_statistics", "GET", organization="gemeente-testdam", reports=True)
    shown = response.status_code == 200 and melding["id"] in {m["id"] for m in response.json["result"]["reports"]}
    return Outcome(_status(response), shown)


def dashboard_export_of_testdam(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding(description="Geteld in Testdam")
    response = world.app.get("/meldingen/dashboard.csv", headers=headers, follow_redirects=False,
                             query_string={"soort": "meldingen", "organisatie": "gemeente-testdam"})
    shown = response.status_code == 200 and f"\r\n{melding['id']}," in response.get_data(as_text=True)
    return Outcome(_status(response), shown)


def queue_page(world: World, headers: dict[str, str]) -> Outcome:
    response = world.app.get("/meldingen/beheer", headers=headers, follow_redirects=False)
    return Outcome(_status(response), response.status_code == 200)


def queue_page_of_testdam(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding(description="Op de beheerpagina van Testdam")
    response = world.app.get("/meldingen/beheer", query_string={"organisatie": "gemeente-testdam"}, headers=headers,
                             follow_redirects=False)
    return Outcome(_status(response), f'href="/meldingen/{melding["id"]}"' in response.get_data(as_text=True))


# --- reporting -------------------------------------------------------------------------------------------------------


def report(world: World, headers: dict[str, str]) -> Outcome:
    response = _action(world, headers, "melding_create", service_code="zwerfafval", description="Zwerfafval",
                       lat=IN_TESTDAM[0], lon=IN_TESTDAM[1])
    return Outcome(_status(response), response.status_code == 200)


# --- the reporter's follow-up: the signed link in their mail is the authority, whoever holds it -------------------


def _reporter_link(purpose: str, melding_id: int) -> str:
    from ckanext.openoverheid.meldingen import followup_tokens

    return followup_tokens.for_melding(followup_tokens.Purpose(purpose), melding_id)


def add_with_the_link(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding(email=meldingen_support.unique_email())
    token = _reporter_link("add", melding["id"])
    shown = _action(world, headers, "melding_followup_link_show", "GET", id=melding["id"], token=token, purpose="add")
    response = _action(world, headers, "melding_reporter_update_create", id=melding["id"], token=token, text="Erbij")
    return Outcome(max(_status(shown), _status(response)), [u.kind for u in _melding(melding["id"]).updates] ==
                   ["reporter"])


def add_with_another_reports_link(world: World, headers: dict[str, str]) -> Outcome:
    melding = create_melding(email=meldingen_support.unique_email())
    other = create_melding(email=meldingen_support.unique_email())
    response = _action(world, headers, "melding_reporter_update_create", id=melding["id"],
                       token=_reporter_link("add", other["id"]), text="Erbij")
    return Outcome(_status(response), bool(_melding(melding["id"]).updates))


def answer_with_the_link(world: World, headers: dict[str, str]) -> Outcome:
    from ckan import model

    from ckanext.openoverheid.meldingen.model import MeldingFeedback, utcnow

    melding = create_melding(email=meldingen_support.unique_email())
    world.api("melding_update_create", id=melding["id"], status="opgelost")
    _melding(melding["id"]).solved_question_sent = utcnow()
    model.Session.commit()
    response = _action(world, headers, "melding_solved_answer", id=melding["id"],
                       token=_reporter_link("solved", melding["id"]), solved=True)
    return Outcome(_status(response), model.Session.query(MeldingFeedback).filter_by(
        melding_id=melding["id"]).count() == 1)


def my_reports_with_the_link(world: World, headers: dict[str, str]) -> Outcome:
    from ckanext.openoverheid.meldingen import followup_tokens

    email = meldingen_support.unique_email()
    melding = create_melding(email=email)
    asked = _action(world, headers, "melding_my_reports_request", email=email)
    listed = _action(world, headers, "melding_my_reports_list", "GET",
                     token=followup_tokens.make(followup_tokens.Purpose.MY_REPORTS, email))
    found = listed.status_code == 200 and [r["id"] for r in listed.json["result"]["results"]] == [melding["id"]]
    return Outcome(max(_status(asked), _status(listed)), found)


def _open311(world: World, headers: dict[str, str], **extra: str) -> Outcome:
    from ckan import model

    description = f"Open311 {uuid.uuid4().hex[:8]}"
    response = world.app.post("/open311/v2/requests.json", headers=headers, data={
        "service_code": "zwerfafval", "description": description, "lat": str(IN_TESTDAM[0]),
        "long": str(IN_TESTDAM[1]), **extra})
    model.Session.expire_all()
    return Outcome(_status(response), model.Session.query(Melding).filter_by(description=description).count() == 1)


def open311_with_key(world: World, headers: dict[str, str]) -> Outcome:
    return _open311(world, headers, api_key=world.open311_key)


def open311_without_key(world: World, headers: dict[str, str]) -> Outcome:
    """Being logged in (even as sysadmin) is no Open311 api_key."""
    return _open311(world, headers)


# --- datasets and harvest sources ----------------------------------------------------------------------------------


def _harvest_source(world: World, headers: dict[str, str], source_type: str, config: dict[str, Any]) -> Outcome:
    from ckan import model

    name = f"bron-{source_type}-{uuid.uuid4().hex[:8]}"
    response = _action(world, headers, "harvest_source_create", name=name, title=f"Bron {name}",
                       url="http://127.0.0.1:9/bron", source_type=source_type, frequency="MANUAL",
                       owner_org=world.people.testdam["id"], config=json.dumps(config))
    return Outcome(_status(response), model.Package.get(name) is not None)


def vergunningen_source(world: World, headers: dict[str, str]) -> Outcome:
    return _harvest_source(world, headers, "vergunningen", {"gemeente": "Testdam"})


def afvalkalender_source(world: World, headers: dict[str, str]) -> Outcome:
    return _harvest_source(world, headers, "afvalkalender", {"gemeente": "Testdam", "provider": "mijnafvalwijzer",
                                                              "apikey": "geheim", "adressen": ["3512AH 13"]})


def close_dataset(world: World, headers: dict[str, str]) -> Outcome:
    from ckan import model

    name = f"open-{uuid.uuid4().hex[:8]}"
    world.api("package_create", name=name, title="Nog open", notes="Open gegevens.",
              owner_org=world.people.testdam["id"])
    response = _action(world, headers, "package_patch", id=name, access_rights="niet-publiek",
                       woo_grounds=["5.1.2.e"], woo_motivation=MOTIVATION,
                       review_date=(datetime.date.today() + datetime.timedelta(days=90)).isoformat())
    model.Session.expire_all()
    return Outcome(_status(response), model.Package.get(name).extras.get("access_rights") == "niet-publiek")


def closed_resource(world: World, headers: dict[str, str]) -> Outcome:
    resource_id = world.closed["resources"][0]["id"]
    response = _action(world, headers, "resource_show", "GET", id=resource_id)
    return Outcome(_status(response), response.status_code == 200 and "dicht.csv" in response.json["result"]["url"])


def closed_dataset_data(world: World, headers: dict[str, str]) -> Outcome:
    """Everyone sees that the dataset exists and why it is closed; only insiders see its resources."""
    response = _action(world, headers, "package_show", "GET", id="dicht-testdam")
    result = response.json["result"] if response.status_code == 200 else {}
    assert response.status_code != 200 or result["woo_motivation"] == MOTIVATION
    return Outcome(200 if result.get("resources") else 403, bool(result.get("resources")))


def closed_dataset_history(world: World, headers: dict[str, str]) -> Outcome:
    activities = world.api("package_activity_list", id="dicht-testdam")
    response = _action(world, headers, "activity_data_show", "GET", id=activities[-1]["id"])
    shown = response.status_code == 200 and "dicht.csv" in json.dumps(response.json["result"])
    return Outcome(_status(response), shown)


def quality_of_closed_dataset(world: World, headers: dict[str, str]) -> Outcome:
    """A public dataset's score (of what the public sees: the closed one's distributions count for no one)."""
    response = _action(world, headers, "dataset_quality", "GET", id="dicht-testdam")
    result = response.json["result"] if response.status_code == 200 else {}
    return Outcome(_status(response), result.get("name") == "dicht-testdam")


def quality_of_private_dataset(world: World, headers: dict[str, str]) -> Outcome:
    name = f"prive-{uuid.uuid4().hex[:8]}"
    world.api("package_create", name=name, title="Nog niet gepubliceerd", notes="Concept.", private=True,
              owner_org=world.people.testdam["id"])
    response = _action(world, headers, "dataset_quality", "GET", id=name)
    return Outcome(_status(response), response.status_code == 200 and response.json["result"]["name"] == name)


# --- verzoeken: asked by anyone, answered by the organisation's staff ---------------------------------------------


def _verzoek(verzoek_id: int) -> Verzoek:
    from ckan import model

    model.Session.expire_all()
    return model.Session.get(Verzoek, verzoek_id)


def _confirmed_verzoek(titel: str = "Bomen van Testdam") -> int:
    """A data request to Testdam, confirmed with the token of its confirmation mail."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.openoverheid.verzoeken import tokens
    from ckanext.openoverheid.verzoeken.model import VerzoekSteun

    created = tk.get_action("verzoek_create")({"ignore_auth": True, "user": ""}, {
        "soort": "data", "titel": titel, "toelichting": "Een lijst.",
        "email": f"vrager-{uuid.uuid4().hex[:8]}@example.org", "organisatie": "gemeente-testdam"})
    steun = model.Session.query(VerzoekSteun).filter_by(verzoek_id=created["id"]).one()
    tk.get_action("verzoek_confirm")({"ignore_auth": True, "user": ""}, {"token": tokens.make(steun.id)})
    return int(created["id"])


def read_verzoeken(world: World, headers: dict[str, str]) -> Outcome:
    verzoek_id = _confirmed_verzoek("Openbaar verzoek")
    found = [_action(world, headers, "verzoek_list", "GET"),
             _action(world, headers, "verzoek_show", "GET", id=verzoek_id),
             _action(world, headers, "verzoek_similar", "GET", titel="Openbaar verzoek")]
    statuses = {r.status_code for r in found}
    return Outcome(max(statuses), statuses == {200})


def ask_support_and_confirm(world: World, headers: dict[str, str]) -> Outcome:
    from ckan import model

    from ckanext.openoverheid.verzoeken import tokens
    from ckanext.openoverheid.verzoeken.model import VerzoekSteun

    asked = _action(world, headers, "verzoek_create", soort="idee", titel="Meer bankjes",
                    toelichting="Langs het water.", email=f"vrager-{uuid.uuid4().hex[:8]}@example.org")
    if asked.status_code != 200:
        return Outcome(_status(asked), False)
    steun = model.Session.query(VerzoekSteun).filter_by(verzoek_id=asked.json["result"]["id"]).one()
    confirmed = _action(world, headers, "verzoek_confirm", token=tokens.make(steun.id))
    supported = _action(world, headers, "verzoek_steun", id=asked.json["result"]["id"],
                        email=f"steun-{uuid.uuid4().hex[:8]}@example.org")
    statuses = {asked.status_code, confirmed.status_code, supported.status_code}
    return Outcome(max(statuses), statuses == {200})


def show_hidden_verzoek(world: World, headers: dict[str, str]) -> Outcome:
    verzoek_id = _confirmed_verzoek()
    world.api("verzoek_hide", id=verzoek_id, reason="Persoonsgegevens")
    response = _action(world, headers, "verzoek_show", "GET", id=verzoek_id)
    return Outcome(_status(response), response.status_code == 200)


def list_hidden_verzoeken(world: World, headers: dict[str, str]) -> Outcome:
    verzoek_id = _confirmed_verzoek("Verborgen in de lijst")
    world.api("verzoek_hide", id=verzoek_id, reason="Persoonsgegevens")
    response = _action(world, headers, "verzoek_list", "GET", include_hidden="true", organisatie="gemeente-testdam")
    shown = response.status_code == 200 and verzoek_id in {r["id"] for r in response.json["result"]["results"]}
    return Outcome(_status(response), shown)


def answer_verzoek(world: World, headers: dict[str, str]) -> Outcome:
    verzoek_id = _confirmed_verzoek()
    response = _action(world, headers, "verzoek_update", id=verzoek_id, status="in_behandeling", antwoord="We kijken.")
    return Outcome(_status(response), _verzoek(verzoek_id).status == "in_behandeling")


def answer_verzoek_on_the_page(world: World, headers: dict[str, str]) -> Outcome:
    verzoek_id = _confirmed_verzoek()
    response = world.app.post(f"/verzoeken/{verzoek_id}/beantwoorden", headers=headers,
                              data={"status": "in_behandeling", "antwoord": "We kijken."}, follow_redirects=False)
    return Outcome(_status(response), _verzoek(verzoek_id).status == "in_behandeling")


def hide_verzoek(world: World, headers: dict[str, str]) -> Outcome:
    verzoek_id = _confirmed_verzoek()
    response = _action(world, headers, "verzoek_hide", id=verzoek_id, reason="Persoonsgegevens")
    return Outcome(_status(response), _verzoek(verzoek_id).hidden)


def hide_verzoek_on_the_page(world: World, headers: dict[str, str]) -> Outcome:
    verzoek_id = _confirmed_verzoek()
    response = world.app.post(f"/verzoeken/{verzoek_id}/verbergen", headers=headers,
                              data={"reason": "Persoonsgegevens"}, follow_redirects=False)
    return Outcome(_status(response), _verzoek(verzoek_id).hidden)


def forward_verzoek_on_the_page(world: World, headers: dict[str, str]) -> Outcome:
    verzoek_id = _confirmed_verzoek()
    response = world.app.post(f"/verzoeken/{verzoek_id}/doorsturen", headers=headers,
                              data={"organisatie": "gemeente-anderdorp"}, follow_redirects=False)
    return Outcome(_status(response), _verzoek(verzoek_id).organization_id == world.people.anderdorp["id"])


def verzoeken_queue_page(world: World, headers: dict[str, str]) -> Outcome:
    response = world.app.get("/verzoeken/behandelen", headers=headers, follow_redirects=False)
    return Outcome(_status(response), response.status_code == 200)


OPERATIONS = (
    Operation("openheid_register (action)", EVERYONE, read_register),
    Operation("/openheid (page)", EVERYONE, read_register_page),
    Operation("melding_search, melding_category_list, melding_show, melding_nearby", EVERYONE, read_meldingen),
    Operation("vergunningen_search, vergunningen_locate", EVERYONE, read_vergunningen),
    Operation("afvalkalender_show", EVERYONE, read_afvalkalender, allow=(404,)),
    Operation("melding_create (action)", EVERYONE, report),
    Operation("Open311 POST requests.json with api_key", EVERYONE, open311_with_key, allow=(201,)),
    Operation("Open311 POST requests.json without api_key", NOBODY, open311_without_key, allow=(201,)),
    Operation("melding_followup_link_show, melding_reporter_update_create with the reporter's link", EVERYONE,
              add_with_the_link),
    Operation("melding_reporter_update_create with another melding's link", NOBODY, add_with_another_reports_link),
    Operation("melding_solved_answer with the reporter's link", EVERYONE, answer_with_the_link),
    Operation("melding_my_reports_request, melding_my_reports_list with the mailed link", EVERYONE,
              my_reports_with_the_link),
    Operation("melding_show of a hidden melding", STAFF, show_hidden_melding),
    Operation("melding_update_create: status (action)", STAFF, change_status),
    Operation("POST /meldingen/<id>/bijwerken: response (page)", STAFF, respond_on_the_page, allow=(302,)),
    Operation("melding_hide (action)", STAFF, hide),
    Operation("POST /meldingen/<id>/verbergen (page)", STAFF, hide_on_the_page, allow=(302,)),
    Operation("melding_photo_hide (action)", STAFF, hide_photo),
    Operation("POST /meldingen/<id>/foto/verbergen (page)", STAFF, hide_photo_on_the_page, allow=(302,)),
    Operation("melding_queue (own municipalities)", ANY_STAFF, queue),
    Operation("melding_queue of gemeente-testdam", STAFF, queue_of_testdam),
    Operation("/meldingen/beheer (page)", ANY_STAFF, queue_page, deny=(302, 403)),
    Operation("/meldingen/beheer?organisatie=gemeente-testdam", STAFF, queue_page_of_testdam, deny=(302, 403)),
    Operation("melding_statistics of gemeente-testdam", STAFF, statistics_of_testdam),
    Operation("/meldingen/dashboard.csv?organisatie=gemeente-testdam", STAFF, dashboard_export_of_testdam,
              deny=(302, 403)),
    Operation("harvest_source_create: vergunningen", STAFF, vergunningen_source),
    Operation("harvest_source_create: afvalkalender", STAFF, afvalkalender_source),
    Operation("package_patch: close a dataset of gemeente-testdam", STAFF, close_dataset),
    Operation("resource_show of a closed dataset", INSIDERS, closed_resource),
    Operation("package_show of a closed dataset: its resources", INSIDERS, closed_dataset_data),
    Operation("activity_data_show of a closed dataset", STAFF, closed_dataset_history),
    Operation("dataset_quality of a public dataset", EVERYONE, quality_of_closed_dataset),
    Operation("dataset_quality of a private dataset", INSIDERS, quality_of_private_dataset),
    Operation("verzoek_list, verzoek_show, verzoek_similar", EVERYONE, read_verzoeken),
    Operation("verzoek_create, verzoek_confirm with the mailed token, verzoek_steun", EVERYONE,
              ask_support_and_confirm),
    Operation("verzoek_show of a hidden request", STAFF, show_hidden_verzoek, deny=(403, 404)),
    Operation("verzoek_list include_hidden of gemeente-testdam", STAFF, list_hidden_verzoeken, deny=(200,)),
    Operation("verzoek_update: status and response (action)", STAFF, answer_verzoek),
    Operation("POST /verzoeken/<id>/beantwoorden (page)", STAFF, answer_verzoek_on_the_page, allow=(302,)),
    Operation("verzoek_hide (action)", STAFF, hide_verzoek),
    Operation("POST /verzoeken/<id>/verbergen (page)", STAFF, hide_verzoek_on_the_page, allow=(302,)),
    Operation("POST /verzoeken/<id>/doorsturen (page)", STAFF, forward_verzoek_on_the_page, allow=(302,)),
    Operation("/verzoeken/behandelen (page)", ANY_STAFF, verzoeken_queue_page, deny=(302, 403)),
)


@pytest.fixture
def world(app: Any, api: Any, sysadmin: dict[str, Any], municipalities: Any, ckan_config: Any,
          monkeypatch: Any) -> World:
    from ckanext.openoverheid.meldingen import apikeys

    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.rate_limit", 1000)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.my_reports_rate_limit", 1000)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.verzoeken.rate_limit", 1000)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.verzoeken.address_rate_limit", 1000)
    closed = api("package_create", name="dicht-testdam", title="Dicht in Testdam", notes="Gesloten gegevens.",
                 owner_org=municipalities.testdam["id"], access_rights="niet-publiek", woo_grounds=["5.1.2.e"],
                 woo_motivation=MOTIVATION,
                 review_date=(datetime.date.today() + datetime.timedelta(days=200)).isoformat(),
                 resources=[{"url": "https://data.testdam.example/dicht.csv", "format": "CSV"}])
    return World(app=app, api=api, people=municipalities, sysadmin=sysadmin, closed=closed,
                 open311_key=apikeys.create("matrix-app")[1])


@pytest.mark.parametrize("role", ROLES)
def test_authorisation_matrix(world, role):
    headers = world.headers(role)
    wrong = []
    for operation in OPERATIONS:
        outcome = operation.run(world, headers)
        expected = "allowed" if role in operation.allowed else "refused"
        if outcome.status in operation.allow and outcome.happened:
            got = "allowed"
        elif outcome.status in operation.deny and not outcome.happened:
            got = "refused"
        else:
            got = f"HTTP {outcome.status} with effect {outcome.happened}"
        if got != expected:
            wrong.append(f"{operation.name}: should be {expected}, was {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_every_action_and_write_route_of_ours_is_in_the_matrix(app):
    """A new action or POST route must join the matrix (or this list of reads that need no role)."""
    from ckanext.openoverheid.afvalkalender.logic import action as afvalkalender
    from ckanext.openoverheid.harvest.logic import action as harvest
    from ckanext.openoverheid.logic import action as portal
    from ckanext.openoverheid.meldingen.logic import action as meldingen
    from ckanext.openoverheid.vergunningen.logic import action as vergunningen
    from ckanext.openoverheid.verzoeken.logic import action as verzoeken

    actions = {**portal.get_actions(), **meldingen.get_actions(), **afvalkalender.get_actions(),
               **vergunningen.get_actions(), **harvest.get_actions(), **verzoeken.get_actions()}
    # chained actions wrap CKAN's and ckanext-harvest's, whose own auth functions still decide
    ours = {name for name, function in actions.items() if not getattr(function, "chained_action", False)}
    covered = " ".join(operation.name for operation in OPERATIONS)
    assert not sorted(name for name in ours if name not in covered)

    posts = sorted(rule.rule for rule in app.flask_app.url_map.iter_rules()
                   if "POST" in (rule.methods or ()) and rule.endpoint.split(".")[0] in (
                       "meldingen", "open311", "openheid", "openoverheid_feeds", "openoverheid_api", "export",
                       "verzoeken", "verzoeken_staff"))
    assert posts == ["/meldingen/<int:id>/aanvullen/<token>", "/meldingen/<int:id>/bijwerken",
                     "/meldingen/<int:id>/foto/verbergen", "/meldingen/<int:id>/opgelost/<token>",
                     "/meldingen/<int:id>/verbergen", "/meldingen/mijn-meldingen", "/meldingen/nieuw",
                     "/open311/v2/requests.<any(json,xml):fmt>", "/verzoeken/<int:id>/beantwoorden",
                     "/verzoeken/<int:id>/doorsturen", "/verzoeken/<int:id>/steunen", "/verzoeken/<int:id>/verbergen",
                     "/verzoeken/nieuw"], posts

"""The ``publicatie`` type and the organisation's ``tooi_identifier``: what the Action API accepts
and refuses, in the user's language."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

pytestmark = pytest.mark.usefixtures("portal")

UTRECHT = "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"
WOO_VERZOEKEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532"
VASTSTELLING = "https://identifier.overheid.nl/tooi/def/thes/kern/c_641ecd76"
MOTIVATION = "De namen en adressen van omwonenden in dit document zijn persoonsgegevens van burgers."


def in_a_year() -> str:
    return (datetime.date.today() + datetime.timedelta(days=365)).isoformat()


def publication(org: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"name": "besluit-woo-parkeren", "title": "Besluit op Woo-verzoek parkeervergunningen",
            "owner_org": org["id"], "type": "publicatie", "informatiecategorie": WOO_VERZOEKEN,
            "handeling_datum": "2026-11-28", **fields}


def error_of(response: Any) -> dict[str, Any]:
    body = response.get_json()
    assert body["success"] is False, body
    return body["error"]


def test_the_organisation_tooi_identifier_is_checked_against_the_lists(api: Any, app: Any, sysadmin: dict) -> None:
    org = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht", tooi_identifier=UTRECHT)
    assert api("organization_show", _method="GET", id=org["id"])["tooi_identifier"] == UTRECHT
    response = app.post("/api/3/action/organization_create", headers={"Authorization": sysadmin["token"]},
                        json={"name": "gemeente-nergens", "tooi_identifier": UTRECHT[:-4] + "9999"})
    assert "niet in de lijst" in error_of(response)["tooi_identifier"][0]


@pytest.mark.parametrize("category", [None, "https://identifier.overheid.nl/tooi/def/thes/kern/c_00000000"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_publication_without_a_known_category_is_refused_naming_the_field(
        api: Any, app: Any, sysadmin: dict, category: str | None, language: str) -> None:
    org = api("organization_create", name=f"org-{language}-{str(bool(category)).lower()}")
    data = publication(org, informatiecategorie=category)
    prefix = "/en" if language == "en" else ""
    response = app.post(f"{prefix}/api/3/action/package_create", json=data,
                        headers={"Authorization": sysadmin["token"]})
    messages = error_of(response)["informatiecategorie"]
    expected = {("nl", False): "Ontbrekende waarde", ("en", False): "Missing value",
                ("nl", True): "Informatiecategorie: ", ("en", True): "Information category: "}
    assert expected[(language, bool(category))] in messages[0]


def test_each_document_has_its_own_openness(api: Any, app: Any, sysadmin: dict) -> None:
    org = api("organization_create", name="gemeente-utrecht", tooi_identifier=UTRECHT)
    pub = api("package_create", **publication(org, resources=[
        {"name": "Besluit", "url": "https://example.org/besluit.pdf"},
        {"name": "Bijlage", "url": "https://example.org/bijlage.pdf", "access_rights": "niet-publiek",
         "woo_grounds": ["5.1.2.e"], "woo_motivation": MOTIVATION, "review_date": in_a_year()},
    ]))
    assert pub["handeling"] == VASTSTELLING
    besluit, bijlage = pub["resources"]
    assert besluit["access_rights"] == "publiek" and "woo_grounds" not in besluit
    assert bijlage["access_rights"] == "niet-publiek" and bijlage["woo_grounds"] == ["5.1.2.e"]
    assert bijlage["closed_since"] == datetime.date.today().isoformat()

    response = app.post("/api/3/action/resource_create", headers={"Authorization": sysadmin["token"]},
                        json={"package_id": pub["id"], "url": "https://example.org/x.pdf",
                              "access_rights": "beperkt", "woo_motivation": "n.v.t."})
    errors = error_of(response)
    assert "woo_grounds" in errors and "woo_motivation" in errors and "review_date" in errors


def test_a_publication_needs_only_a_title_an_organisation_and_a_category(api: Any) -> None:
    org = api("organization_create", name="gemeente-utrecht")
    pub = api("package_create", type="publicatie", name="convenant-fietsparkeren", title="Convenant fietsparkeren",
              owner_org=org["id"], informatiecategorie="https://identifier.overheid.nl/tooi/def/thes/kern/c_8fc2335c")
    assert pub["handeling"] == VASTSTELLING and "handeling_datum" not in pub

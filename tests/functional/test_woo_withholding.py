"""A Woo publication that is partly public: its closed document stays listed with its grounds, but
its data (a unique marker in its URL and description) reaches nobody outside the organisation, in
any channel; the openheidsregister lists the closure."""

from __future__ import annotations

import csv
import datetime
import io
import uuid
from typing import Any

import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("portal")

WOO_VERZOEKEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532"
MOTIVATION = "De bijlage bevat namen en adressen van omwonenden; dat zijn persoonsgegevens van burgers."


@pytest.fixture
def publication(api: Any) -> dict[str, Any]:
    # letters only: Solr's word splitting would cut a mixed marker into tokens found elsewhere
    marker = "geheim" + uuid.uuid4().hex[:12].translate(str.maketrans("0123456789", "ghijklmnop"))
    org = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht",
              tooi_identifier="https://identifier.overheid.nl/tooi/id/gemeente/gm0344")
    editor = factories.UserWithToken()
    api("organization_member_create", id=org["id"], username=editor["name"], role="editor")
    outsider = factories.UserWithToken()
    other = api("organization_create", name="gemeente-zwolle")
    api("organization_member_create", id=other["id"], username=outsider["name"], role="admin")
    review = (datetime.date.today() + datetime.timedelta(days=400)).isoformat()
    pub = api("package_create", type="publicatie", name="besluit-woo-parkeren", owner_org=org["id"],
              title="Besluit op Woo-verzoek parkeervergunningen", informatiecategorie=WOO_VERZOEKEN,
              handeling_datum="2026-11-28", resources=[
                  {"name": "Besluit", "url": "https://documenten.utrecht.nl/besluit.pdf", "format": "PDF"},
                  {"name": "Bijlage omwonenden", "url": f"https://documenten.utrecht.nl/{marker}/bijlage.pdf",
                   "description": f"Lijst {marker}", "format": "PDF", "access_rights": "niet-publiek",
                   "woo_grounds": ["5.1.2.e"], "woo_motivation": MOTIVATION, "review_date": review},
              ])
    return {"marker": marker, "org": org, "pub": pub, "editor": editor, "outsider": outsider, "review": review}


def action(app: Any, name: str, token: str | None = None, **params: Any) -> Any:
    headers = {"Authorization": token} if token else {}
    return app.get(f"/api/3/action/{name}", query_string=params, headers=headers)


def test_the_closed_document_is_listed_with_its_grounds_but_without_its_data(app, publication):
    marker, pub = publication["marker"], publication["pub"]
    outsiders = {"anonymous": None, "editor of another organisation": publication["outsider"]["token"]}
    for who, token in outsiders.items():
        shown = action(app, "package_show", token, id=pub["name"])
        assert marker not in shown.get_data(as_text=True), who
        besluit, bijlage = shown.get_json()["result"]["resources"]
        assert besluit["url"] == "https://documenten.utrecht.nl/besluit.pdf"
        assert bijlage["name"] == "Bijlage omwonenden" and bijlage["data_withheld"] is True
        assert bijlage["woo_grounds"] == ["5.1.2.e"] and bijlage["woo_motivation"] == MOTIVATION
        assert bijlage["review_date"] == publication["review"] and bijlage["url"] == ""
        assert action(app, "resource_show", token, id=bijlage["id"]).status_code == 403, who
        found = action(app, "package_search", token, q="name:besluit-woo-parkeren")
        assert found.get_json()["result"]["count"] == 1 and marker not in found.get_data(as_text=True), who
        assert action(app, "package_search", token, q=marker).get_json()["result"]["count"] == 0, who
        assert action(app, "resource_search", token, query=f"url:{marker}").get_json()["result"]["count"] == 0
    member = action(app, "package_show", publication["editor"]["token"], id=pub["name"]).get_json()["result"]
    assert marker in member["resources"][1]["url"]
    assert action(app, "resource_show", publication["editor"]["token"], id=member["resources"][1]["id"]).status_code \
        == 200


def test_an_edit_by_a_member_keeps_the_closed_documents_url(app, publication):
    """resource_create reads the publication and writes it back: from the database, never from the
    search index's copy, whose closed document has no URL."""
    editor = publication["editor"]["token"]
    response = app.post("/api/3/action/resource_create", headers={"Authorization": editor},
                        json={"package_id": publication["pub"]["id"], "name": "Nog een bijlage",
                              "url": "https://documenten.utrecht.nl/nog-een.pdf"})
    assert response.status_code == 200, response.get_json()
    resources = action(app, "package_show", editor, id=publication["pub"]["id"]).get_json()["result"]["resources"]
    assert len(resources) == 3 and publication["marker"] in resources[1]["url"]


def test_the_page_and_the_catalogue_channels_do_not_leak_it(app, publication):
    marker, pub = publication["marker"], publication["pub"]
    bijlage = pub["resources"][1]
    page = app.get(f"/publicatie/{pub['name']}")
    assert page.status_code == 200 and "Bijlage omwonenden" in page.get_data(as_text=True)
    assert marker not in page.get_data(as_text=True)
    # its facts once (no "Extra informatie" table repeating them), and no data licence
    assert "Extra informatie" not in page.get_data(as_text=True) and "licentie" not in page.get_data(as_text=True)
    resource_page = app.get(f"/publicatie/{pub['name']}/resource/{bijlage['id']}").get_data(as_text=True)
    assert marker not in resource_page and "Dit document is niet openbaar" in resource_page
    assert "art. 5.1.2.e" in resource_page and MOTIVATION in resource_page and "Package id" not in resource_page
    assert app.get(f"/publicatie/{pub['name']}/resource/{bijlage['id']}/download").status_code in (403, 404)
    for url in ("/export/datasets.jsonl", "/export/datasets.csv", "/feeds/dataset.atom", "/catalog.ttl",
                f"/publicatie/{pub['name']}.ttl"):
        response = app.get(url)
        assert marker not in response.get_data(as_text=True), url


def test_the_register_lists_the_closed_document_with_its_grounds(app, publication):
    pub = publication["pub"]
    register = action(app, "openheid_register").get_json()["result"]
    assert register["count"] == 0 and register["document_count"] == 1
    (entry,) = register["documents"]
    assert entry["name"] == "Bijlage omwonenden" and entry["publication"]["name"] == pub["name"]
    assert entry["woo_grounds"] == ["5.1.2.e"] and entry["woo_motivation"] == MOTIVATION
    assert entry["publication"]["url"].endswith(f"/publicatie/{pub['name']}")
    assert entry["closed_since"] == datetime.date.today().isoformat()
    page = app.get("/openheid").get_data(as_text=True)
    assert "Bijlage omwonenden" in page and "Besluit op Woo-verzoek parkeervergunningen" in page
    rows = list(csv.DictReader(io.StringIO(app.get("/openheid.csv").get_data(as_text=True))))
    assert [(row["name"], row["document"], row["woo_grounds"]) for row in rows] == \
        [(pub["name"], "Bijlage omwonenden", "5.1.2.e")]
    assert "Bijlage omwonenden" in app.get("/feeds/openheid.atom").get_data(as_text=True)


def test_a_dataset_search_points_to_the_publications_its_words_find(app, publication):
    page = app.get("/dataset/", query_string={"q": "parkeervergunningen"}).get_data(as_text=True)
    assert "Ook 1 Woo-publicatie gevonden voor" in page and "/publicaties?q=parkeervergunningen" in page
    assert "Woo-publicatie" not in app.get("/dataset/", query_string={"q": "bomen"}).get_data(as_text=True)

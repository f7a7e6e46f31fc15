"""How people and feed readers find and read Woo publications: the page ``/publicaties`` and its filters,
a publication's page with each document's openness, a Woo-verzoek decision's inventory (page and CSV),
the feeds per organisation and category, the facet and the Action API's filter on the category.

One portal for the module (``world``): two organisations, three publications; the Woo decision has a
public document, a partly public one and a closed one whose file must never show outside Utrecht.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
import feedparser
import pytest
from bs4 import BeautifulSoup
from portal_support import module_portal

from ckanext.openoverheid.woo import pages

KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"
WOO_VERZOEKEN, ADVIEZEN, CONVENANTEN = KERN + "c_3baef532", KERN + "c_99a836c7", KERN + "c_8fc2335c"
CLOSED_FILE = "https://example.org/woo/e-mails-geheim.pdf"
MOTIVATION = "De e-mails bevatten namen en adressen van omwonenden."
DECISION, ADVICE, COVENANT = "besluit-woo-parkeren", "advies-fietsparkeren", "convenant-warmte"


def act(action: str, **data: Any) -> Any:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return tk.get_action(action)({"user": user["name"], "ignore_auth": True}, data)


@dataclass
class World:
    app: Any  # one app for the module: building one per test would cost more than the tests
    member_token: str
    admin_token: str


@pytest.fixture(scope="module")
def world(reset_db: Any, reset_index: Any, migrate_db_for: Any) -> Iterator[World]:
    from ckan.tests import factories

    with module_portal(reset_db, reset_index, migrate_db_for) as app:
        yield _fill(app, factories)


def _fill(app: Any, factories: Any) -> World:
    member, admin = factories.UserWithToken(), factories.SysadminWithToken()
    act("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht",
        users=[{"name": member["name"], "capacity": "member"}])
    act("organization_create", name="gemeente-zeist", title="Gemeente Zeist")
    review = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
    act("package_create", type="publicatie", name=DECISION, title="Besluit op Woo-verzoek parkeervergunningen",
        owner_org="gemeente-utrecht", informatiecategorie=WOO_VERZOEKEN, handeling_datum="2026-11-28",
        kenmerk="2026-0123", resources=[
            {"name": "Besluit", "url": "https://example.org/woo/besluit.pdf", "format": "PDF", "inventarisnummer": "1"},
            {"name": "Nota aan het college", "url": "https://example.org/woo/nota.pdf", "format": "PDF",
             "inventarisnummer": "2", "woo_redaction_grounds": ["5.1.2.e"]},
            {"name": "=E-mails met omwonenden", "url": CLOSED_FILE, "format": "PDF", "inventarisnummer": "3",
             "access_rights": "niet-publiek", "woo_grounds": ["5.1.2.e"], "woo_motivation": MOTIVATION,
             "review_date": review},
        ])
    act("package_create", type="publicatie", name=ADVICE, title="Advies fietsparkeren stationsgebied",
        owner_org="gemeente-utrecht", informatiecategorie=ADVIEZEN, handeling_datum="2026-01-15")
    act("package_create", type="publicatie", name=COVENANT, title="Convenant warmtenet Zeist",
        owner_org="gemeente-zeist", informatiecategorie=CONVENANTEN, handeling_datum="2025-03-01",
        resources=[{"name": "Convenant", "url": "https://example.org/convenant.pdf", "format": "PDF"}])
    return World(app=app, member_token=member["token"], admin_token=admin["token"])


@pytest.fixture
def app(world: World) -> Any:
    """The module's app (CKAN's ``app`` fixture builds one per test)."""
    return world.app


def page(app: Any, url: str, **kwargs: Any) -> BeautifulSoup:
    response = app.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def listed(app: Any, query: str) -> list[str]:
    soup = page(app, f"/publicaties?{query}")
    return [a.get_text(strip=True) for a in soup.select(".openoverheid-woo-item h3 a")]


@pytest.mark.parametrize(("query", "titles"), [
    ("", ["Besluit op Woo-verzoek parkeervergunningen", "Advies fietsparkeren stationsgebied",
          "Convenant warmtenet Zeist"]),
    ("organisatie=gemeente-zeist", ["Convenant warmtenet Zeist"]),
    ("categorie=014", ["Besluit op Woo-verzoek parkeervergunningen"]),
    ("van=2026-01-01", ["Besluit op Woo-verzoek parkeervergunningen", "Advies fietsparkeren stationsgebied"]),
    ("van=2026-01-01&tot=2026-06-30", ["Advies fietsparkeren stationsgebied"]),
    ("organisatie=gemeente-utrecht&categorie=011", []),
])
def test_publicaties_filters_on_organisation_category_and_date(app: Any, query: str,
                                                                titles: list[str]) -> None:
    assert listed(app, query) == titles


def test_publicaties_lists_each_publication_with_its_facts_and_announces_its_feeds(app: Any) -> None:
    soup = page(app, "/publicaties?categorie=014&organisatie=gemeente-utrecht")
    facts = soup.select_one(".openoverheid-woo-item dl").get_text(" ", strip=True)
    for text in ("Gemeente Utrecht", "Woo-verzoeken en -besluiten", "28 november 2026", "3 (1 niet openbaar)"):
        assert text in facts
    feeds = {link["href"] for link in soup.select('link[rel="alternate"]')}
    assert {"/feeds/publicaties.rss", "/feeds/publicaties/category/014.atom",
            "/feeds/publicaties/organization/gemeente-utrecht.rss"} <= feeds
    assert soup.select_one('nav a[href="/publicaties"]').get_text(strip=True) == "Publicaties"
    assert soup.select_one('link[rel="stylesheet"][href$="woo.css"]')


def test_publicaties_pages_through_the_results_keeping_the_filters(app: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 1)
    first = page(app, "/publicaties?organisatie=gemeente-utrecht")
    assert len(first.select(".openoverheid-woo-item")) == 1
    following = first.select_one('a[rel="next"]')["href"]
    assert "organisatie=gemeente-utrecht" in following and "pagina=2" in following
    second = page(app, following)
    assert [a.get_text(strip=True) for a in second.select(".openoverheid-woo-item h3 a")] == [
        "Advies fietsparkeren stationsgebied"]
    assert second.select_one('a[rel="next"]') is None


def test_a_wrong_date_is_reported_and_left_out(app: Any) -> None:
    soup = page(app, "/publicaties?van=28-11-2026")
    assert soup.select_one("#filter-van-error") is not None
    assert len(soup.select(".openoverheid-woo-item")) == 3


def test_search_words_solr_cannot_parse_are_reported_not_a_server_error(app: Any) -> None:
    soup = page(app, "/publicaties", query_string={"q": "{!lucene}parkeren"})
    assert soup.select_one("#filter-q-error") is not None


@pytest.mark.parametrize(("url", "mimetype"), [
    ("/publicaties/%00/inventaris", "text/html"), ("/publicaties/%00/inventaris.csv", "application/problem+json"),
    ("/publicaties/advies-fietsparkeren/inventaris.csv", "application/problem+json"),
    ("/feeds/publicaties/organization/%00.rss", "application/problem+json"),
    ("/feeds/publicaties/category/999.atom", "application/problem+json")])
def test_unknown_names_are_not_found_as_a_page_or_as_problem_json(app: Any, url: str, mimetype: str) -> None:
    response = app.get(url)
    assert response.status_code == 404
    assert response.mimetype == mimetype


def test_the_publication_page_lists_a_closed_document_with_its_grounds_and_without_its_file(app: Any) -> None:
    soup = page(app, f"/publicatie/{DECISION}")
    html = str(soup)
    assert CLOSED_FILE not in html
    documents = soup.select_one(".openoverheid-woo-documents").get_text(" ", strip=True)
    for text in ("Niet openbaar", "Deels openbaar", MOTIVATION, "art. 5.1.2.e"):
        assert text in documents
    assert soup.select_one('.openoverheid-woo-documents a[href="https://example.org/woo/besluit.pdf"]')
    facts = soup.select_one(".openoverheid-woo-facts").get_text(" ", strip=True)
    assert "Woo-verzoeken en -besluiten" in facts and "2026-0123" in facts and "Vaststelling" in facts
    assert soup.select_one(f'a[href="/publicaties/{DECISION}/inventaris"]')


def test_a_member_of_the_organisation_gets_the_closed_file(world: World, app: Any) -> None:
    soup = page(app, f"/publicatie/{DECISION}", headers={"Authorization": world.member_token})
    assert soup.select_one(f'.openoverheid-woo-documents a[href="{CLOSED_FILE}"]')


def test_the_inventory_lists_every_document_with_its_openness(app: Any) -> None:
    soup = page(app, f"/publicaties/{DECISION}/inventaris")
    assert CLOSED_FILE not in str(soup)
    cells = [[cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in soup.select("tbody tr")]
    assert [row[3].split()[-2:] for row in cells] == [["Openbaarheid", "Openbaar"], ["Deels", "openbaar"],
                                                      ["Niet", "openbaar"]]

    response = app.get(f"/publicaties/{DECISION}/inventaris.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["number"], r["openbaarheid"], r["grounds"]) for r in rows] == [
        ("1", "openbaar", ""), ("2", "deels openbaar", "5.1.2.e"), ("3", "niet openbaar", "5.1.2.e")]
    assert rows[2]["title"] == "'=E-mails met omwonenden" and rows[2]["url"] == ""
    assert "persoonlijke levenssfeer" in rows[2]["ground_labels"].lower()
    assert app.get(f"/publicaties/{ADVICE}/inventaris").status_code == 404


@pytest.mark.parametrize("url", ["/feeds/publicaties/organization/gemeente-utrecht.atom",
                                 "/feeds/publicaties/category/014.rss"])
def test_the_feeds_per_organisation_and_category_list_the_publication_and_no_closed_file(
        app: Any, url: str) -> None:
    response = app.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert "Besluit op Woo-verzoek parkeervergunningen" in [entry.title for entry in feed.entries]
    assert "Convenant warmtenet Zeist" not in [entry.title for entry in feed.entries]
    assert feed.entries[0].link.endswith(f"/publicatie/{DECISION}") or any(
        entry.link.endswith(f"/publicatie/{DECISION}") for entry in feed.entries)
    assert CLOSED_FILE.encode() not in response.data
    again = app.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_category_facet_counts_and_labels_and_the_api_filters_on_the_uri(app: Any) -> None:
    result = app.get("/api/3/action/package_search", query_string={
        "fq": "dataset_type:publicatie", "facet.field": '["informatiecategorie"]'}).get_json()["result"]
    counts = {item["name"]: (item["count"], item["display_name"])
              for item in result["search_facets"]["informatiecategorie"]["items"]}
    assert counts == {WOO_VERZOEKEN: (1, "Woo-verzoeken en -besluiten"), ADVIEZEN: (1, "Adviezen"),
                      CONVENANTEN: (1, "Convenanten")}
    filtered = app.get("/api/3/action/package_search",
                       query_string={"fq": f'informatiecategorie:"{WOO_VERZOEKEN}"'}).get_json()["result"]
    assert [pkg["name"] for pkg in filtered["results"]] == [DECISION]

    soup = page(app, "/publicatie/")
    assert "Woo-verzoeken en -besluiten" in soup.select_one("nav[aria-label$='Informatiecategorie']").get_text()
    assert "3 publicaties gevonden" in soup.select_one("h1").get_text()
    assert soup.select_one("#field-giant-search")["placeholder"] == "Publicaties doorzoeken"


@pytest.mark.parametrize(("query", "feed"), [
    ("", "/feeds/publicaties.rss"),
    (f"informatiecategorie={WOO_VERZOEKEN}", "/feeds/publicaties/category/014.rss"),
    ("organization=gemeente-zeist", "/feeds/publicaties/organization/gemeente-zeist.rss"),
])
def test_the_publication_search_announces_the_feed_of_publications(app: Any, query: str, feed: str) -> None:
    soup = page(app, f"/publicatie/?{query}")
    assert [link["href"] for link in soup.select('link[rel="alternate"][type="application/rss+xml"]')] == [feed]


def test_the_english_page_is_under_en(app: Any) -> None:
    soup = page(app, "/en/publicaties?categorie=014")
    assert soup.select_one("h1").get_text(strip=True) == "Publications"
    assert "Woo requests and decisions" in soup.select_one(".openoverheid-woo-item dl").get_text()


def test_the_document_form_asks_why_a_document_is_not_public(world: World, app: Any) -> None:
    publication = page(app, f"/publicatie/{DECISION}", headers={"Authorization": world.admin_token})
    assert publication.select_one(f'.openoverheid-woo-documents a[href="/publicatie/{DECISION}/resource/new"]')
    soup = page(app, f"/publicatie/{DECISION}/resource/new", headers={"Authorization": world.admin_token})
    fieldset = soup.select_one("#openoverheid-woo-fields")
    assert fieldset.select_one("legend").get_text(strip=True) == "Waarom is dit document niet openbaar?"
    assert fieldset.select_one('input[name="woo_grounds"]') and fieldset.select_one('[name="review_date"]')


def test_a_closed_documents_edit_form_shows_its_grounds_and_motivation(world: World, app: Any) -> None:
    closed = act("package_show", id=DECISION)["resources"][2]
    soup = page(app, f"/publicatie/{DECISION}/resource/{closed['id']}/edit",
                headers={"Authorization": world.admin_token})
    fieldset = soup.select_one("#openoverheid-woo-fields")
    assert fieldset.select_one('input[name="woo_grounds"][value="5.1.2.e"]').has_attr("checked")
    assert fieldset.select_one('textarea[name="woo_motivation"]').get_text(strip=True) == MOTIVATION

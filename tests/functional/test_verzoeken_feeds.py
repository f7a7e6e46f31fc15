"""RSS and Atom feeds of the public requests (/feeds/verzoeken.rss and .atom): newest change first,
per organisation and per kind, with the organisation's answer; never a hidden or unconfirmed request,
never an address. Requests made and confirmed through the API and a real SMTP server."""

from __future__ import annotations

import feedparser
import verzoeken_support
from lxml import etree
from verzoeken_support import api, confirmed_request, unique_email

municipalities = verzoeken_support.municipalities
verzoeken_limits = verzoeken_support.verzoeken_limits
sink = verzoeken_support.sink

GEORSS = "{http://www.georss.org/georss}point"


def _feed(app, kind="rss", prefix="", **query):
    response = app.get(f"{prefix}/feeds/verzoeken.{kind}", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed, response


def _titles(app, kind="rss", **query):
    return [entry.title.split(" (")[0] for entry in _feed(app, kind, **query)[0].entries]


def test_feeds_list_public_requests_newest_change_first_with_the_answer(app, verzoeken_limits, sink):
    bomen = confirmed_request(app, sink, soort="data", titel="Bomen in Testdam",
                              toelichting="Alle bomen met soort.", organisatie="gemeente-testdam")
    confirmed_request(app, sink, soort="idee", titel="Bankjes langs het water",
                      toelichting="Meer bankjes.", organisatie="gemeente-testdam", lat=52.09, lon=5.12)
    answered = api(app, "verzoek_update", verzoeken_limits.editor, id=bomen["id"], status="in_behandeling",
                   antwoord="Wij verzamelen de gegevens.")
    assert answered.status_code == 200, answered.json

    parsed, response = _feed(app, "rss")
    assert response.mimetype == "application/rss+xml"
    assert [e.title.split(" (")[0] for e in parsed.entries] == ["Bomen in Testdam", "Bankjes langs het water"]
    assert parsed.entries[0].link == f"http://test.ckan.net/verzoeken/{bomen['id']}"
    assert "Wij verzamelen de gegevens." in parsed.entries[0].summary
    assert parsed.feed.title.startswith("Dataverzoeken en ideeën")
    assert _feed(app, "rss", "/en")[0].feed.title.startswith("Data requests and ideas")
    assert b"<?xml-stylesheet" in response.data
    root = etree.fromstring(response.data, etree.XMLParser(resolve_entities=False))
    points = [item.find(GEORSS) for item in root.findall("channel/item")]
    assert points[0] is None and [float(v) for v in points[1].text.split()] == [52.09, 5.12]

    parsed, response = _feed(app, "atom")
    assert response.mimetype == "application/atom+xml"
    assert len(parsed.entries) == 2
    assert {t.term for t in parsed.entries[0].tags} == {"data", "in_behandeling"}


def test_feeds_filter_by_organisation_and_kind_and_say_so_in_their_title(app, verzoeken_limits, sink):
    confirmed_request(app, sink, soort="data", titel="Parkeerplaatsen Testdam", toelichting="Waar en hoeveel.",
                      organisatie="gemeente-testdam")
    confirmed_request(app, sink, soort="idee", titel="Moestuin in het park", toelichting="Samen tuinieren.",
                      organisatie="gemeente-testdam")
    confirmed_request(app, sink, soort="data", titel="Fietspaden Anderdorp", toelichting="Alle fietspaden.",
                      organisatie="gemeente-anderdorp")

    assert sorted(_titles(app, organisatie="gemeente-testdam")) == ["Moestuin in het park", "Parkeerplaatsen Testdam"]
    assert _titles(app, "atom", soort="idee") == ["Moestuin in het park"]
    assert _titles(app, organisatie="gemeente-testdam", soort="data") == ["Parkeerplaatsen Testdam"]
    parsed, _ = _feed(app, prefix="/en", organisatie="gemeente-anderdorp", soort="data")
    assert parsed.feed.title.startswith("Data requests to Gemeente Anderdorp")
    assert _feed(app, prefix="/en", soort="idee")[0].feed.title.startswith("Ideas")
    assert _feed(app, soort="idee")[0].feed.title.startswith("Ideeën")
    for bad in ({"soort": "klacht"}, {"organisatie": "bestaat-niet"}, {"status": "weg"}):
        assert app.get("/feeds/verzoeken.rss", query_string=bad).status_code == 400


def test_hidden_and_unconfirmed_requests_and_addresses_stay_out(app, verzoeken_limits, sink):
    requester = unique_email("indiener")
    shown = confirmed_request(app, sink, soort="data", titel="Zichtbaar verzoek", toelichting="Mag gezien worden.",
                              organisatie="gemeente-testdam", email=requester)
    hidden = confirmed_request(app, sink, soort="data", titel="Verborgen verzoek", toelichting="Misbruik.",
                               organisatie="gemeente-testdam")
    assert api(app, "verzoek_hide", verzoeken_limits.editor, id=hidden["id"], reason="Scheldwoorden").status_code \
        == 200
    created = api(app, "verzoek_create", soort="idee", titel="Nog niet bevestigd", toelichting="Wacht op de link.",
                  email=unique_email(), organisatie="gemeente-testdam")
    assert created.status_code == 200

    for kind in ("rss", "atom"):
        _, response = _feed(app, kind)
        body = response.get_data(as_text=True)
        assert "Zichtbaar verzoek" in body
        assert "Verborgen verzoek" not in body and "Scheldwoorden" not in body
        assert "Nog niet bevestigd" not in body
        assert requester not in body and requester.split("@")[0] not in body
    assert shown["id"] != hidden["id"]


def test_an_unchanged_feed_answers_304(app, verzoeken_limits, sink):
    confirmed_request(app, sink, soort="data", titel="Afvalbakken", toelichting="Waar staan ze?")
    first = app.get("/feeds/verzoeken.atom")
    assert app.get("/feeds/verzoeken.atom", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_the_feed_links_snippet_carries_the_list_filters_and_the_developers_page_names_the_feed(app, municipalities):
    import ckan.plugins.toolkit as tk

    query = {"soort": "idee", "organisatie": "gemeente-testdam", "sort": "steun"}
    with app.flask_app.test_request_context("/verzoeken"):
        app.flask_app.preprocess_request()
        head = tk.render_snippet("openoverheid/verzoeken/snippets/feed_links.html", {"query": query, "head": True})
        body = tk.render_snippet("openoverheid/verzoeken/snippets/feed_links.html", {"query": query})
    hrefs = etree.fromstring(f"<head>{head}</head>").findall("link")
    assert [(link.get("type"), link.get("href")) for link in hrefs] == [
        ("application/rss+xml", "/feeds/verzoeken.rss?organisatie=gemeente-testdam&soort=idee"),
        ("application/atom+xml", "/feeds/verzoeken.atom?organisatie=gemeente-testdam&soort=idee")]
    assert "/feeds/verzoeken.atom?organisatie=gemeente-testdam&amp;soort=idee" in body
    assert "sort=" not in head + body
    assert "/feeds/verzoeken.rss" in app.get("/ontwikkelaars").get_data(as_text=True)

"""RSS and Atom feeds of meldingen with area, category and status filters and GeoRSS points."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import feedparser
import meldingen_support
from lxml import etree
from meldingen_support import IN_ANDERDORP, IN_TESTDAM, create_melding

municipalities = meldingen_support.municipalities

GEORSS = "{http://www.georss.org/georss}point"


def _titles(app, kind="rss", **query):
    response = app.get(f"/feeds/meldingen.{kind}", query_string=query)
    assert response.status_code == 200
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.bozo_exception
    return [entry.title for entry in parsed.entries], response


def test_feeds_carry_georss_points_and_both_formats_parse(app, municipalities):
    melding = create_melding(description="Kapotte tegel", address="Domplein 9, Utrecht")
    titles, response = _titles(app, "rss")
    assert response.mimetype == "application/rss+xml"
    assert titles == ["Losse of kapotte stoeptegel (Nieuw) – Domplein 9, Utrecht"]
    root = etree.fromstring(response.data, etree.XMLParser(resolve_entities=False))
    point = root.find(f"channel/item/{GEORSS}").text.split()
    assert [float(v) for v in point] == [IN_TESTDAM[0], IN_TESTDAM[1]]
    assert root.findtext("channel/item/link") == melding["url"]

    titles, response = _titles(app, "atom")
    assert response.mimetype == "application/atom+xml"
    root = etree.fromstring(response.data, etree.XMLParser(resolve_entities=False))
    assert root.find("{http://www.w3.org/2005/Atom}entry").find(GEORSS) is not None


def test_feeds_filter_by_area_category_and_status_and_updates_come_first(app, municipalities):
    tegel = create_melding(description="Tegel")
    create_melding(service_code="zwerfafval", description="Afval", lat=IN_TESTDAM[0] + 0.003, lon=IN_TESTDAM[1])
    create_melding(service_code="groen", description="Takken", lat=IN_ANDERDORP[0], lon=IN_ANDERDORP[1])
    tk.get_action("melding_update_create")({"user": municipalities.editor["name"]},
                                           {"id": tegel["id"], "status": "opgelost", "text": "Gelegd."})

    titles, _ = _titles(app)
    assert titles[0].startswith("Losse of kapotte stoeptegel (Opgelost)")  # the latest change first
    assert len(titles) == 3
    assert [t.split(" (")[0] for t in _titles(app, categorie="groen")[0]] == ["Groen en bomen"]
    assert len(_titles(app, status="open")[0]) == 2
    assert len(_titles(app, status="opgelost")[0]) == 1
    near = _titles(app, lat=IN_TESTDAM[0], lon=IN_TESTDAM[1], straal=100)[0]
    assert [t.split(" (")[0] for t in near] == ["Losse of kapotte stoeptegel"]
    area = _titles(app, "atom", bbox="6.0,52.4,6.2,52.6")[0]
    assert [t.split(" (")[0] for t in area] == ["Groen en bomen"]
    assert "Gelegd." in app.get("/feeds/meldingen.rss").get_data(as_text=True)

    for bad in ({"bbox": "noord"}, {"status": "weg"}, {"categorie": "ufo"}, {"lat": "52", "lon": "x"}):
        assert app.get("/feeds/meldingen.rss", query_string=bad).status_code == 400


def test_an_unchanged_feed_answers_304(app, municipalities):
    create_melding()
    first = app.get("/feeds/meldingen.atom")
    etag = first.headers["ETag"]
    again = app.get("/feeds/meldingen.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304

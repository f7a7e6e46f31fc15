"""Serving harvested permits: the JSON and GeoJSON API, the RSS/Atom feeds and the map page, on
permits harvested for real from a local SRU server. Every expectation is computed from the rows the
DataStore holds, with the haversine formula of harvesters.geo, never typed in."""

from __future__ import annotations

import datetime
import json
import re
import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import ckan.plugins.toolkit as tk
import feedparser
import pytest
from vergunningen_sru_server import records_pages, running_sru_server, sample_records

from ckanext.openoverheid.harvest.run_now import run_source_now
from harvesters.geo import haversine_m

pytestmark = pytest.mark.usefixtures("portal")

API = "/api/openoverheid/vergunningen"


def _harvest(api, organization: dict[str, Any], gemeente: str, n: int, seed: int, name: str | None = None) -> None:
    with running_sru_server() as sru:
        sru.pages = records_pages(sample_records(n, gemeente, seed))
        source = api(
            "harvest_source_create",
            name=name or f"bron-vergunningen-{gemeente.lower()}",
            title=f"Vergunningen {gemeente}",
            url=sru.url,
            source_type="vergunningen",
            owner_org=organization["id"],
            config=json.dumps({"gemeente": gemeente, "pause": 0}),
        )
        summary = run_source_now(source["id"])
    assert summary.status == "Finished" and not summary.gather_errors, summary


@pytest.fixture
def permits(api) -> dict[str, dict[str, Any]]:
    """100 permits of Utrecht and 30 of Zwolle, harvested; returns every row by identifier."""
    utrecht = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    zwolle = api("organization_create", name="gemeente-zwolle", title="Gemeente Zwolle")
    _harvest(api, utrecht, "Utrecht", 100, seed=0)
    _harvest(api, zwolle, "Zwolle", 30, seed=7)
    rows: dict[str, dict[str, Any]] = {}
    for name in ("bron-vergunningen-utrecht-data", "bron-vergunningen-zwolle-data"):
        dataset = api("package_show", _method="GET", id=name)
        table = next(r for r in dataset["resources"] if r.get("datastore_active"))
        for row in api("datastore_search", _method="GET", resource_id=table["id"], limit=1000)["records"]:
            rows[row["identifier"]] = dict(row, dataset=name)
    assert len(rows) == 130
    return rows


def _get(app, path: str, **params: Any) -> Any:
    response = app.get(path, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def _within(rows: dict[str, dict[str, Any]], lat: float, lon: float, metres: float) -> dict[str, float]:
    return {
        key: haversine_m(lat, lon, row["lat"], row["lon"])
        for key, row in rows.items()
        if row["lat"] is not None and haversine_m(lat, lon, row["lat"], row["lon"]) <= metres
    }


def _centre(rows: dict[str, dict[str, Any]]) -> tuple[float, float]:
    """A point among the permits: the location of one of them (the one at the median latitude)."""
    located = sorted((r for r in rows.values() if r["lat"] is not None), key=lambda r: r["lat"])
    middle = located[len(located) // 2]
    return middle["lat"], middle["lon"]


# --- JSON ------------------------------------------------------------------------------------------


def test_json_around_a_point_is_the_true_circle_nearest_first(app, permits):
    lat, lon = _centre(permits)
    expected = _within(permits, lat, lon, 400)
    assert 3 <= len(expected) < len(permits)  # the radius really selects

    body = _get(app, API, lat=lat, lon=lon, straal=400, limit=1000).get_json()

    assert body["count"] == len(expected)
    assert {r["identifier"] for r in body["results"]} == set(expected)
    distances = [r["afstand"] for r in body["results"]]
    assert distances == sorted(distances)
    for row in body["results"]:
        assert row["afstand"] == pytest.approx(expected[row["identifier"]], abs=1.0)
    assert body["filters"]["straal"] == 400


def test_json_filters_by_kind_phase_postcode_municipality_and_date(app, permits):
    def ids(**params: Any) -> set[str]:
        body = _get(app, API, limit=1000, **params).get_json()
        assert body["count"] == len(body["results"])
        return {r["identifier"] for r in body["results"]}

    def where(test) -> set[str]:
        return {key for key, row in permits.items() if test(row)}

    assert ids(soort="kap") == where(lambda r: r["soort"] == "kap") != set()
    assert ids(soort="kap,sloop", fase="verleend") == where(
        lambda r: r["soort"] in ("kap", "sloop") and r["fase"] == "verleend")
    assert ids(fase=["aanvraag", "ingetrokken"]) == where(lambda r: r["fase"] in ("aanvraag", "ingetrokken"))
    assert ids(postcode="3512") == where(lambda r: (r["postcode"] or "").startswith("3512")) != set()
    pc6 = next(r["postcode"] for r in permits.values() if r["postcode"])
    assert ids(postcode=f"{pc6[:4]} {pc6[4:].lower()}") == where(lambda r: r["postcode"] == pc6)
    assert ids(gemeente="zwolle") == where(lambda r: r["gemeente"] == "Zwolle")
    assert len(ids(gemeente="Zwolle")) == 30
    zwolle = "bron-vergunningen-zwolle-data"
    assert ids(dataset=zwolle) == where(lambda r: r["dataset"] == zwolle)
    day = sorted(r["published_date"][:10] for r in permits.values())[80]
    assert ids(sinds=day) == where(lambda r: r["published_date"][:10] >= day)


def test_json_pages_fit_together_newest_first(app, permits):
    everything = _get(app, API, limit=1000).get_json()["results"]
    dates = [r["published_date"] for r in everything]
    assert dates == sorted(dates, reverse=True)
    first = _get(app, API, limit=25).get_json()
    second = _get(app, API, limit=25, offset=25).get_json()
    assert first["results"] + second["results"] == everything[:50]
    assert first["next"].endswith("offset=25") or "offset=25" in first["next"]


BAD_FILTERS = [
    ({"lat": "52.09", "lon": "5.1", "straal": "99999"}, "straal"),
    ({"lat": "noord", "lon": "5.1"}, "lat"),
    ({"straal": "500"}, "straal"),
    ({"soort": "kapvergunning"}, "soort"),
    ({"postcode": "35123"}, "postcode"),
    ({"sinds": "01-01-2026"}, "sinds"),
    ({"limit": "5000"}, "limit"),
]


def test_json_refuses_bad_filters_with_a_message_per_field(app):
    for params, field in BAD_FILTERS:
        response = app.get(API, query_string=params)
        assert response.status_code == 400, params
        assert response.mimetype == "application/problem+json"
        problem = response.get_json(force=True)
        assert problem["status"] == 400 and problem["instance"] == API
        assert [p["name"] for p in problem["invalidParams"]] == [field], params
        assert problem["invalidParams"][0]["reason"]  # a message that says what to write instead


def test_geojson_is_a_feature_collection_in_lon_lat_order(app, permits):
    lat, lon = _centre(permits)
    response = _get(app, f"{API}.geojson", lat=lat, lon=lon, straal=800)
    assert response.mimetype == "application/geo+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["type"] == "FeatureCollection"
    assert {f["id"] for f in body["features"]} == set(_within(permits, lat, lon, 800))
    for feature in body["features"]:
        row = permits[feature["id"]]
        assert feature["geometry"]["coordinates"] == [pytest.approx(row["lon"]), pytest.approx(row["lat"])]
        assert feature["properties"]["title"] == row["title"]


def test_json_geojson_and_feeds_take_q_as_the_page_does(app, permits):
    pc6 = sorted(r["postcode"] for r in permits.values() if r["postcode"] and r["gemeente"] == "Utrecht")[0]
    located = [r for r in permits.values() if r["postcode"] == pc6 and r["lat"] is not None]
    centre = (sum(r["lat"] for r in located) / len(located), sum(r["lon"] for r in located) / len(located))
    nearby = _within(permits, *centre, 500)
    assert 0 < len(nearby) < len(permits)

    body = _get(app, API, q=pc6, straal=500, limit=1000).get_json()
    assert {r["identifier"] for r in body["results"]} == set(nearby)
    page = _get(app, "/vergunningen", q=pc6, straal="500").get_data(as_text=True)
    assert page.count('class="vergunningen-item"') == min(len(nearby), 50)
    geojson = _get(app, f"{API}.geojson", q=pc6, straal=500).get_json()
    assert {f["properties"]["identifier"] for f in geojson["features"]} == set(nearby)
    # the typed place wins over a point given as well, as on the page
    elsewhere = _get(app, API, q=pc6, straal=500, lat=53.2, lon=6.5, limit=1000).get_json()
    assert elsewhere["count"] == len(nearby)

    in_area = {k for k, r in permits.items() if (r["postcode"] or "").startswith("3512")}
    assert {r["identifier"] for r in _get(app, API, q="3512", straal=500, limit=1000).get_json()["results"]} == in_area

    unknown = app.get(API, query_string={"q": "Nergensstraat 1 Nergenshuizen"})
    assert unknown.status_code == 400 and unknown.mimetype == "application/problem+json"
    assert [p["name"] for p in unknown.get_json(force=True)["invalidParams"]] == ["q"]

    feed = feedparser.parse(_get(app, "/feeds/vergunningen.atom", q=pc6, straal=500).get_data())
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == min(len(nearby), 50)


def test_feed_titles_say_what_they_follow(app, permits):
    pc6 = sorted(r["postcode"] for r in permits.values() if r["postcode"] and r["gemeente"] == "Utrecht")[0]

    def title(path: str, **params: Any) -> str:
        feed = feedparser.parse(_get(app, path, **params).get_data())
        assert not feed.bozo, feed.bozo_exception
        return feed.feed.title

    site = tk.config.get("ckan.site_title")
    assert title("/feeds/vergunningen.rss", q=pc6, straal=500) == f"Vergunningen rond {pc6} (500 m) — {site}"
    assert title("/en/feeds/vergunningen.atom", q=pc6, straal=250) == f"Permits around {pc6} (250 m) — {site}"
    assert title("/feeds/vergunningen.rss", postcode="3512") == f"Vergunningen in postcodegebied 3512 — {site}"
    assert title("/feeds/vergunningen.rss", gemeente="Zwolle") == f"Vergunningen in Zwolle — {site}"
    page = _get(app, "/vergunningen", q=pc6, straal="500").get_data(as_text=True)
    assert f"/feeds/vergunningen.rss?q={pc6}" in page and "straal=500" in page


# --- feeds ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_around_a_point_has_georss_points_inside_the_radius(app, permits, kind):
    lat, lon = _centre(permits)
    expected = _within(permits, lat, lon, 600)
    response = _get(app, f"/feeds/vergunningen.{kind}", lat=lat, lon=lon, straal=600, soort="")
    assert response.mimetype == f"application/{kind}+xml"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == min(len(expected), 50)
    for entry in feed.entries:
        found = next(key for key, row in permits.items() if row["url"] == entry.link)
        assert found in expected
        point_lon, point_lat = entry.where["coordinates"]
        assert haversine_m(lat, lon, point_lat, point_lon) <= 600.5
        assert entry.title == permits[found]["title"]
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)


def test_feed_answers_304_when_nothing_changed(app, permits):
    url = "/feeds/vergunningen.atom"
    first = _get(app, url, gemeente="Utrecht", soort="bouw")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = app.get(url, query_string={"gemeente": "Utrecht", "soort": "bouw"},
                    headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    since = app.get(url, query_string={"gemeente": "Utrecht", "soort": "bouw"},
                    headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = app.get(url, query_string={"gemeente": "Utrecht", "soort": "kap"},
                    headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200


# --- the map page ----------------------------------------------------------------------------------------


def test_map_page_lists_permits_around_a_postcode_without_javascript(app, permits):
    pc6 = sorted(r["postcode"] for r in permits.values() if r["postcode"] and r["gemeente"] == "Utrecht")[0]
    located = [r for r in permits.values() if r["postcode"] == pc6 and r["lat"] is not None]
    centre = (sum(r["lat"] for r in located) / len(located), sum(r["lon"] for r in located) / len(located))
    nearby = _within(permits, *centre, 500)
    nearest = min(nearby, key=nearby.get)

    html = _get(app, "/vergunningen", q=pc6, straal="500").get_data(as_text=True)

    assert "Vergunningen bij mij in de buurt" in html  # Dutch by default
    assert f'value="{pc6}"' in html
    assert html.count('class="vergunningen-item"') == min(len(nearby), 50)
    assert permits[nearest]["title"] in html
    assert f'href="{permits[nearest]["url"]}"' in html
    assert "/vendor/leaflet/leaflet.js" in html and "/vendor/leaflet/leaflet.css" in html
    assert app.get("/vendor/leaflet/leaflet.js").status_code == 200  # installed by config/provision/assets.sh
    assert 'id="vergunningen-kaart"' in html and 'tabindex="0"' in html
    assert "service.pdok.nl/brt/achtergrondkaart" in html and "Kadaster" in html
    assert "/feeds/vergunningen.rss?" in html and "lat=" in html


def test_map_page_finds_addresses_and_pc4_areas_and_says_when_it_does_not(app, permits):
    row = next(r for r in permits.values() if r["lat"] is not None and r["huisnummer"] and r["soort"] == "bouw")
    html = _get(app, "/vergunningen", q=f"{row['straat']} {row['huisnummer']}, {row['woonplaats']}",
                soort="bouw", straal="250").get_data(as_text=True)
    assert row["title"] in html
    expected = {k for k in _within(permits, row["lat"], row["lon"], 250) if permits[k]["soort"] == "bouw"}
    assert html.count('class="vergunningen-item"') == min(len(expected), 50)

    html = _get(app, "/vergunningen", q="3512", straal="500").get_data(as_text=True)
    in_area = [r for r in permits.values() if (r["postcode"] or "").startswith("3512")]
    assert html.count('class="vergunningen-item"') == min(len(in_area), 50)

    unknown = app.get("/vergunningen", query_string={"q": "Nergensstraat 1 Nergenshuizen"})
    assert unknown.status_code == 200
    assert 'aria-invalid="true"' in unknown.get_data(as_text=True)

    english = _get(app, "/en/vergunningen").get_data(as_text=True)
    assert "Permits near me" in english and 'lang="en"' in english


# --- who sees what ------------------------------------------------------------------------------------------


def test_a_closed_dataset_drops_out_for_outsiders(api, app, permits, sysadmin):
    api(
        "package_patch",
        id="bron-vergunningen-zwolle-data",
        access_rights="niet-publiek",
        woo_grounds=["5.1.2.e"],
        woo_motivation="Tijdelijk gesloten om te testen dat gesloten data nergens verschijnt, ook niet op de kaart.",
        review_date=(datetime.date.today() + datetime.timedelta(days=300)).isoformat(),
    )
    public = _get(app, API, limit=1000).get_json()
    assert {r["dataset"] for r in public["results"]} == {"bron-vergunningen-utrecht-data"}
    assert public["count"] == 100
    insider = app.get(API, query_string={"limit": 1000}, headers={"Authorization": sysadmin["token"]}).get_json()
    assert insider["count"] == 130


# --- geocoder and demo -------------------------------------------------------------------------------


@pytest.fixture
def locatieserver() -> Iterator[tuple[str, list[str]]]:
    """A local service answering like PDOK's Locatieserver (free), recording the queries."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            from urllib.parse import parse_qs, urlsplit

            query = parse_qs(urlsplit(self.path).query)
            asked.append(query["q"][0])
            docs = [{"weergavenaam": "Domplein 29, 3512JE Utrecht", "centroide_ll": "POINT(5.12142 52.09054)"}]
            body = json.dumps({"response": {"numFound": 1, "docs": docs}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/locatieserver/search/v3_1/free", asked
    server.shutdown()
    server.server_close()


def test_an_address_without_permits_goes_to_the_geocoder(app, permits, locatieserver, ckan_config, monkeypatch):
    url, asked = locatieserver
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.geocoder_url", url)
    html = _get(app, "/vergunningen", q="Domplein 29 Utrecht", straal="1000").get_data(as_text=True)
    assert asked == ["Domplein 29 Utrecht"]
    assert "Domplein 29, 3512JE Utrecht" in html
    assert html.count('class="vergunningen-item"') == min(len(_within(permits, 52.09054, 5.12142, 1000)), 50)


def test_demo_harvests_the_sample_without_network(api, app):
    from ckanext.openoverheid.demo.vergunningen import SampleFeed, load_demo

    api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    messages: list[str] = []
    summary = load_demo(messages.append, SampleFeed(records=45))
    assert summary.status == "Finished" and not summary.gather_errors and not summary.object_errors
    assert _get(app, API, gemeente="Utrecht", limit=1000).get_json()["count"] == 45
    assert load_demo(messages.append, SampleFeed(records=45)).status == "Finished"  # again: safe
    assert _get(app, API, limit=1000).get_json()["count"] == 45
    source = tk.get_action("harvest_source_show")({"ignore_auth": True}, {"id": "bron-vergunningen-utrecht-demo"})
    assert source["source_type"] == "vergunningen"


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on: a connection to it is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_failing_address_lookup_says_so_in_words_and_lists_no_permits(
    app, permits, closed_port, ckan_config, monkeypatch
):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.geocoder_url",
                        f"http://127.0.0.1:{closed_port}/locatieserver/search/v3_1/free")

    html = _get(app, "/vergunningen", q="Domplein 29 Utrecht", straal="1000").get_data(as_text=True)

    assert "Het adres kon niet worden opgezocht" in html
    assert "Probeer het over een paar minuten opnieuw, of zoek op de vier cijfers van uw postcode" in html
    assert "Geen vergunningen getoond" in html
    assert html.count('class="vergunningen-item"') == 0, "no list of every permit as if it were the answer"
    for raw in (str(closed_port), "locatieserver", "Could not fetch", "Errno", "Max retries"):
        assert raw not in html, raw
    assert 'aria-invalid="true"' in html

    english = _get(app, "/en/vergunningen", q="Domplein 29 Utrecht").get_data(as_text=True)
    assert "The address could not be looked up right now. Try again in a few minutes" in english
    assert english.count('class="vergunningen-item"') == 0

    # a postcode area needs no lookup: it still works while the address search is down
    in_area = [r for r in permits.values() if (r["postcode"] or "").startswith("3512")]
    assert _get(app, "/vergunningen", q="3512").get_data(as_text=True).count('class="vergunningen-item"') == min(
        len(in_area), 50)

    api_answer = app.get(API, query_string={"q": "Domplein 29 Utrecht"})
    assert api_answer.status_code == 400
    reason = api_answer.get_json(force=True)["invalidParams"][0]["reason"]
    assert "opnieuw" in reason and str(closed_port) not in reason


def test_a_notice_harvested_by_two_sources_is_listed_once(api, app, permits):
    region = api("organization_create", name="regio-utrecht", title="Regio Utrecht")
    _harvest(api, region, "Utrecht", 100, seed=0, name="bron-vergunningen-regio")  # the same 100 notices again
    assert len(api("package_show", _method="GET", id="bron-vergunningen-regio-data")["resources"]) >= 1

    body = _get(app, API, limit=1000).get_json()
    identifiers = [r["identifier"] for r in body["results"]]
    assert body["count"] == len(identifiers) == len(set(identifiers)) == len(permits)

    lat, lon = _centre(permits)
    nearby = _within(permits, lat, lon, 500)
    html = _get(app, "/vergunningen", lat=lat, lon=lon, straal="500").get_data(as_text=True)
    listed = re.findall(r'class="vergunningen-item" id="[^"]+" data-id="([^"]+)"', html)
    assert sorted(listed) == sorted(nearby)

    facets = tk.get_action("vergunningen_search")({"user": ""}, {"facets": True, "limit": 1})["facets"]
    assert sum(facets["soort"].values()) == sum(facets["fase"].values()) == len(permits)

"""Serving harvested waste calendars: the .ics (parsed with icalendar), the RSS feed (feedparser),
the JSON, the page, the on-demand fetch of an address nobody harvested with its rate limit, and the
404 of an unknown address. Calendars are harvested for real from a local mijnafvalwijzer-style
server; every expectation is computed from what that server answered."""

from __future__ import annotations

import datetime as dt
import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import ckan.plugins.toolkit as tk
import feedparser
import icalendar
import pytest
from afvalkalender_server import HTML_ERROR, expected_rows, route, running_afvalwijzer

from ckanext.openoverheid.demo.local_server import QuietHandler, local_server
from ckanext.openoverheid.harvest.run_now import run_source_now
from harvesters.afvalkalender.base import amsterdam_today
from harvesters.afvalkalender.vocabulary import default_vocabulary

pytestmark = pytest.mark.usefixtures("portal", "clean_afvalkalender_redis")

A = "3512AH 13"
B = "3511NV 250-A"
HOST = "test.ckan.net"


@pytest.fixture
def provider():
    with running_afvalwijzer() as server:
        yield server


@pytest.fixture
def harvested(api, provider) -> dict[str, Any]:
    """The calendars of A and B harvested for Utrecht; the source covers postcodes 3500-3585."""
    year = amsterdam_today().year
    items = {A: route(year), B: route(year, dt.date(year, 1, 7))}
    for address, answer in items.items():
        provider.answer(address, answer)
    organization = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    source = api(
        "harvest_source_create",
        name="bron-afvalkalender-utrecht",
        title="Afvalkalender Utrecht",
        url=provider.url,
        source_type="afvalkalender",
        owner_org=organization["id"],
        config=json.dumps({"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "geheim",
                           "adressen": [A, B], "postcodes": ["3500-3585"], "pause": 0, "timeout": 3}),
    )
    summary = run_source_now(source["id"])
    assert summary.status == "Finished" and not summary.gather_errors and not summary.object_errors, summary
    return {"items": items, "source": source}


def _labels() -> dict[str, str]:
    return default_vocabulary().labels("nl")


def _events(body: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


# --- .ics -------------------------------------------------------------------------------------------


def test_calendar_holds_every_collection_as_an_all_day_event_with_a_reminder(app, harvested):
    response = app.get("/afvalkalender/3512AH/13.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == "Afvalkalender 3512AH 13"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(days=1)

    labels = _labels()
    expected = {(labels[code], day) for code, day in expected_rows(harvested["items"][A])}
    events = _events(response.data)
    assert {(str(e["SUMMARY"]), e["DTSTART"].dt.isoformat()) for e in events} == expected
    for event in events:
        start = event["DTSTART"].dt
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime), "all-day, never shifted via UTC"
        assert event["DTEND"].dt == start + dt.timedelta(days=1)
        assert str(event["UID"]).startswith(f"3512AH-13-{start:%Y%m%d}-") and str(event["UID"]).endswith(f"@{HOST}")
        assert [str(c) for c in event["CATEGORIES"].cats] == [str(event["SUMMARY"])]
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert alarms[0]["TRIGGER"].dt == -dt.timedelta(hours=5)  # 19:00 the evening before


def test_uids_and_etag_are_stable_across_harvest_runs(app, harvested):
    first = app.get("/afvalkalender/3512AH/13.ics")
    summary = run_source_now(harvested["source"]["id"])
    assert summary.status == "Finished" and not summary.object_errors
    second = app.get("/afvalkalender/3512AH/13.ics")
    uids = [str(e["UID"]) for e in _events(first.data)]
    assert len(uids) == len(set(uids)) == len(expected_rows(harvested["items"][A]))
    assert uids == [str(e["UID"]) for e in _events(second.data)]
    assert first.headers["ETag"] == second.headers["ETag"]


def test_reminder_time_can_be_chosen_or_left_out(app, harvested):
    late = _events(app.get("/afvalkalender/3512AH/13.ics", query_string={"herinnering": "20:30"}).data)
    assert {a["TRIGGER"].dt for e in late for a in e.walk("VALARM")} == {-dt.timedelta(hours=3, minutes=30)}
    none = _events(app.get("/afvalkalender/3512AH/13.ics", query_string={"herinnering": "geen"}).data)
    assert none and not any(e.walk("VALARM") for e in none)
    bad = app.get("/afvalkalender/3512AH/13.ics", query_string={"herinnering": "morgen"})
    assert bad.status_code == 400 and bad.headers["Content-Type"] == "application/problem+json"


def test_portal_sets_the_default_reminder(app, harvested, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.afvalkalender.alarm_time", "18:15")
    events = _events(app.get("/afvalkalender/3512AH/13.ics").data)
    assert {a["TRIGGER"].dt for e in events for a in e.walk("VALARM")} == {-dt.timedelta(hours=5, minutes=45)}


def test_conditional_gets_answer_304_on_the_etag_only(app, harvested):
    first = app.get("/afvalkalender/3512AH/13.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = app.get("/afvalkalender/3512AH/13.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    # Last-Modified is when the serving source last asked its provider: when that source goes, an older
    # calendar of another source takes its place, so a date alone never proves the copy current
    since = app.get("/afvalkalender/3512AH/13.ics", headers={"If-Modified-Since": modified})
    assert since.status_code == 200 and since.data == first.data
    other_alarm = app.get("/afvalkalender/3512AH/13.ics", headers={"If-None-Match": etag},
                          query_string={"herinnering": "geen"})
    assert other_alarm.status_code == 200, "another reminder is another document"
    for suffix in ("json", "rss"):
        document = app.get(f"/afvalkalender/3512AH/13.{suffix}")
        assert app.get(f"/afvalkalender/3512AH/13.{suffix}",
                       headers={"If-None-Match": document.headers["ETag"]}).status_code == 304


def test_address_with_a_suffix(app, harvested):
    for path in ("/afvalkalender/3511NV/250-A.ics", "/afvalkalender/3511nv/250a.ics"):
        response = app.get(path)
        assert response.status_code == 200, path
        assert {(str(e["SUMMARY"]), e["DTSTART"].dt.isoformat()) for e in _events(response.data)} == {
            (_labels()[code], day) for code, day in expected_rows(harvested["items"][B])
        }
        assert all(str(e["UID"]).startswith("3511NV-250A-") for e in _events(response.data))


# --- JSON and RSS ------------------------------------------------------------------------------------


def test_json_lists_the_collections_and_the_subscribe_links(app, harvested):
    body = app.get("/afvalkalender/3512AH/13.json").get_json()
    assert body["adres"] == {"postcode": "3512AH", "huisnummer": 13, "toevoeging": "", "label": "3512AH 13"}
    assert body["gemeente"] == "Utrecht" and body["dataset"]["name"] == "bron-afvalkalender-utrecht-data"
    got = [(item["afvaltype"], item["datum"]) for item in body["ophaalmomenten"]]
    assert set(got) == expected_rows(harvested["items"][A]) and len(got) == len(set(got))
    assert [day for _, day in got] == sorted(day for _, day in got)
    assert body["links"]["webcal"] == f"webcal://{HOST}/afvalkalender/3512AH/13.ics"
    assert body["links"]["ics"] == f"http://{HOST}/afvalkalender/3512AH/13.ics"
    assert body["op_verzoek_opgehaald"] is False


def test_rss_lists_the_coming_collections(app, harvested):
    response = app.get("/afvalkalender/3512AH/13.rss")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    label = app.get("/afvalkalender/3512AH/13.json").get_json()["adres"]["label"]
    assert feed.feed.title == f"Afvalkalender voor {label} — {tk.config.get('ckan.site_title')}"
    assert b'<?xml-stylesheet type="text/xsl" href="/feeds/feed.xsl"?>' in response.data
    today = amsterdam_today().isoformat()
    coming = sorted((day, code) for code, day in expected_rows(harvested["items"][A]) if day >= today)[:50]
    assert [e.id for e in feed.entries] == [
        f"urn:uid:3512AH-13-{day.replace('-', '')}-{code}@{HOST}" for day, code in coming
    ]
    labels = _labels()
    for entry, (day, code) in zip(feed.entries, coming, strict=True):
        assert entry.title.startswith(f"{labels[code]}: ")
        assert entry.tags[0].term == labels[code]
        assert dt.date(*entry.published_parsed[:3]) in (dt.date.fromisoformat(day),
                                                        dt.date.fromisoformat(day) - dt.timedelta(days=1))


# --- on demand, unknown, limits ---------------------------------------------------------------------


def test_an_address_nobody_harvested_is_fetched_on_demand_and_kept(app, api, harvested, provider):
    year = amsterdam_today().year
    items = route(year, dt.date(year, 1, 8))
    provider.answer("3512AH 15", items)
    body = app.get("/afvalkalender/3512AH/15.json").get_json()
    assert body["op_verzoek_opgehaald"] is True
    assert {(i["afvaltype"], i["datum"]) for i in body["ophaalmomenten"]} == expected_rows(items)
    assert provider.asked_for("3512AH 15") == 1

    # stored in the municipality's table: the next request is answered from it
    again = app.get("/afvalkalender/3512AH/15.ics")
    assert again.status_code == 200 and len(_events(again.data)) == len(expected_rows(items))
    assert provider.asked_for("3512AH 15") == 1
    dataset = api("package_show", _method="GET", id="bron-afvalkalender-utrecht-data")
    resource = next(r for r in dataset["resources"] if r.get("datastore_active"))
    stored = api("datastore_search", _method="GET", resource_id=resource["id"],
                 filters=json.dumps({"postcode": "3512AH", "huisnummer": 15}))["total"]
    assert stored == len(expected_rows(items))

    # and the next harvest keeps it current, beside the configured addresses
    provider.requests.clear()
    assert run_source_now(harvested["source"]["id"]).object_errors == []
    assert provider.asked_for("3512AH 15") == 1 and provider.asked_for(A) == 1


def test_unknown_address_is_a_404_in_dutch(app, harvested, provider):
    outside = app.get("/afvalkalender/9999ZZ/1.json")
    assert outside.status_code == 404
    assert outside.headers["Content-Type"] == "application/problem+json"
    detail = outside.get_json()["detail"]
    assert "9999ZZ 1" in detail and "Er is geen afvalkalender bekend" in detail
    assert provider.requests and not any(r.get("postcode") == "9999ZZ" for r in provider.requests)

    # inside the area, but the provider does not know it: asked once, then remembered for a day
    for _ in range(2):
        inside = app.get("/afvalkalender/3512AH/999.ics")
        assert inside.status_code == 404
    assert provider.asked_for("3512AH 999") == 1


def test_bad_addresses_are_a_400(app, harvested):
    for path in ("/afvalkalender/35AH/13.json", "/afvalkalender/3512AH/dertien.json", "/afvalkalender/3512AH/0.ics"):
        response = app.get(path)
        assert response.status_code == 400, path
        assert response.get_json()["invalidParams"], path


def test_provider_failing_on_demand_is_a_502(app, harvested, provider):
    provider.fail("3512AH 17", (200, "text/html", HTML_ERROR))
    response = app.get("/afvalkalender/3512AH/17.json")
    assert response.status_code == 502
    assert "3512AH 17" in response.get_json()["detail"]


def test_a_provider_the_portal_may_not_ask_is_a_404_not_a_502(app, harvested, provider, ckan_config, monkeypatch):
    """The demo's case: its sample server is allowed only while it harvests; afterwards an address
    in its area cannot be fetched, which is no passing failure to retry but no calendar known."""
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.allowed_private_hosts", "")
    provider.answer("3512AH 71", route(amsterdam_today().year))
    for prefix, text in (("", "Er is geen afvalkalender bekend voor 3512AH 71"),
                         ("/en", "No waste calendar is known for 3512AH 71")):
        document = app.get(f"{prefix}/afvalkalender/3512AH/71.ics")
        assert document.status_code == 404, prefix
        assert text in document.get_json()["detail"]
        page = app.get(f"{prefix}/afvalkalender", query_string={"postcode": "3512AH", "huisnummer": "71"})
        assert page.status_code == 404 and text in page.get_data(as_text=True)
    assert provider.asked_for("3512AH 71") == 0
    assert app.get("/afvalkalender/3512AH/13.ics").status_code == 200, "harvested calendars are still served"


def test_on_demand_fetches_are_rate_limited_per_client(app, harvested, provider, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.afvalkalender.on_demand_per_client", 2)
    year = amsterdam_today().year
    for number in (21, 23, 25, 27):
        provider.answer(f"3512AH {number}", route(year))
    client = {"REMOTE_ADDR": "192.0.2.10"}
    assert app.get("/afvalkalender/3512AH/21.json", environ_base=client).status_code == 200
    assert app.get("/afvalkalender/3512AH/23.json", environ_base=client).status_code == 200
    refused = app.get("/afvalkalender/3512AH/25.json", environ_base=client)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert provider.asked_for("3512AH 25") == 0
    # harvested or already fetched addresses do not count; another client has its own limit
    assert app.get("/afvalkalender/3512AH/21.json", environ_base=client).status_code == 200
    assert app.get("/afvalkalender/3512AH/13.json", environ_base=client).status_code == 200
    assert app.get("/afvalkalender/3512AH/27.json", environ_base={"REMOTE_ADDR": "192.0.2.11"}).status_code == 200


def test_on_demand_fetches_are_rate_limited_per_source(app, harvested, provider, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.afvalkalender.on_demand_per_source", 1)
    year = amsterdam_today().year
    provider.answer("3512AH 31", route(year))
    provider.answer("3512AH 33", route(year))
    assert app.get("/afvalkalender/3512AH/31.json", environ_base={"REMOTE_ADDR": "192.0.2.20"}).status_code == 200
    assert app.get("/afvalkalender/3512AH/33.json", environ_base={"REMOTE_ADDR": "192.0.2.21"}).status_code == 429


def test_a_private_calendar_is_not_served_to_outsiders(app, api, harvested, provider):
    api("package_patch", id="bron-afvalkalender-utrecht-data", private=True)
    assert app.get("/afvalkalender/3512AH/13.ics").status_code == 404
    assert app.get("/afvalkalender/3512AH/41.json").status_code == 404
    assert provider.asked_for("3512AH 41") == 0, "no on-demand fetch into a table the viewer may not read"


# --- the page ----------------------------------------------------------------------------------------


def test_page_has_a_labelled_form(app, harvested):
    html = app.get("/afvalkalender").get_data(as_text=True)
    for name in ("postcode", "huisnummer", "toevoeging", "herinnering"):
        assert f'for="afvalkalender-{name}"' in html and f'id="afvalkalender-{name}"' in html
    assert "Mijn afvalkalender" in html


def test_page_shows_the_coming_dates_and_the_subscribe_links(app, harvested):
    response = app.get("/afvalkalender", query_string={"postcode": "3512 ah", "huisnummer": "13"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    today = amsterdam_today().isoformat()
    coming = sorted(day for _, day in expected_rows(harvested["items"][A]) if day >= today)
    for day in coming[:5]:
        assert f'datetime="{day}"' in html
    assert f'href="webcal://{HOST}/afvalkalender/3512AH/13.ics"' in html
    assert f'value="http://{HOST}/afvalkalender/3512AH/13.ics"' in html
    assert 'value="3512 ah"' in html, "keeps what was typed"


def test_page_explains_mistakes_and_keeps_the_input(app, harvested):
    response = app.get("/afvalkalender", query_string={"postcode": "35 AH", "huisnummer": "dertien"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert 'href="#afvalkalender-postcode"' in html and 'href="#afvalkalender-huisnummer"' in html
    assert 'value="35 AH"' in html and 'value="dertien"' in html
    assert 'aria-invalid="true"' in html


def test_page_says_in_dutch_when_an_address_is_unknown(app, harvested):
    response = app.get("/afvalkalender", query_string={"postcode": "9999ZZ", "huisnummer": "1"})
    assert response.status_code == 404
    assert "Er is geen afvalkalender bekend voor 9999ZZ 1" in response.get_data(as_text=True)


def test_an_empty_form_names_the_missing_fields_in_an_alert(app, harvested):
    for prefix, postcode_error, number_error in (
        ("", "Vul een postcode in", "Vul een huisnummer in"),
        ("/en", "Enter a postcode", "Enter a house number"),
    ):
        response = app.get(f"{prefix}/afvalkalender",
                           query_string={"postcode": "", "huisnummer": "", "toevoeging": "", "herinnering": "19:00"})
        assert response.status_code == 400, prefix
        html = response.get_data(as_text=True)
        start = html.index('id="afvalkalender-fouten"') - 200
        summary = html[start:html.index("</ul>", start)]
        assert 'role="alert"' in summary and "autofocus" in summary
        assert postcode_error in summary and number_error in summary
        for name in ("postcode", "huisnummer"):
            field = html[html.index(f'<input id="afvalkalender-{name}"'):]
            field = field[:field.index("/>")]
            assert 'aria-invalid="true"' in field and f"afvalkalender-{name}-fout" in field
            assert f'id="afvalkalender-{name}-fout"' in html
    untouched = app.get("/afvalkalender")
    assert untouched.status_code == 200 and 'role="alert"' not in untouched.get_data(as_text=True)


def test_result_names_the_address_and_municipality(app, harvested):
    dutch = app.get("/afvalkalender", query_string={"postcode": "3511nv", "huisnummer": "250", "toevoeging": "a"})
    html = dutch.get_data(as_text=True)
    assert "Ophaaldagen voor 3511 NV 250A in Utrecht" in html
    assert "Postcode 3511 NV, huisnummer 250A, gemeente Utrecht." in html
    english = app.get("/en/afvalkalender", query_string={"postcode": "3512AH", "huisnummer": "13"})
    assert "Collection dates for 3512 AH 13 in Utrecht" in english.get_data(as_text=True)


@pytest.fixture
def locatieserver() -> Iterator[tuple[str, list[dict[str, list[str]]]]]:
    """A local service answering like PDOK's Locatieserver for Domplein 13 only (3512AH 13 in the tests),
    recording every query; yields the queries, with its URL configured as the portal's geocoder."""
    asked: list[dict[str, list[str]]] = []

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            query = parse_qs(urlsplit(self.path).query)
            asked.append(query)
            known = query.get("q") == ["postcode:3512AH and huisnummer:13"]
            docs = [{"straatnaam": "Domplein", "woonplaatsnaam": "Utrecht"}] if known else []
            self.send_body(json.dumps({"response": {"numFound": len(docs), "docs": docs}}).encode(),
                           "application/json")

    with local_server(Handler, "/locatieserver/search/v3_1/free") as url:
        yield url, asked


def test_result_names_the_street_the_geocoder_knows(app, harvested, locatieserver, ckan_config, monkeypatch):
    url, asked = locatieserver
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.geocoder_url", url)

    html = app.get("/afvalkalender", query_string={"postcode": "3512 ah", "huisnummer": "13"}).get_data(as_text=True)
    assert "Ophaaldagen voor Domplein 13, Utrecht" in html
    assert "Domplein 13, postcode 3512 AH, gemeente Utrecht." in html
    assert asked == [{"q": ["postcode:3512AH and huisnummer:13"], "fq": ["type:adres"], "rows": ["1"],
                      "fl": ["straatnaam,woonplaatsnaam"]}]
    english = app.get("/en/afvalkalender", query_string={"postcode": "3512AH", "huisnummer": "13"})
    assert "Collection dates for Domplein 13, Utrecht" in english.get_data(as_text=True)
    assert len(asked) == 1, "the street is remembered: no second question for the same address"

    unknown = app.get("/afvalkalender", query_string={"postcode": "3511NV", "huisnummer": "250", "toevoeging": "A"})
    assert "Ophaaldagen voor 3511 NV 250A in Utrecht" in unknown.get_data(as_text=True)
    assert len(asked) == 2


def test_a_failing_geocoder_leaves_the_postcode_and_the_dates(app, harvested, closed_port, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.geocoder_url",
                        f"http://127.0.0.1:{closed_port}/locatieserver/search/v3_1/free")
    response = app.get("/afvalkalender", query_string={"postcode": "3512AH", "huisnummer": "13"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ophaaldagen voor 3512 AH 13 in Utrecht" in html
    assert "afvalkalender-dates" in html
    assert str(closed_port) not in html


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on: a connection to it is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_subscribe_links_come_before_the_dates_and_later_dates_fold_away(app, harvested, provider):
    year = amsterdam_today().year
    provider.answer("3512AH 61", route(year), route(year + 1))
    today = amsterdam_today()
    horizon = (today + dt.timedelta(weeks=8)).isoformat()
    days = sorted({day for _, day in expected_rows(route(year) + route(year + 1)) if day >= today.isoformat()})
    for prefix in ("", "/en"):
        response = app.get(f"{prefix}/afvalkalender", query_string={"postcode": "3512AH", "huisnummer": "61"})
        assert response.status_code == 200, prefix
        html = response.get_data(as_text=True)
        assert html.index('href="webcal://') < html.index("<time"), "subscribe first, then the list"
        assert html.index('id="afvalkalender-abonnement"') < html.index("<time")
        assert '"):' not in html and "\u201d):" not in html
        folded = html.index('<details class="afvalkalender-later">')
        soon = [day for day in days if day <= horizon]
        later = [day for day in days if day > horizon]
        assert soon and later, "the route has dates on both sides of the horizon"
        assert all(html.index(f'datetime="{day}"') < folded for day in soon)
        assert html.index(f'datetime="{later[0]}"') > folded, "no JavaScript needed: all in the page"
    assert "Webadres van uw afvalkalender" in app.get(
        "/afvalkalender", query_string={"postcode": "3512AH", "huisnummer": "61"}).get_data(as_text=True)


def test_an_address_no_source_covers_is_a_404_on_every_document_and_the_page(app, harvested, provider):
    for prefix, text in (("", "Er is geen afvalkalender bekend voor 9999ZZ 1"),
                         ("/en", "No waste calendar is known for 9999ZZ 1")):
        for extension in ("ics", "json", "rss"):
            response = app.get(f"{prefix}/afvalkalender/9999ZZ/1.{extension}")
            assert response.status_code == 404, (prefix, extension)
            assert response.headers["Content-Type"] == "application/problem+json"
            assert text in response.get_json()["detail"]
        page = app.get(f"{prefix}/afvalkalender", query_string={"postcode": "9999ZZ", "huisnummer": "1"})
        assert page.status_code == 404 and text in page.get_data(as_text=True)
    assert not any(r.get("postcode") == "9999ZZ" for r in provider.requests)


def test_a_failing_provider_is_a_502_on_the_page_and_the_documents_alike(app, harvested, provider):
    provider.fail("3512AH 19", (200, "text/html", HTML_ERROR))
    for extension in ("ics", "json", "rss"):
        response = app.get(f"/afvalkalender/3512AH/19.{extension}")
        assert response.status_code == 502, extension
        assert "niet bereikbaar" in response.get_json()["detail"]
    page = app.get("/afvalkalender", query_string={"postcode": "3512AH", "huisnummer": "19"})
    assert page.status_code == 502
    html = page.get_data(as_text=True)
    assert "niet bereikbaar" in html and "Er is geen afvalkalender bekend" not in html


def test_front_page_links_to_the_calendar(app, harvested):
    assert 'href="/afvalkalender"' in app.get("/").get_data(as_text=True)


# --- the demo ----------------------------------------------------------------------------------------


def test_demo_gives_the_demo_address_a_calendar(api, app):
    from ckanext.openoverheid.demo import afvalkalender as demo

    api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    summary = demo.load_demo()
    assert summary.status == "Finished" and not summary.gather_errors and not summary.object_errors, summary

    today = amsterdam_today()
    expected = demo.demo_answer("3512AH-13", today)
    wanted = {(default_vocabulary().code_for(i["type"], i["nameType"]), i["date"])
              for section in ("ophaaldagen", "ophaaldagenNext") for i in expected.get(section, {}).get("data", [])}
    events = _events(app.get("/afvalkalender/3512AH/13.ics").data)
    labels = _labels()
    assert {(str(e["SUMMARY"]), e["DTSTART"].dt.isoformat()) for e in events} == {(labels[c], d) for c, d in wanted}
    assert all(e["DTSTART"].dt.year in (today.year, today.year + 1) for e in events)
    assert any(e["DTSTART"].dt >= today for e in events) or today.month == 12, "the demo has coming dates"
    # a re-run upserts: the same calendar
    assert demo.load_demo().status == "Finished"
    assert len(_events(app.get("/afvalkalender/3512AH/13.ics").data)) == len(events)

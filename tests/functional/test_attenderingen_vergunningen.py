"""Alerts for permits near an address, end to end on the real services: subscribe through the Action
API, confirm through the link in a mail a real SMTP server received, harvest a feed through
ckanext-harvest's queues, and read the alert; then the same feed again, unsubscribing by RFC 8058's
one-click POST, and a mail server that is down while the alert is sent."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attenderingen_support
import ckan.plugins.toolkit as tk
import harvest_jobs
import pytest
from attenderingen_support import html_of, link, send_due, subscribe, text_of, to_whom
from harvest_jobs import run_with_queues
from smtp_sink import free_port, running_sink
from vergunningen_sru_server import records_pages, running_sru_server, sample_records

from ckanext.openoverheid.demo.sru_sample import sru_page_xml
from harvesters.geo import haversine_m
from harvesters.vergunningen import parse_response

pytestmark = pytest.mark.usefixtures("portal")

organization = harvest_jobs.organization
empty_queues = harvest_jobs.empty_queues
sink = attenderingen_support.sink

RESIDENT = "bewoner@example.org"


@pytest.fixture
def sru():
    with running_sru_server() as server:
        yield server


@pytest.fixture
def every_run(ckan_config, monkeypatch):
    """No digest wait: every run sends what is new, so "sends nothing" means nothing was new."""
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.attenderingen.digest_hours", 0)


def _located(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Any]]:
    page = parse_response(sru_page_xml(records, len(records)))
    parsed = {r.identifier: r for r in page.records}
    return [(record, parsed[record["identifier"]]) for record in records if parsed[record["identifier"]].lat]


def two_near_one_far() -> tuple[list[dict[str, Any]], tuple[float, float], list[str], str]:
    """Three sample permits: two within 400 m of a point, one more than 2 km away; the point, the two
    identifiers inside and the one outside (computed from the records, not typed in)."""
    located = _located(sample_records(60))
    for record, parsed in located:
        distance = {r["identifier"]: haversine_m(parsed.lat, parsed.lon, p.lat, p.lon) for r, p in located}
        near = [(r, p) for r, p in located if r is not record and distance[r["identifier"]] < 350]
        far = [(r, p) for r, p in located if distance[r["identifier"]] > 2500]
        if near and far:
            chosen = [record, near[0][0], far[0][0]]
            return chosen, (parsed.lat, parsed.lon), [record["identifier"], near[0][0]["identifier"]], \
                far[0][0]["identifier"]
    raise AssertionError("the sample records have no two permits close together and one far away")


def create_source(api, organization, url: str) -> dict[str, Any]:
    return api("harvest_source_create", name="bron-vergunningen-utrecht", title="Vergunningen Utrecht (SRU)",
               url=url, source_type="vergunningen", frequency="MANUAL", owner_org=organization["id"],
               config=json.dumps({"gemeente": "Utrecht", "pause": 0, "timeout": 2}))


def subscribed_and_confirmed(app, api, sink, point: tuple[float, float], straal: int = 500) -> None:
    response = subscribe(app, email=RESIDENT, soort="vergunningen", lat=point[0], lon=point[1], straal=straal)
    assert response.status_code == 200, response.get_data(as_text=True)
    result = response.get_json()["result"]
    assert result["status"] == "pending" and RESIDENT not in json.dumps(result)
    assert send_due(api)["sent"] == 1
    [confirmation] = to_whom(sink.messages(), RESIDENT)
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", "every mail, this one too"
    page = app.get(link(confirmation, "/attenderingen/bevestig/"))
    assert page.status_code == 200 and "Uw attendering staat aan" in page.get_data(as_text=True)
    sink.clear()


def test_confirmed_subscription_is_mailed_exactly_the_two_permits_inside_its_radius(
        app, api, sink, organization, sru, empty_queues, every_run):
    records, point, inside, outside = two_near_one_far()
    subscribed_and_confirmed(app, api, sink, point)

    sru.pages = records_pages(records)
    source = create_source(api, organization, sru.url)
    assert run_with_queues(source["id"], empty_queues)["status"] == "Finished"
    summary = send_due(api)
    assert (summary["mails"], summary["events"], summary["sent"]) == (1, 2, 1)

    [alert] = to_whom(sink.messages(), RESIDENT)
    body = text_of(alert)
    parsed = {r.identifier: r for r in parse_response(sru_page_xml(records, len(records))).records}
    for identifier in inside:
        assert parsed[identifier].title in body and parsed[identifier].url in body
    assert parsed[outside].title not in body and parsed[outside].url not in body
    assert alert["Subject"].startswith("2 nieuw: Vergunningen binnen 500 m van")
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert alert["List-Unsubscribe"].startswith("<http") and "/attenderingen/afmelden/" in alert["List-Unsubscribe"]
    assert parsed[inside[0]].title in html_of(alert)
    assert "/attenderingen/beheer/" in body

    # the same feed again: nothing new, nothing sent
    sink.clear()
    assert run_with_queues(source["id"], empty_queues)["status"] == "Finished"
    again = send_due(api)
    assert (again["mails"], again["sent"]) == (0, 0)
    assert sink.messages() == []

    # RFC 8058: the mail provider POSTs the header's URL; the subscription and the address are gone
    unsubscribe_path = alert["List-Unsubscribe"].strip("<>").replace(tk.config["ckan.site_url"], "")
    response = app.post(unsubscribe_path, data="List-Unsubscribe=One-Click",
                        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscriber, Subscription

    assert model.Session.query(Subscription).count() == 0
    assert model.Session.query(Subscriber).filter_by(email=RESIDENT).count() == 0
    # the link again: a friendly page, nothing changed
    used = app.get(unsubscribe_path)
    assert used.status_code == 404 and "niet meer in gebruik" in used.get_data(as_text=True)


def test_alert_is_kept_while_the_mail_server_is_down_and_sent_once_when_it_is_back(
        app, api, sink, organization, sru, empty_queues, every_run, ckan_config, monkeypatch, tmp_path):
    from ckanext.openoverheid.attenderingen import outbox
    from ckanext.openoverheid.attenderingen.model import utcnow

    records, point, inside, _ = two_near_one_far()
    subscribed_and_confirmed(app, api, sink, point)
    sru.pages = records_pages(records)
    source = create_source(api, organization, sru.url)
    assert run_with_queues(source["id"], empty_queues)["status"] == "Finished"

    down = free_port()  # nothing listens here
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{down}")
    failed = send_due(api)
    assert (failed["mails"], failed["sent"], failed["postponed"], failed["pending"]) == (1, 0, 1, 1)
    assert send_due(api)["mails"] == 0, "queued once: a retry never builds the alert again"

    with running_sink(tmp_path / "back", port=down) as back:
        too_early = outbox.send_due()
        assert too_early.sent == 0, "waits before trying again"
        later = outbox.send_due(utcnow() + dt.timedelta(minutes=5))
        assert later.sent == 1
        assert outbox.send_due(utcnow() + dt.timedelta(days=1)).sent == 0
        [alert] = back.messages()
    assert all(identifier_title in text_of(alert) for identifier_title in
               [r.title for r in parse_response(sru_page_xml(records, len(records))).records
                if r.identifier in inside])


def test_new_permits_wait_for_the_daily_digest(app, api, sink, organization, sru, empty_queues):
    from ckanext.openoverheid.attenderingen import delivery
    from ckanext.openoverheid.attenderingen.model import utcnow

    records, point, inside, _ = two_near_one_far()
    subscribed_and_confirmed(app, api, sink, point)
    sru.pages = records_pages(records[:1])
    source = create_source(api, organization, sru.url)
    assert run_with_queues(source["id"], empty_queues)["status"] == "Finished"
    assert send_due(api)["mails"] == 1

    sru.pages = records_pages(records)
    assert run_with_queues(source["id"], empty_queues)["status"] == "Finished"
    assert send_due(api)["mails"] == 0, "at most one mail a day"
    next_day = delivery.collect_due(utcnow() + dt.timedelta(hours=25))
    assert (next_day.mails, next_day.events) == (1, 1)


# (fields, the field named in the error, a part of the Dutch message): one portal checks them all
BAD_INPUT = [
    ({"email": "geen-adres", "lat": 52.09, "lon": 5.12}, "email", "Dit is geen e-mailadres"),
    ({"email": RESIDENT, "lat": 52.09, "lon": 5.12, "straal": 5000}, "straal", "100 tot 2000"),
    ({"email": RESIDENT, "postcode": "9999ZZ", "huisnummer": 1}, "postcode", "niet bekend"),
    ({"email": RESIDENT, "lat": 52.09, "lon": 5.12, "soorten": "kap,vuurwerk"}, "soorten", "Onbekende"),
]


def test_bad_input_is_a_field_error_in_dutch_and_stores_nothing(app):
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscriber

    for fields, field, message in BAD_INPUT:
        response = subscribe(app, soort="vergunningen", **fields)
        assert response.status_code == 409, fields
        errors = response.get_json()["error"]
        assert message in " ".join(errors[field])
        assert model.Session.query(Subscriber).count() == 0


def test_bad_input_is_in_english_on_the_english_api(app):
    response = app.post("/en/api/3/action/attendering_create",
                        json={"soort": "vergunningen", "email": "x", "lat": 52.09, "lon": 5.12})
    assert "This is not an e-mail address" in " ".join(response.get_json()["error"]["email"])


def test_forged_old_and_used_confirmation_links_get_a_friendly_page(app, api, sink):
    from ckanext.openoverheid.attenderingen import tokens

    assert subscribe(app, email=RESIDENT, soort="vergunningen", lat=52.09, lon=5.12).status_code == 200
    send_due(api)
    [confirmation] = sink.messages()
    path = link(confirmation, "/attenderingen/bevestig/")
    assert app.get(path).status_code == 200
    used = app.get(path)
    assert used.status_code == 200 and "stond al aan" in used.get_data(as_text=True)

    forged = app.get(path[:-3] + "abc")
    assert forged.status_code == 404 and "niet geldig" in forged.get_data(as_text=True)
    other_purpose = tokens.make(tokens.Purpose.UNSUBSCRIBE, path.rsplit("/", 1)[1])
    assert app.get(f"/attenderingen/bevestig/{other_purpose}").status_code == 404


def test_subscribed_on_the_english_pages_mails_in_english(app, api, sink):
    response = app.post("/en/api/3/action/attendering_create",
                        json={"soort": "vergunningen", "email": RESIDENT, "lat": 52.09, "lon": 5.12})
    assert response.get_json()["result"]["locale"] == "en"
    send_due(api)
    [confirmation] = sink.messages()
    assert confirmation["Subject"].startswith("Confirm your alert: Permits within 500 m of")
    assert confirmation["Content-Language"] == "en"
    assert "/en/attenderingen/bevestig/" in text_of(confirmation)


def test_did_not_ask_for_it_one_click_in_the_confirmation_mail_deletes_the_address(app, api, sink):
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscriber

    assert subscribe(app, email=RESIDENT, soort="vergunningen", lat=52.09, lon=5.12).status_code == 200
    send_due(api)
    [confirmation] = sink.messages()
    path = confirmation["List-Unsubscribe"].strip("<>").replace(tk.config["ckan.site_url"], "")
    assert app.post(path, data="List-Unsubscribe=One-Click",
                    content_type="application/x-www-form-urlencoded").status_code == 200
    assert model.Session.query(Subscriber).count() == 0
    assert app.get(link(confirmation, "/attenderingen/bevestig/")).status_code == 404


def test_the_my_alerts_mail_unsubscribes_the_whole_address_in_one_click(app, api, sink):
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscriber, Subscription

    for straal in (300, 600):
        subscribe(app, email=RESIDENT, soort="vergunningen", lat=52.09, lon=5.12, straal=straal)
    assert app.post("/api/3/action/attendering_manage_link", json={"email": RESIDENT}).status_code == 200
    send_due(api)
    [manage] = [m for m in sink.messages() if "/attenderingen/beheer/" in text_of(m) and "bevestig" not in
                text_of(m)]
    path = manage["List-Unsubscribe"].strip("<>").replace(tk.config["ckan.site_url"], "")
    assert "Alle attenderingen van dit adres" in app.get(path).get_data(as_text=True)
    assert app.post(path, data="List-Unsubscribe=One-Click",
                    content_type="application/x-www-form-urlencoded").status_code == 200
    assert model.Session.query(Subscription).count() == 0 and model.Session.query(Subscriber).count() == 0

"""Journey: a resident subscribes to the waste calendar of their address. The calendar is harvested
for real from the demo's local mijnafvalwijzer-style server (``demo.afvalkalender.load_demo``); what
the page and the .ics must show is computed from that server's answer, never typed in."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest
from playwright.sync_api import expect

from ckanext.openoverheid.demo import afvalkalender as demo
from harvesters.afvalkalender.base import amsterdam_today
from harvesters.afvalkalender.vocabulary import default_vocabulary

pytestmark = pytest.mark.browser

POSTCODE, HUISNUMMER = "3512 ah", "13"  # typed as people type it; the demo address is 3512AH 13


@pytest.fixture
def demo_calendar(demo_municipality: dict[str, Any]) -> None:
    """The demo municipality with its waste calendars harvested (3512AH 13 among them)."""
    assert demo_municipality["name"] == demo.DEMO_ORGANIZATION
    summary = demo.load_demo()
    assert summary.status == "Finished" and not summary.gather_errors and not summary.object_errors, summary


def expected_collections(today: dt.date) -> set[tuple[str, dt.date]]:
    """(Dutch waste type, date) of every collection the demo provider announces for 3512AH 13."""
    vocabulary = default_vocabulary()
    labels = vocabulary.labels("nl")
    answer = demo.demo_answer("3512AH-13", today)
    return {
        (labels[vocabulary.code_for(item["type"], item["nameType"])], dt.date.fromisoformat(item["date"]))
        for section in ("ophaaldagen", "ophaaldagenNext")
        for item in answer.get(section, {}).get("data", [])
    }


def test_subscribe_to_the_waste_calendar_of_an_address(page: Any, demo_calendar: None, assert_accessible: Any):
    today = amsterdam_today()
    collections = expected_collections(today)
    coming = sorted(day for _, day in collections if day >= today)
    assert coming, "the demo always has coming dates"

    page.goto("/afvalkalender")
    assert_accessible(page)
    page.get_by_label("Postcode", exact=True).fill(POSTCODE)
    page.get_by_label("Huisnummer", exact=True).fill(HUISNUMMER)
    page.get_by_role("button", name="Toon ophaaldagen").click()

    heading = f"Ophaaldagen voor 3512 AH 13 in {demo.DEMO_GEMEENTE}"
    expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    shown = page.locator("ol.afvalkalender-dates time").evaluate_all("times => times.map(t => t.dateTime)")
    assert shown and [dt.date.fromisoformat(day) for day in shown] == coming[: len(shown)]
    assert_accessible(page)

    subscribe = page.get_by_role("link", name="Abonneer u in uw agenda-app")
    webcal = subscribe.get_attribute("href") or ""
    https = page.get_by_label("Webadres van uw afvalkalender").input_value()
    assert urlsplit(webcal).scheme == "webcal" and urlsplit(https).scheme == "http"  # the test site is http
    assert webcal.removeprefix("webcal://") == https.split("://", 1)[1]
    assert urlsplit(https).path == "/afvalkalender/3512AH/13.ics"
    assert page.get_by_role("link", name="download (.ics)").get_attribute("href") == https

    response = page.request.get(https)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    events = calendar.walk("VEVENT")
    assert {(str(e["SUMMARY"]), e["DTSTART"].dt) for e in events} == collections
    assert all(e.walk("VALARM") for e in events), "a reminder the evening before, as chosen on the page"


def test_a_mistyped_address_is_explained_next_to_the_field(page: Any, demo_calendar: None, assert_accessible: Any):
    page.goto("/afvalkalender")
    page.get_by_label("Postcode", exact=True).fill("351")
    page.get_by_label("Huisnummer", exact=True).fill("13")
    page.get_by_label("Huisnummer", exact=True).press("Enter")

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="Controleer uw adres:")).to_be_visible()
    expect(summary.get_by_role("link")).to_have_attribute("href", "#afvalkalender-postcode")
    expect(page.get_by_label("Postcode", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Huisnummer", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("heading", name="Ophaaldagen voor", exact=False)).to_have_count(0)
    assert_accessible(page)


def test_an_empty_form_moves_focus_to_the_errors(page: Any, demo_calendar: None, assert_accessible: Any):
    page.goto("/afvalkalender")
    page.get_by_role("button", name="Toon ophaaldagen").press("Enter")

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Vul een postcode in")
    expect(summary).to_contain_text("Vul een huisnummer in")
    for label in ("Postcode", "Huisnummer"):
        expect(page.get_by_label(label, exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_subscribing_needs_no_scrolling_past_the_dates(page: Any, demo_calendar: None):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/afvalkalender?postcode=3512AH&huisnummer=13")
    subscribe = page.get_by_role("link", name="Abonneer u in uw agenda-app")
    first_date = page.locator("ol.afvalkalender-dates time").first
    assert subscribe.bounding_box()["y"] < first_date.bounding_box()["y"]
    later = page.locator("details.afvalkalender-later")  # the demo announces dates well past 8 weeks
    expect(later.locator("ol")).to_be_hidden()
    later.locator("summary").click()
    expect(later.locator("ol")).to_be_visible()

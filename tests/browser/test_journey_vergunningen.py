"""Journey: a resident finds the permits near an address by typing it (the way without a mouse),
reads the list beside the map, narrows it to one kind of permit and moves the map by keyboard. The
permits are harvested for real from the demo's local SRU server (``demo.vergunningen.load_demo``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from ckanext.openoverheid.demo import vergunningen as demo
from ckanext.openoverheid.harvest.table_target import derived_dataset_name
from harvesters.geo import haversine_m

pytestmark = pytest.mark.browser

KIND, KIND_LABEL = "bouw", "Bouwvergunning"
RADIUS = 1000


@pytest.fixture
def permits(api: Any, demo_municipality: dict[str, Any]) -> list[dict[str, Any]]:
    """80 sample permits of the demo municipality, harvested; returns the rows of its DataStore table."""
    assert demo_municipality["name"] == demo.DEMO_ORGANIZATION
    summary = demo.load_demo(feed=demo.SampleFeed(records=80))
    assert summary.status == "Finished" and not summary.gather_errors and not summary.object_errors, summary
    dataset = api("package_show", _method="GET", id=derived_dataset_name(demo.DEMO_SOURCE_NAME))
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    return api("datastore_search", _method="GET", resource_id=table["id"], limit=1000)["records"]


def shown_permits(page: Any) -> list[str]:
    """The identifiers of the permits in the list beside the map, in order."""
    return page.locator(".vergunningen-item").evaluate_all("items => items.map(i => i.dataset.id)")


def result_count(page: Any) -> int:
    heading = page.locator("#vergunningen-resultaat").inner_text()
    match = re.match(r"\s*(\d+) vergunning(en)? binnen", heading)
    assert match, heading
    return int(match.group(1))


def test_find_permits_near_an_address_and_filter_by_kind(
    page: Any, permits: list[dict[str, Any]], assert_accessible: Any
):
    by_id = {row["identifier"]: row for row in permits}
    target = next(r for r in permits if r["soort"] == KIND and r["postcode"] and r["lat"] is not None)

    page.goto("/vergunningen")
    assert_accessible(page)
    page.get_by_label("Postcode, adres of coördinaten").fill(target["postcode"])
    page.get_by_label("Binnen").select_option(label="1 km")
    page.get_by_role("button", name="Vergunningen zoeken").click()

    expect(page.locator("#vergunningen-resultaat")).to_contain_text(f"binnen {RADIUS} m van")
    nearby = shown_permits(page)
    assert target["identifier"] in nearby
    assert {by_id[key]["soort"] for key in nearby} > {KIND}, "the sample holds other kinds near it too"
    # the list is the map's content as text: every permit on it lies within the radius of the place found
    centre = page.locator("#vergunningen-kaart")
    lat, lon = float(centre.get_attribute("data-lat") or "nan"), float(centre.get_attribute("data-lon") or "nan")
    assert all(haversine_m(lat, lon, by_id[key]["lat"], by_id[key]["lon"]) <= RADIUS + 1 for key in nearby)
    expect(page.locator("#vergunningen-kaart .leaflet-marker-icon")).to_have_count(
        sum(1 for key in nearby if by_id[key]["lat"] is not None)
    )
    assert result_count(page) == len(nearby), "the whole result fits on one page"
    assert_accessible(page)

    page.get_by_role("checkbox", name=re.compile(rf"^{KIND_LABEL}\b")).check()
    page.get_by_role("button", name="Vergunningen zoeken").click()

    page.wait_for_url(re.compile(rf"[?&]soort={KIND}(&|$)"))
    expect(page.get_by_role("checkbox", name=re.compile(rf"^{KIND_LABEL}\b"))).to_be_checked()
    narrowed = shown_permits(page)
    assert target["identifier"] in narrowed
    assert narrowed == [key for key in nearby if by_id[key]["soort"] == KIND]
    assert result_count(page) == len(narrowed)
    for meta in page.locator(".vergunningen-item-meta").all_inner_texts():
        assert KIND_LABEL in meta


def test_the_permits_map_is_reached_and_moved_by_keyboard(page: Any, permits: list[dict[str, Any]]):
    page.goto("/vergunningen")
    the_map = page.get_by_role("region", name=re.compile("^Kaart van de vergunningen in de lijst"))
    expect(the_map).to_have_class(re.compile(r"\bleaflet-container\b"))
    page.get_by_role("link", name="GeoJSON", exact=True).focus()  # the last link of the list beside the map
    page.keyboard.press("Tab")
    expect(the_map).to_be_focused()
    pane = page.locator("#vergunningen-kaart .leaflet-map-pane")
    before = pane.get_attribute("style")
    page.keyboard.press("ArrowRight")
    expect(pane).not_to_have_attribute("style", before or "")


PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
# Everything of the page's own content that sticks out to the right of the screen (the map clips its tiles).
STICKING_OUT = """width => [...document.querySelectorAll('[role=main] *')]
  .filter(e => !e.closest('.leaflet-container') && e.getBoundingClientRect().right > width)
  .map(e => e.tagName.toLowerCase() + '.' + e.className)"""


def test_on_a_phone_the_list_reads_down_the_page_with_its_feed_under_the_heading(
    page: Any, permits: list[dict[str, Any]], assert_accessible: Any
):
    in_area = [r for r in permits if (r["postcode"] or "").startswith("3512")]
    assert 5 < len(in_area) <= 50, "a list longer than a phone screen, on one page"
    page.set_viewport_size(PHONE)
    page.goto("/vergunningen?q=3512")

    heading = page.get_by_role("heading", level=2, name=f"{len(in_area)} vergunningen in postcodegebied 3512")
    expect(heading).to_be_visible()
    follow = page.locator(".vergunningen-follow")
    expect(follow).to_contain_text("Volg „Vergunningen in postcodegebied 3512” in uw feedlezer")
    rss = follow.get_by_role("link", name="RSS", exact=True)
    expect(rss).to_be_visible()
    heading_box, rss_box = heading.bounding_box(), rss.bounding_box()
    assert heading_box and rss_box and 0 <= rss_box["y"] - (heading_box["y"] + heading_box["height"]) < 120

    # the list scrolls with the page, not inside a box of its own: every permit is reached by scrolling the page
    items = page.locator(".vergunningen-item")
    expect(items).to_have_count(len(in_area))
    the_list = page.locator(".vergunningen-items")
    overflow, hidden_height = the_list.evaluate(
        "ol => [getComputedStyle(ol).overflowY, ol.scrollHeight - ol.clientHeight]")
    assert overflow == "visible" and hidden_height <= 1
    last = items.last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    expect(last.get_by_role("link")).to_be_visible()
    assert page.evaluate(STICKING_OUT, PHONE["width"]) == []
    assert_accessible(page)
    page.set_viewport_size(SMALL_PHONE)
    assert page.evaluate(STICKING_OUT, SMALL_PHONE["width"]) == []



def test_on_a_phone_the_filters_fold_away_until_opened_and_stay_open_when_used(
    page: Any, permits: list[dict[str, Any]]
):
    page.set_viewport_size(PHONE)
    page.goto("/vergunningen?q=3512")
    filters = page.get_by_text("Filter op soort vergunning en fase")
    kind = page.get_by_role("checkbox", name=re.compile(rf"^{KIND_LABEL}\b"))
    expect(filters).to_be_visible()
    expect(kind).to_be_hidden()
    folded = page.locator(".vergunningen-filters").bounding_box()
    assert folded and folded["height"] < 100, "folded, the filters take a line, not half a screen"

    filters.click()
    kind.check()
    page.get_by_role("button", name="Vergunningen zoeken").click()
    page.wait_for_url(re.compile(rf"[?&]soort={KIND}(&|$)"))
    expect(page.get_by_role("checkbox", name=re.compile(rf"^{KIND_LABEL}\b"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(rf"^{KIND_LABEL}\b"))).to_be_visible()

def test_on_a_phone_a_failing_address_search_says_what_to_do(
    page: Any, permits: list[dict[str, Any]], ckan_config: Any, monkeypatch: Any, assert_accessible: Any
):
    import socket

    with socket.socket() as probe:  # a port nothing listens on: the geocoder refuses at once
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.geocoder_url", f"http://127.0.0.1:{closed}/free")
    page.set_viewport_size(PHONE)
    page.goto("/vergunningen")
    page.get_by_label("Postcode, adres of coördinaten").fill("Domplein 29 Utrecht")
    page.get_by_role("button", name="Vergunningen zoeken").click()

    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading", name="Het adres kon niet worden opgezocht")).to_be_visible()
    expect(alert).to_contain_text("zoek op de vier cijfers van uw postcode")
    expect(page.get_by_role("heading", level=2, name="Geen vergunningen getoond")).to_be_visible()
    expect(page.locator(".vergunningen-item")).to_have_count(0)
    assert str(closed) not in page.content()
    assert page.evaluate(STICKING_OUT, PHONE["width"]) == []
    assert_accessible(page)
    page.set_viewport_size(SMALL_PHONE)
    assert page.evaluate(STICKING_OUT, SMALL_PHONE["width"]) == []


def test_on_a_wide_screen_a_marker_brings_its_permit_in_the_list_into_view(page: Any, permits: list[dict[str, Any]]):
    page.goto("/vergunningen")
    items = page.locator(".vergunningen-item")
    located = [i for i in range(items.count()) if items.nth(i).locator(".vergunningen-show").count()]
    last = items.nth(located[-1])
    title = last.locator(".vergunningen-item-title").inner_text().strip()
    expect(last).not_to_be_in_viewport()

    page.locator(f'#vergunningen-kaart .leaflet-marker-icon[title="{title}"]').dispatch_event("click")

    expect(last).to_have_class(re.compile(r"\bis-active\b"))
    expect(last).to_be_in_viewport()
    expect(page.locator("#vergunningen-kaart")).to_be_in_viewport()  # the map stays beside the list

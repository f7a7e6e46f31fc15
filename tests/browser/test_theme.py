"""The shell of every page on the NL Design System theme: it fits a phone, has one <h1> and no serious
accessibility violations; a municipality's token file changes the look; the web app manifest can be installed."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
import test_journeys as journeys
from test_header import contrast

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TOKENS = ROOT / "config" / "theme" / "example-gemeente.css"
TOKENS_PATH = "/gemeente/huisstijl.css"  # where a municipality would serve its file; the browser is handed it there
datasets = journeys.datasets

HEADER_COLOURS = """() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  return {header: style('header.masthead').backgroundColor, title: style('.openoverheid-site-title').color,
          nav: style('.openoverheid-nav').backgroundColor, navLink: style('.openoverheid-nav a').color};
}"""


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("path", ["/", "/dataset/", "/openheid"])
def test_pages_fit_a_phone_with_one_heading_and_no_serious_violations(page, datasets, assert_accessible, width, path):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("h1").count() == 1
    # every link of the menu is there to tap, none folded away behind a button
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert menu.get_by_role("link", name="Datasets").is_visible()
    assert menu.get_by_role("link", name="Over").is_visible()
    assert_accessible(page)


def test_openness_register_is_a_list_of_cards_on_a_phone_and_a_table_on_a_desktop(page, datasets):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/openheid")
    card = page.locator("tr", has_text="Opvanglocaties Testerdam")
    assert card.bounding_box()["width"] <= 390
    # on the card each value says what it is
    assert "Motivering" in card.inner_text()
    assert "Weigeringsgronden" in card.inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.get_by_role("columnheader", name="Motivering").is_visible()


def test_the_default_look_has_readable_header_and_menu(page):
    page.goto("/")
    colours = page.evaluate(HEADER_COLOURS)
    assert contrast(colours["header"], colours["title"]) >= 4.5, colours
    assert contrast(colours["nav"], colours["navLink"]) >= 4.5, colours


@pytest.mark.ckan_config("ckanext.openoverheid.theme.tokens_url", TOKENS_PATH)
def test_a_municipality_token_file_changes_the_header_without_templates(page):
    page.route(
        f"**{TOKENS_PATH}",
        lambda route: route.fulfill(
            status=200, content_type="text/css", body=EXAMPLE_TOKENS.read_text(encoding="utf-8")
        ),
    )
    page.goto("/")
    colours = page.evaluate(HEADER_COLOURS)
    assert colours["header"] == "rgb(0, 102, 79)", colours  # the example's green instead of the default white
    assert colours["nav"] == "rgb(0, 66, 51)", colours
    assert contrast(colours["header"], colours["title"]) >= 4.5, colours


@pytest.mark.ckan_config("ckanext.openoverheid.theme.colour", "#00664f")
def test_the_manifest_lets_residents_add_the_report_form_and_their_waste_calendar(page):
    page.goto("/")
    assert page.locator('meta[name="theme-color"]').get_attribute("content") == "#00664f"
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text())
    assert manifest["name"] == "Open Overheid (test)"
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#00664f"
    shortcuts = {shortcut["url"]: shortcut["name"] for shortcut in manifest["shortcuts"]}
    assert shortcuts == {"/meldingen/nieuw": "Probleem melden", "/afvalkalender": "Mijn afvalkalender"}
    for icon in manifest["icons"]:
        image = page.request.get(icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png"
        width, height = struct.unpack(">II", image.body()[16:24])
        assert f"{width}x{height}" == icon["sizes"]
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    english = json.loads(page.request.get("/en/manifest.webmanifest").text())
    assert english["start_url"] == "/en/"
    assert {shortcut["name"] for shortcut in english["shortcuts"]} == {"Report a problem", "My waste calendar"}


FOCUS_RING = """() => {
  const style = getComputedStyle(document.activeElement);
  const text = document.activeElement.textContent.trim();
  return {text: text, style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


def test_keyboard_focus_is_visible_on_the_header_menu_and_footer(page):
    page.goto("/")
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        seen.append(ring["text"])
        assert ring["style"] != "none" and ring["width"] >= 2, ring
    assert "Open Overheid (test)" in seen and "Datasets" in seen, seen
    footer_link = page.get_by_role("link", name="Voor ontwikkelaars").last
    footer_link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    ring = page.evaluate(FOCUS_RING)
    assert ring["text"] == "Voor ontwikkelaars" and ring["style"] != "none" and ring["width"] >= 2, ring

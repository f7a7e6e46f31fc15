"""Journey: a resident reports a loose paving stone with a photo: clicks the spot on the map, picks the
category, describes it, attaches a phone photo (GPS in its EXIF), sends it, follows the public link
and finds the report on the public map and list. Also: the typed location as the alternative to the
map, and the map reached by keyboard. The municipalities come from tests/functional/meldingen_support."""

from __future__ import annotations

import io
import re
from typing import Any

import meldingen_support
import pytest
from meldingen_support import jpeg_with_gps
from PIL import Image
from playwright.sync_api import expect

from ckanext.openoverheid.meldingen import settings

pytestmark = pytest.mark.browser

municipalities = meldingen_support.municipalities

GPS_INFO = 0x8825  # the EXIF tag phones write the position in
CATEGORY = "Losse of kapotte stoeptegel"
DESCRIPTION = "Drie tegels liggen los op de stoep bij de bushalte; mijn buurman is er gisteren over gestruikeld."


def open_form(page: Any) -> Any:
    """The report form with its map ready (Leaflet has taken over the map element); returns the map."""
    page.goto("/meldingen/nieuw")
    the_map = page.get_by_role("application", name="Kaart: kies de plek van het probleem")
    expect(the_map).to_have_class(re.compile(r"\bleaflet-container\b"))
    return the_map


def coordinates(page: Any) -> tuple[float, float]:
    return float(page.get_by_label("Breedtegraad").input_value()), float(page.get_by_label("Lengtegraad").input_value())


def test_report_a_problem_with_a_photo(page: Any, municipalities: Any, assert_accessible: Any):
    the_map = open_form(page)
    assert_accessible(page)

    the_map.click()  # a real click in the middle of the map, where it starts
    expect(page.locator("#gekozen-locatie")).not_to_be_empty()
    lat, lon = coordinates(page)
    start_lat, start_lon = settings.map_center()
    assert abs(lat - start_lat) < 0.001 and abs(lon - start_lon) < 0.001, (lat, lon)
    expect(the_map.locator(".leaflet-marker-icon")).to_have_count(1)

    page.get_by_label("Wat is het probleem?").select_option(label=CATEGORY)
    page.get_by_role("radio", name="Ja").check()  # the extra question of this category
    page.get_by_label("Beschrijf het probleem").fill(DESCRIPTION)
    page.get_by_label("Foto (niet verplicht)").set_input_files(
        files=[{"name": "stoep.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}]
    )
    page.get_by_role("button", name="Melding versturen").click()

    expect(page.get_by_role("heading", level=1, name="Bedankt voor uw melding")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(municipalities.testdam["title"])  # found by its location
    melding_id = int(re.search(r"/meldingen/(\d+)/bevestiging", page.url).group(1))
    public = page.locator("a.meldingen-public-url")
    expect(public).to_have_text(f"{page.url.split('/meldingen/')[0]}/meldingen/{melding_id}")
    assert_accessible(page)

    public.click()
    page.wait_for_url(f"**/meldingen/{melding_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(CATEGORY)
    expect(page.locator(".meldingen-description")).to_have_text(DESCRIPTION)
    expect(page.get_by_text(f"({lat:.5f}, {lon:.5f})")).to_be_visible()
    photo = page.get_by_role("img", name="Foto van het probleem (opent groter)")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0"), "the thumbnail is served"
    published = page.request.get(page.get_by_role("link").filter(has=photo).get_attribute("href") or "")
    assert published.ok and published.headers["content-type"] == "image/jpeg"
    assert GPS_INFO not in Image.open(io.BytesIO(published.body())).getexif(), "the location is taken out"
    assert_accessible(page)

    page.goto("/meldingen")
    listed = page.locator(f'.meldingen-list-item[data-id="{melding_id}"]')
    expect(listed.get_by_role("link")).to_have_attribute("href", re.compile(rf"/meldingen/{melding_id}$"))
    expect(listed).to_contain_text(DESCRIPTION[:60])
    expect(page.locator("#meldingen-kaart .leaflet-marker-icon")).to_have_count(1)  # the report on the map
    assert_accessible(page)


def test_the_location_can_be_chosen_by_keyboard_or_typed(page: Any, municipalities: Any):
    the_map = open_form(page)
    page.get_by_label("Wat is het probleem?").focus()
    page.keyboard.press("Tab")
    expect(the_map).to_be_focused()
    page.keyboard.press("Enter")  # the pin in the middle of the map
    expect(the_map.locator(".leaflet-marker-icon")).to_have_count(1)
    lat, lon = coordinates(page)
    start_lat, start_lon = settings.map_center()
    assert abs(lat - start_lat) < 1e-5 and abs(lon - start_lon) < 1e-5, (lat, lon)
    pane = the_map.locator(".leaflet-map-pane")
    before = pane.get_attribute("style") or ""
    page.keyboard.press("ArrowDown")
    expect(pane).not_to_have_attribute("style", before)  # the arrow keys move the map

    expect(page.get_by_label("Adres of omschrijving van de plek")).to_be_editable()
    page.get_by_label("Breedtegraad").fill("52.1")
    page.get_by_label("Lengtegraad").fill("5.15")
    page.get_by_label("Lengtegraad").press("Tab")  # a typed point moves the pin there
    expect(page.locator("#gekozen-locatie")).to_have_text("52.100000, 5.150000")
    expect(the_map.locator(".leaflet-marker-icon")).to_have_count(1)

"""Journey: a resident reports a loose paving stone with a photo: clicks the spot on the map, picks the
category, describes it, attaches a phone photo (GPS in its EXIF), sends it, follows the public link
and finds the report on the public map and list. Also: the typed location as the alternative to the
map, and the map reached by keyboard. On a phone (390×844): an empty report names every missing field
the location too, "use my location" places the pin, the camera takes the photo. And the staff journey:
from the dashboard to the queue, a report rejected only with an explanation. The municipalities come
from tests/functional/meldingen_support."""

from __future__ import annotations

import io
import re
from typing import Any

import meldingen_support
import pytest
from meldingen_support import jpeg_with_gps
from PIL import Image
from playwright.sync_api import expect
from test_page_sweep import sideways_scrolling

from ckanext.openoverheid.meldingen import settings

PHONE = {"width": 390, "height": 844}
EXTERNAL = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")

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
    page.get_by_label("Of kies een foto").set_input_files(
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
    expect(page.get_by_role("button", name="Mijn locatie gebruiken")).to_be_focused()
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
    expect(page.get_by_label("Breedtegraad")).to_be_hidden()  # folded away: the map is the way
    page.get_by_text("Coördinaten (zonder kaart)").click()
    page.get_by_label("Breedtegraad").fill("52.1")
    page.get_by_label("Lengtegraad").fill("5.15")
    page.get_by_label("Lengtegraad").press("Tab")  # a typed point moves the pin there
    expect(page.locator("#gekozen-locatie")).to_have_text("52.100000, 5.150000")
    expect(the_map.locator(".leaflet-marker-icon")).to_have_count(1)


@pytest.fixture
def phone(chromium: Any, live_server: str, ckan_config: Any, monkeypatch: Any) -> Any:
    """A phone-sized page whose browser knows where it is and may say so (as a resident who allowed it)."""
    monkeypatch.setitem(ckan_config, "ckan.site_url", live_server)
    context = chromium.new_context(base_url=live_server, locale="nl-NL", viewport=PHONE, is_mobile=True,
                                   has_touch=True, geolocation={"latitude": 52.0951, "longitude": 5.1102},
                                   permissions=["geolocation"])
    context.route(EXTERNAL, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def fits_the_screen(page: Any) -> None:
    """The whole page, the site's header and footer included, is no wider than the screen (judged once its
    stylesheets have loaded: after a form is sent, the new page's text can be there before them)."""
    page.wait_for_load_state("load")
    assert sideways_scrolling(page) == [], page.url


def summary_items(page: Any) -> list[str]:
    return [" ".join(text.split()) for text in page.locator("#foutmeldingen li").all_inner_texts()]


def test_report_on_a_phone_with_my_location_and_the_camera(phone: Any, municipalities: Any, assert_accessible: Any):
    page = phone
    the_map = open_form(page)
    fits_the_screen(page)
    expect(page.get_by_text("Tik of klik op de plek op de kaart")).to_be_visible()
    expect(page.get_by_label("Breedtegraad")).to_be_hidden()
    assert_accessible(page)

    # sent without category or location: every missing field is named, the location too; nothing typed is lost
    page.get_by_label("Beschrijf het probleem").fill(DESCRIPTION)
    page.get_by_role("button", name="Melding versturen").click()
    summary = page.get_by_role("alert").filter(has_text="Verbeter het volgende")
    expect(summary).to_be_focused()
    assert summary_items(page) == ["Kies een categorie: wat is het probleem?",
                                   "Kies de plek op de kaart, of typ een adres of coördinaten."]
    expect(page.get_by_label("Beschrijf het probleem")).to_have_value(DESCRIPTION)
    the_map = page.get_by_role("application", name="Kaart: kies de plek van het probleem")
    expect(the_map).to_have_class(re.compile(r"\bmeldingen-map-invalid\b"))
    expect(page.get_by_role("group", name="Waar is het? (verplicht)")).to_contain_text(
        "Kies de plek op de kaart")
    fits_the_screen(page)
    assert_accessible(page)

    page.get_by_role("button", name="Mijn locatie gebruiken").click()
    expect(page.locator("#gekozen-locatie")).to_contain_text("Uw locatie staat op de kaart")
    expect(the_map.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(the_map).not_to_have_class(re.compile(r"\bmeldingen-map-invalid\b"))
    assert coordinates(page) == (52.0951, 5.1102)

    page.get_by_label("Wat is het probleem?").select_option(label=CATEGORY)
    question = page.get_by_role("group", name="Kan iemand erover struikelen?")
    expect(question.get_by_role("radio")).to_have_count(2)
    assert [label.strip() for label in question.locator("label").all_inner_texts()] == ["Ja", "Nee"]
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.meldingen-attributes .form-check-label'), '::after').content"
    ) in ("none", "normal")  # no colon drawn after "Ja"
    question.get_by_role("radio", name="Ja").check()
    camera = page.get_by_label("Maak een foto")
    expect(camera).to_have_attribute("capture", "environment")
    expect(camera).to_have_attribute("accept", "image/*")
    camera.set_input_files(files=[{"name": "camera.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
    page.get_by_role("button", name="Melding versturen").click()

    expect(page.get_by_role("heading", level=1, name="Bedankt voor uw melding")).to_be_visible()
    fits_the_screen(page)
    page.locator("a.meldingen-public-url").click()
    expect(page.get_by_role("img", name="Foto van het probleem (opent groter)")).to_be_visible()
    expect(page.get_by_text("Nieuw", exact=True)).to_be_visible()
    fits_the_screen(page)
    assert_accessible(page)


def test_my_location_refused_says_what_to_do(chromium: Any, live_server: str, municipalities: Any):
    context = chromium.new_context(base_url=live_server, locale="nl-NL", viewport=PHONE)  # no permission given
    context.route(EXTERNAL, lambda route: route.abort())
    page = context.new_page()
    try:
        open_form(page)
        page.get_by_role("button", name="Mijn locatie gebruiken").click()
        expect(page.locator("#gekozen-locatie")).to_contain_text("Uw locatie mag niet worden gebruikt")
        expect(page.locator("#meldingen-kaart-nieuw .leaflet-marker-icon")).to_have_count(0)
    finally:
        context.close()


def test_the_list_on_a_phone_searches_by_map_area(phone: Any, municipalities: Any, assert_accessible: Any):
    page = phone
    meldingen_support.create_melding(description="Tegel bij het station")
    page.goto("/meldingen")
    fits_the_screen(page)
    expect(page.get_by_label("Gebied (min. lengte, min. breedte, max. lengte, max. breedte)")).to_be_hidden()
    assert_accessible(page)
    search = page.get_by_role("button", name="Zoek in dit kaartgebied")
    expect(page.locator("#meldingen-kaart .leaflet-marker-icon, #meldingen-kaart .marker-cluster")).not_to_have_count(0)
    search.click()
    page.wait_for_url(re.compile(r"[?&]bbox=[-0-9.]+(%2C|,)"))
    expect(page.get_by_text("Alleen meldingen in het gekozen kaartgebied.")).to_be_visible()
    expect(page.locator(".meldingen-list-item")).to_contain_text("Tegel bij het station")
    fits_the_screen(page)
    page.get_by_role("link", name="Alle gebieden tonen").click()
    expect(page.get_by_text("Alleen meldingen in het gekozen kaartgebied.")).to_have_count(0)

    # near me: the map's area around the phone's location (52.0951, 5.1102); a report far off drops out
    meldingen_support.create_melding(description="Tegel bij mij om de hoek", lat=52.0953, lon=5.1105)
    page.reload()
    page.get_by_role("button", name="Meldingen bij mij in de buurt").click()
    page.wait_for_url(re.compile(r"[?&]bbox="))
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in re.search(r"bbox=([^&]+)", page.url).group(1)
                                          .replace("%2C", ",").split(","))
    assert min_lat < 52.0951 < max_lat and min_lon < 5.1102 < max_lon
    expect(page.locator(".meldingen-list-item")).to_have_count(1)
    expect(page.locator(".meldingen-list-item")).to_contain_text("Tegel bij mij om de hoek")


def test_staff_find_the_queue_and_reject_only_with_an_explanation(
    page: Any, municipalities: Any, assert_accessible: Any
):
    fresh = meldingen_support.create_melding(description="Fietswrak tegen de lantaarnpaal")
    page.goto("/user/login")
    page.locator("#field-login").fill(municipalities.editor["name"])
    page.locator("#field-password").fill("correct123")
    page.locator("#field-password").press("Enter")
    page.wait_for_load_state()
    page.goto("/dashboard/datasets")
    page.get_by_role("link", name="Te behandelen meldingen").click()
    expect(page.get_by_role("heading", level=1, name="Te behandelen meldingen")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=f"Melding {fresh['id']}", exact=True))
    expect(row.locator(".meldingen-status")).to_have_text("Nieuw")
    assert_accessible(page)

    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CATEGORY)
    assert_accessible(page)
    handling = page.get_by_role("region", name="Deze melding behandelen")
    hiding = page.get_by_role("region", name="Melding verbergen voor het publiek")
    expect(handling.get_by_role("button", name="Verbergen (misbruik, persoonsgegevens)")).to_have_count(0)
    expect(hiding).to_contain_text("Alleen bij misbruik of persoonsgegevens")

    page.wait_for_load_state()
    handling.get_by_label("Nieuwe status").select_option(label="Afgewezen")
    expect(handling.get_by_label("Openbare reactie")).to_have_attribute("aria-required", "true")
    handling.get_by_role("button", name="Opslaan").click()
    summary = page.get_by_role("alert").filter(has_text="Verbeter het volgende")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text('Een melding kan alleen "Afgewezen" worden met een openbare reactie')
    expect(page.get_by_label("Nieuwe status")).to_have_value("afgewezen")  # the choice is kept
    answer = page.get_by_label("Openbare reactie")
    expect(answer).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    answer.fill("Deze fiets staat op particulier terrein; de eigenaar is ingelicht.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De melding is bijgewerkt.")).to_be_visible()
    expect(page.locator(".meldingen-status").first).to_have_text("Afgewezen")
    expect(page.locator(".meldingen-history")).to_contain_text("particulier terrein")

    # hiding asks first: declined, nothing happens; confirmed, the report is hidden
    page.wait_for_load_state()  # the confirmation is added by the page's script
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    hide = page.get_by_role("button", name="Verbergen (misbruik, persoonsgegevens)")
    hide.click()
    expect(hide).to_be_visible()
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    hide.click()
    expect(page.get_by_text("De melding is verborgen.")).to_be_visible()
    assert asked == [f"Melding {fresh['id']} verbergen voor het publiek?"] * 2

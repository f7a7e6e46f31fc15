"""The portal speaks one language a page: Dutch on `/`, English on `/en/`, CKAN's own words included;
numbers and dates in that language's form; one <h1> a page; an About page about this portal."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup

pytestmark = [
    pytest.mark.usefixtures("portal"),
    pytest.mark.ckan_config("ckan.site_logo", ""),
    pytest.mark.ckan_config("ckan.site_description", "Open data van de gemeente Noordstad"),
]

PUBLIC_PAGES = ("/", "/dataset/", "/dataset/open-data-0", "/organization/", "/organization/gemeente-noordstad",
                "/about", "/openheid", "/afvalkalender", "/vergunningen", "/meldingen", "/meldingen/nieuw",
                "/verzoeken", "/verzoeken/nieuw", "/user/login")
EDITOR_PAGES = ("/dataset/new", "/dataset/edit/open-data-0", "/dashboard/datasets", "/group/")

# English (and CKAN jargon) that was found on Dutch pages; a phrase matches as whole words.
ENGLISH = ("Skip to main content", "Search datasets", "Search Datasets", "Submit", "Toggle navigation",
           "Username or Email", "Register", "News feed", "Profile settings", "Sysadmin settings", "Publish",
           "Unpublish", "Update Dataset", "(see", "Creëer", "Bijwerk", "CKAN dataset", "CKAN organisaties",
           "Powered by", "Navigate to", "Open details page", "There is no description", "Filter Resultaten",
           "Formats", "Member", "Breadcrumb", "Markdown formatting", "Markdown quick reference",
           "CKAN is the world", "These fields have been removed", "CKAN groep")
# and what the English pages say instead of the Dutch
ENGLISH_ON_EN = ("Skip to main content", "Main menu", "Search datasets")
DUTCH = ("Direct naar de inhoud", "Hoofdmenu", "Menu openen of sluiten", "Datasets doorzoeken", "Kruimelpad")

MOTIVATION = "Het openbaar maken van deze gegevens schaadt de bedrijfsvertrouwelijkheid van de leveranciers."


@pytest.fixture
def catalogue(api: Any) -> dict[str, Any]:
    """Gemeente Noordstad with three datasets, one of them not public: 66.7% open."""
    org = api("organization_create", name="gemeente-noordstad", title="Gemeente Noordstad")
    for index in range(2):
        api("package_create", name=f"open-data-{index}", title=f"Open data {index}", notes="Openbaar",
            owner_org=org["id"])
    review = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
    api("package_create", name="contracten", title="Contracten", notes="Niet openbaar.", owner_org=org["id"],
        access_rights="beperkt", woo_grounds=["5.1.1.c"], woo_motivation=MOTIVATION, review_date=review,
        contact=[{"name": "Team Data", "email": "data@example.nl"}])
    return org


def words(html: str) -> str:
    """What a person reads or hears: the visible text and the accessible names, placeholders and titles."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    found = [soup.get_text(" ")]
    for element in soup.find_all(True):
        found += [element[name] for name in ("aria-label", "placeholder", "title", "alt") if element.get(name)]
        if element.name == "input" and element.get("type") in ("submit", "button") and element.get("value"):
            found.append(element["value"])
    return " ".join(" ".join(found).split())


def present(phrases: tuple[str, ...], text: str) -> list[str]:
    return [phrase for phrase in phrases if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)]


def _pages(app: Any, prefix: str, headers: dict[str, str]) -> dict[str, str]:
    pages = {}
    for path in PUBLIC_PAGES:
        response = app.get(prefix + path)
        assert response.status_code == 200, (prefix + path, response.status_code)
        pages[prefix + path] = response.get_data(as_text=True)
    for path in EDITOR_PAGES:
        response = app.get(prefix + path, headers=headers)
        assert response.status_code == 200, (prefix + path, response.status_code)
        pages[prefix + path] = response.get_data(as_text=True)
    return pages


def test_dutch_pages_have_no_english_left(app, catalogue, sysadmin):
    pages = _pages(app, "", {"Authorization": sysadmin["token"]})
    left = {path: found for path, html in pages.items() if (found := present(ENGLISH, words(html)))}
    assert not left, f"English on Dutch pages: {left}"
    assert "Direct naar de inhoud" in pages["/"]
    assert "Over Open Overheid (test)</a>" in pages["/"]  # the footer link, capitalised
    assert "Dataset toevoegen" in pages["/dataset/new"]


def test_english_pages_are_in_english(app, catalogue, sysadmin):
    pages = _pages(app, "/en", {"Authorization": sysadmin["token"]})
    for path, html in pages.items():
        text = words(html)
        assert present(ENGLISH_ON_EN, text) == list(ENGLISH_ON_EN), path
        assert not present(DUTCH, text), (path, present(DUTCH, text))
    assert "Create Dataset" in pages["/en/dataset/new"]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_has_one_h1_and_the_header_none(app, catalogue, sysadmin, prefix):
    signed_in = {"Authorization": sysadmin["token"]}
    pages = [(path, {}) for path in PUBLIC_PAGES] + [(path, signed_in) for path in (*EDITOR_PAGES, "/ckan-admin/")]
    for path, headers in pages:
        soup = BeautifulSoup(app.get(prefix + path, headers=headers).get_data(as_text=True), "html.parser")
        headings = soup.find_all("h1")
        assert len(headings) == 1, (prefix + path, [h.get_text(" ", strip=True) for h in headings])
        header = soup.find("header", class_="masthead")
        assert not header.find(["h1", "h2"]), prefix + path
        assert header.find("a", class_="openoverheid-site-title").get_text(strip=True) == "Open Overheid (test)"
        assert header.find("p", class_="openoverheid-tagline").get_text(strip=True) == \
            "Open data van de gemeente Noordstad"


@pytest.mark.ckan_config("ckanext.openoverheid.catalog_publisher", "Gemeente Noordstad")
def test_about_page_says_what_the_portal_is_and_who_runs_it(app, catalogue):
    dutch = words(app.get("/about").get_data(as_text=True))
    assert "Over Open Overheid (test)" in dutch
    assert "Open, tenzij" in dutch and "Wet open overheid (Woo)" in dutch
    assert "Dit portaal wordt beheerd door Gemeente Noordstad." in dutch
    assert "Openheidsregister" in dutch and "Mijn afvalkalender" in dutch
    assert "CKAN is the world" not in dutch
    english = words(app.get("/en/about").get_data(as_text=True))
    assert "About Open Overheid (test)" in english
    assert "Open, unless" in english and "This portal is run by Gemeente Noordstad." in english


@pytest.mark.ckan_config("ckan.site_about", "Dit is **ons** portaal.")
def test_about_page_keeps_the_operators_own_text(app, catalogue):
    html = app.get("/about").get_data(as_text=True)
    assert "<strong>ons</strong>" in html
    assert "Open, tenzij" not in html


def test_openness_share_in_the_pages_number_format(app, catalogue):
    assert "66,7%" in words(app.get("/openheid").get_data(as_text=True))
    assert "66.7%" in words(app.get("/en/openheid").get_data(as_text=True))


@pytest.mark.parametrize(("lang", "expected"), [("nl", "5 december 2026, 14:30"), ("en", "December 5, 2026, 14:30")])
def test_dates_with_hours_in_the_pages_language(app, lang, expected):
    import ckan.plugins.toolkit as tk

    with app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": lang}):
        # 13:30 UTC is 14:30 in Amsterdam (ckan.display_timezone)
        assert tk.h.render_datetime("2026-12-05T13:30:00", with_hours=True) == expected
        assert tk.h.render_datetime("2026-12-05T13:30:00") == expected.split(", 14")[0]
        assert tk.h.openoverheid_percent(2 / 3) == ("66,7%" if lang == "nl" else "66.7%")


def test_error_pages_name_the_error_in_the_pages_language(app, catalogue):
    dutch = app.get("/dataset/bestaat-niet")
    assert dutch.status_code == 404
    heading = BeautifulSoup(dutch.get_data(as_text=True), "html.parser").find("h1").get_text(strip=True)
    assert heading == "404 Pagina niet gevonden"
    english = app.get("/en/dataset/bestaat-niet").get_data(as_text=True)
    assert BeautifulSoup(english, "html.parser").find("h1").get_text(strip=True) == "404 Page not found"
    forbidden = words(app.get("/user/register").get_data(as_text=True))
    assert "403 Geen toegang" in forbidden and "Forbidden" not in forbidden

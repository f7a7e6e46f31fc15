"""Every main page of the portal, on a phone (390×844) and a desktop (1280×900), with the data of the
journeys: the page fits the screen (no sideways scrolling), has exactly one ``<h1>`` and axe-core
finds no serious or critical WCAG 2.1 AA violation (colour contrast included).

One test per screen size walks all pages on one set of data and reports every page × problem at
once, so a failure says what to fix everywhere instead of stopping at the first page."""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest
import test_journey_afvalkalender as afvalkalender
import test_journey_vergunningen as vergunningen
import test_journeys as journeys
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

datasets = journeys.datasets
demo_calendar = afvalkalender.demo_calendar
permits = vergunningen.permits

VIEWPORTS = {"390x844": {"width": 390, "height": 844}, "1280x900": {"width": 1280, "height": 900}}


class MainPage(NamedTuple):
    name: str  # of its screenshot file
    address: str  # ``{melding}`` is the number of a demo report, ``{verzoek}`` that of a public idea
    ready: str | None = None  # what must be drawn before the page is judged: the map and its markers
    status: int = 200


# make screenshots takes its pictures of the same pages.
PAGES: list[MainPage] = [
    MainPage("01-voorpagina", "/"),
    MainPage("02-front-page-en", "/en/"),
    MainPage("03-datasets-zoeken", "/dataset/"),
    MainPage("04-dataset", "/dataset/speelplekken-testerdam"),
    MainPage("05-gesloten-dataset", "/dataset/opvang-testerdam"),
    MainPage("06-organisaties", "/organization/"),
    MainPage("07-organisatie", "/organization/gemeente-testerdam"),
    MainPage("08-openheidsregister", "/openheid"),
    MainPage("09-over", "/about"),
    MainPage("10-ontwikkelaars", "/ontwikkelaars"),
    MainPage("11-api", "/api/openoverheid/"),
    MainPage("12-afvalkalender", "/afvalkalender"),
    MainPage("13-afvalkalender-adres", "/afvalkalender?postcode=3512AH&huisnummer=13"),
    MainPage("14-afvalkalender-onbekend-adres", "/afvalkalender?postcode=9999ZZ&huisnummer=1", status=404),
    MainPage("15-vergunningen", "/vergunningen"),
    MainPage("16-vergunningen-adres", "/vergunningen?q=3512", "#vergunningen-kaart .leaflet-marker-icon"),
    MainPage("17-meldingen", "/meldingen", "#meldingen-kaart .leaflet-marker-icon"),
    MainPage("18-melding-maken", "/meldingen/nieuw", "#meldingen-kaart-nieuw .leaflet-control-zoom"),
    MainPage("19-melding", "/meldingen/{melding}"),
    MainPage("20-inloggen", "/user/login"),
    MainPage("21-publicaties", "/publicaties"),
    MainPage("22-attenderingen", "/attenderingen"),
    MainPage("23-attenderingen-beheren", "/attenderingen/beheer"),
    MainPage("24-mijn-meldingen", "/meldingen/mijn-meldingen"),
    MainPage("25-verzoeken", "/verzoeken", "#verzoeken-kaart .leaflet-marker-icon"),
    MainPage("26-verzoek-maken", "/verzoeken/nieuw"),
    MainPage("27-verzoek", "/verzoeken/{verzoek}", "#verzoeken-kaart-verzoek .leaflet-marker-icon"),
]

# The pages of a civil servant of the demo municipality, signed in.
STAFF_PAGES: list[MainPage] = [
    MainPage("31-mijn-datasets", "/dashboard/datasets"),
    MainPage("32-dataset-maken", "/dataset/new"),
    MainPage("33-meldingen-behandelen", "/meldingen/beheer"),
    MainPage("34-melding-behandelen", "/meldingen/{melding}"),
    MainPage("35-meldingen-dashboard", "/meldingen/dashboard", "#meldingen-heatmap .leaflet-control-zoom"),
]

# The elements that stick out to the right, outermost first, for the failure message: those inside a
# box that scrolls or clips on its own do not widen the page.
WIDE_ELEMENTS = """() => {
  const width = window.innerWidth;
  const clipped = (element) => {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (!['visible', ''].includes(getComputedStyle(parent).overflowX)) return true;
    }
    return false;
  };
  const one = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + [...e.classList].slice(0, 2).map((c) => '.' + c).join('');
  const name = (e) => [e.parentElement?.parentElement, e.parentElement, e]
    .filter((a) => a && a !== document.body).map(one).join(' > ');
  const wide = [...document.body.querySelectorAll('*')].filter((e) => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !clipped(e);
  });
  return wide.filter((e) => !wide.includes(e.parentElement)).slice(0, 4)
    .map((e) => `${name(e)} (${Math.round(e.getBoundingClientRect().right)} px)`);
}"""


def first_demo_melding() -> int:
    import ckan.model as model
    from sqlalchemy import select

    from ckanext.openoverheid.meldingen.model import Melding

    melding_id = model.Session.scalar(select(Melding.id).where(Melding.hidden.is_(False)).order_by(Melding.id))
    assert melding_id is not None
    return int(melding_id)


@pytest.fixture
def public_verzoeken(demo_municipality: dict[str, Any]) -> int:
    """A confirmed data request and a confirmed idea with a place in Utrecht, as residents leave them;
    returns the idea's number."""
    import datetime as dt

    import ckan.model as model

    from ckanext.openoverheid.verzoeken.model import Verzoek

    now = dt.datetime.now(dt.UTC)
    common = {"organization_id": demo_municipality["id"], "status": "ontvangen", "hidden": False, "language": "nl",
              "created": now, "confirmed": now, "updated": now, "support_count": 1}
    model.Session.add(Verzoek(soort="data", titel="Alle speeltuinen met hun toestellen",
                              toelichting="Waar staan ze, en welke toestellen hebben ze?", **common))
    idea = Verzoek(soort="idee", titel="Meer bankjes langs de Singel", toelichting="Om even uit te rusten.",
                   lat=52.0894, lon=5.1138, **dict(common, support_count=3))
    model.Session.add(idea)
    model.Session.commit()
    return idea.id


def page_numbers(verzoek: int) -> dict[str, int]:
    """The numbers the addresses of ``PAGES`` need."""
    return {"melding": first_demo_melding(), "verzoek": verzoek}


def settle_maps(page: Any) -> None:
    """Wait until the maps have fitted their markers: no requests for a moment, no zoom or cluster animation."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')")


def open_page(page: Any, address: str, ready: str | None) -> int:
    """Go to the page and wait until it is drawn; returns the HTTP status."""
    response = page.goto(address)
    if ready and response is not None and response.ok:
        expect(page.locator(ready).first).to_be_visible()
    settle_maps(page)
    return response.status if response is not None else 0


def sideways_scrolling(page: Any) -> list[str]:
    """The page is wider than the screen: says how wide, and which elements stick out."""
    scroll_width, screen_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width <= screen_width:
        return []
    wide = ", ".join(page.evaluate(WIDE_ELEMENTS))
    return [f"scrolls sideways: {scroll_width} px wide on a {screen_width} px screen ({wide})"]


def problems_of(page: Any, find_axe_violations: Any) -> list[str]:
    """What is wrong with the page as shown: sideways scrolling, not one <h1>, axe-core violations."""
    problems = sideways_scrolling(page)
    headings = page.locator("h1").all_inner_texts()
    if len(headings) != 1:
        problems.append(f"{len(headings)} <h1> instead of one: {[text.strip()[:60] for text in headings]}")
    for violation in find_axe_violations(page):
        nodes = "; ".join(" ".join(target) for target in violation["nodes"][:3])
        problems.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']} — {nodes}")
    return problems


@pytest.mark.parametrize("size", VIEWPORTS)
def test_main_pages_fit_the_screen_have_one_h1_and_pass_axe(
    page: Any,
    size: str,
    datasets: Any,
    demo_calendar: None,
    permits: Any,
    demo_meldingen: int,
    public_verzoeken: int,
    find_axe_violations: Any,
):
    page.set_viewport_size(VIEWPORTS[size])
    numbers = page_numbers(public_verzoeken)
    failures = []
    for main_page in PAGES:
        address = main_page.address.format(**numbers)
        status = open_page(page, address, main_page.ready)
        if status != main_page.status:
            failures.append(f"{address}: answers HTTP {status}, not {main_page.status}")
            continue
        failures.extend(f"{address}: {problem}" for problem in problems_of(page, find_axe_violations))
    assert not failures, f"{len(failures)} problems at {size}:\n" + "\n".join(failures)


@pytest.fixture
def civil_servant(demo_municipality: dict[str, Any]) -> dict[str, Any]:
    """An editor of the demo municipality (the one the demo reports are for)."""
    import ckan.plugins.toolkit as tk
    from ckan.tests import factories

    user = factories.User(password="correct123")
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": demo_municipality["id"], "username": user["name"], "role": "editor"})
    return user


def sign_in(page: Any, user: dict[str, Any]) -> None:
    page.goto("/user/login")
    page.locator("#field-login").fill(user["name"])
    page.locator("#field-password").fill("correct123")
    page.locator("#field-password").press("Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_staff_pages_fit_the_screen_have_one_h1_and_pass_axe(
    page: Any, size: str, demo_meldingen: int, civil_servant: dict[str, Any], find_axe_violations: Any
):
    page.set_viewport_size(VIEWPORTS[size])
    sign_in(page, civil_servant)
    melding = first_demo_melding()
    failures = []
    for staff_page in STAFF_PAGES:
        address = staff_page.address.format(melding=melding)
        status = open_page(page, address, staff_page.ready)
        if status != staff_page.status or urlsplit(page.url).path != address:
            failures.append(f"{address}: answers HTTP {status} at {page.url}, not {staff_page.status} at itself")
            continue
        failures.extend(f"{address}: {problem}" for problem in problems_of(page, find_axe_violations))
    assert not failures, f"{len(failures)} problems at {size}:\n" + "\n".join(failures)


def test_main_pages_fit_the_smallest_phone_screen(
    page: Any, datasets: Any, demo_calendar: None, permits: Any, demo_meldingen: int, public_verzoeken: int
):
    """320 px, the narrowest phone screen still in use (WCAG 1.4.10 reflow): no page scrolls sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    numbers = page_numbers(public_verzoeken)
    failures = []
    for main_page in PAGES:
        address = main_page.address.format(**numbers)
        if open_page(page, address, main_page.ready) == main_page.status:
            failures.extend(f"{address}: {problem}" for problem in sideways_scrolling(page))
    assert not failures, f"{len(failures)} pages too wide at 320 px:\n" + "\n".join(failures)

"""Journey: on a phone, a resident shares an idea: chooses "share an idea" (only then the map appears),
places it on the map, is offered the look-alike request while typing the title, sends it anyway after
the page lists the look-alikes once more, and is told to check their mail; the idea is stored with its
place. A data request is sent without a place. The organisations come from tests/functional/verzoeken_support."""

from __future__ import annotations

import re
from typing import Any

import pytest
import verzoeken_support
from playwright.sync_api import expect
from test_page_sweep import sideways_scrolling
from verzoeken_support import confirmed_request

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

municipalities = verzoeken_support.municipalities
verzoeken_limits = verzoeken_support.verzoeken_limits
sink = verzoeken_support.sink


def _stored(titel: str) -> list[Any]:
    import ckan.model as model

    from ckanext.openoverheid.verzoeken.model import Verzoek

    model.Session.expire_all()
    return list(model.Session.query(Verzoek).filter_by(titel=titel))


def test_share_an_idea_on_the_map_on_a_phone(page: Any, app: Any, verzoeken_limits: Any, sink: Any,
                                             assert_accessible: Any):
    earlier = confirmed_request(app, sink, soort="idee", titel="Een speeltuin in het Wilhelminapark",
                                toelichting="Voor de kinderen uit de buurt.", organisatie="gemeente-testdam")
    page.set_viewport_size(PHONE)
    page.goto("/verzoeken/nieuw")
    the_map = page.locator("#verzoeken-kaart-nieuw")
    expect(the_map).to_be_hidden()  # no kind chosen yet: no place to choose
    page.get_by_label("Een idee delen").check()
    expect(the_map).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(the_map).to_be_visible()
    assert_accessible(page)
    assert sideways_scrolling(page) == []

    the_map.click()
    expect(page.locator("#gekozen-plek")).not_to_be_empty()
    assert page.locator("#input-lat").input_value() and page.locator("#input-lon").input_value()

    title = "Speeltuin in het Wilhelminapark"
    page.get_by_label("Titel").fill(title)
    offered = page.locator("#lijkt-op")
    expect(offered).to_contain_text("Bestaat dit al? Steun dan dat verzoek")
    expect(offered.get_by_role("link", name=earlier["titel"])).to_have_attribute("href", earlier["url"])

    page.get_by_label("Toelichting").fill("Met een glijbaan en schommels.")
    page.get_by_label("Aan welke organisatie vraagt u het?").select_option(label="Gemeente Testdam")
    page.get_by_label("Uw e-mailadres").fill("ouder@voorbeeld.nl")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#dubbel")).to_be_focused()  # the page lists the look-alikes once more
    assert _stored(title) == []
    expect(page.locator("#gekozen-plek")).not_to_be_empty()  # the place chosen is kept
    page.get_by_role("button", name="Versturen").click()

    expect(page.get_by_role("heading", level=1, name="Kijk in uw e-mail")).to_be_visible()
    [stored] = _stored(title)
    assert stored.soort == "idee" and stored.lat is not None and stored.lon is not None
    assert "ouder@voorbeeld.nl" not in page.content()


def test_a_data_request_is_sent_without_a_place(page: Any, verzoeken_limits: Any, sink: Any):
    page.set_viewport_size(PHONE)
    page.goto("/verzoeken/nieuw")
    page.get_by_label("Een idee delen").check()
    page.locator("#verzoeken-kaart-nieuw").click()
    page.get_by_label("Data vragen").check()  # changed their mind: data has no place
    expect(page.locator("#verzoeken-kaart-nieuw")).to_be_hidden()
    title = "Alle lantaarnpalen met hun lamp"
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Toelichting").fill("Om donkere straten te vinden.")
    page.get_by_label("Uw e-mailadres").fill("buur@voorbeeld.nl")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1, name="Kijk in uw e-mail")).to_be_visible()
    [stored] = _stored(title)
    assert stored.soort == "data" and stored.lat is None and stored.organization_id is None


def test_the_ideas_with_a_place_are_on_the_list_s_map_and_searched_by_its_area(page: Any, app: Any,
                                                                              verzoeken_limits: Any, sink: Any):
    idea = confirmed_request(app, sink, soort="idee", titel="Bankjes langs de Vecht", toelichting="Om uit te rusten.",
                             organisatie="gemeente-testdam", lat=52.0907, lon=5.1214)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/verzoeken?soort=idee")
    the_map = page.locator("[data-verzoeken-map]")
    expect(the_map).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(the_map.locator(".leaflet-marker-icon")).to_have_count(1)  # the idea's place, from the GeoJSON

    page.get_by_role("button", name="Zoek in dit kaartgebied").click()
    page.wait_for_url(re.compile(r"bbox="))
    assert "soort=idee" in page.url
    expect(page.get_by_role("link", name=idea["titel"])).to_be_visible()
    assert errors == []

"""The main journeys of residents, in a real browser, with accessibility checks on every page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

pytestmark = pytest.mark.browser

MOTIVATION = "De exacte locaties van de opvang zijn niet openbaar om de veiligheid van de bewoners te beschermen."


@pytest.fixture
def datasets(api: Any) -> dict[str, Any]:
    org = api("organization_create", name="gemeente-testerdam", title="Gemeente Testerdam")
    open_dataset = api(
        "package_create",
        name="speelplekken-testerdam",
        title="Speelplekken Testerdam",
        notes="Alle speelplekken in de openbare ruimte van Testerdam, met hun toestellen.",
        owner_org=org["id"],
        resources=[
            {"name": "Speelplekken (CSV)", "url": "https://data.testerdam.nl/speelplekken.csv", "format": "CSV"}
        ],
    )
    closed = api(
        "package_create",
        name="opvang-testerdam",
        title="Opvanglocaties Testerdam",
        notes="Adressen van de opvanglocaties.",
        owner_org=org["id"],
        access_rights="niet-publiek",
        woo_grounds=["5.1.2.e"],
        woo_motivation=MOTIVATION,
        review_date=(datetime.date.today() + datetime.timedelta(days=365)).isoformat(),
        resources=[{"name": "Adressen", "url": "https://data.testerdam.nl/geheim/adressen.csv", "format": "CSV"}],
    )
    return {"open": open_dataset, "closed": closed}


def test_find_and_open_a_dataset(page, datasets, assert_accessible):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page)
    page.get_by_role("link", name="Datasets zoeken").click()
    page.wait_for_url("**/dataset/")
    search = page.locator("#field-giant-search")
    search.fill("speelplekken")
    search.press("Enter")
    page.wait_for_url("**/dataset/?q=speelplekken*")
    assert_accessible(page)  # the search page with its facets
    page.get_by_role("link", name="Speelplekken Testerdam").click()
    page.wait_for_url("**/dataset/speelplekken-testerdam")
    assert page.get_by_role("heading", level=1, name="Speelplekken Testerdam").is_visible()
    assert page.get_by_text("Speelplekken (CSV)").first.is_visible()
    assert_accessible(page)


def test_see_why_a_dataset_is_closed(page, datasets, assert_accessible):
    page.goto("/openheid")
    assert_accessible(page)
    page.get_by_role("link", name="Opvanglocaties Testerdam").click()
    page.wait_for_url("**/dataset/opvang-testerdam")
    notice = page.locator(".openoverheid-closed-notice")
    assert notice.is_visible()
    assert "5.1.2.e" in notice.inner_text()
    assert MOTIVATION in notice.inner_text()
    assert "geheim/adressen.csv" not in page.content()
    assert_accessible(page)


def test_keyboard_reaches_the_tasks_on_the_front_page(page, datasets):
    page.goto("/")
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement && document.activeElement.textContent.trim()"))
    assert any("Datasets zoeken" in (text or "") for text in reached)
    assert any("Openheidsregister" in (text or "") for text in reached)

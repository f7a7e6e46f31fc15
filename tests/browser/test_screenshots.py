"""Screenshots of the main pages for review, with the data of the journeys: ``make screenshots``
writes them to var/screenshots/. Runs only when OPENOVERHEID_SCREENSHOTS names the directory to
write to; skipped otherwise (so `make test` passes over it)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import test_journey_afvalkalender as afvalkalender
import test_journey_vergunningen as vergunningen
import test_journeys as journeys
from playwright.sync_api import expect

from ckanext.openoverheid.demo.meldingen import load_demo_meldingen

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.environ.get("OPENOVERHEID_SCREENSHOTS"),
        reason="set OPENOVERHEID_SCREENSHOTS=<dir> (make screenshots) to write screenshots",
    ),
]

datasets = journeys.datasets
demo_calendar = afvalkalender.demo_calendar
permits = vergunningen.permits

# (file name, address, what must be drawn before the picture is taken: the map and its markers)
PAGES: list[tuple[str, str, str | None]] = [
    ("01-voorpagina", "/", None),
    ("02-datasets-zoeken", "/dataset/", None),
    ("03-dataset", "/dataset/speelplekken-testerdam", None),
    ("04-gesloten-dataset", "/dataset/opvang-testerdam", None),
    ("05-openheidsregister", "/openheid", None),
    ("06-afvalkalender", "/afvalkalender?postcode=3512AH&huisnummer=13", None),
    ("07-vergunningen", "/vergunningen?q=3512", "#vergunningen-kaart .leaflet-marker-icon"),
    ("08-meldingen", "/meldingen", "#meldingen-kaart .leaflet-marker-icon"),
    ("09-melding-maken", "/meldingen/nieuw", "#meldingen-kaart-nieuw .leaflet-control-zoom"),
]


def settle_maps(page: Any) -> None:
    """Wait until the maps have fitted their markers: no requests for a moment, no zoom or cluster animation."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')")


@pytest.fixture
def demo_meldingen(demo_municipality: dict[str, Any]) -> int:
    """The demo reports of Utrecht (its area is in test.ini), some of them handled."""
    created = load_demo_meldingen()
    assert created > 0
    return created


def test_screenshots_of_the_main_pages(
    page: Any, datasets: Any, demo_calendar: None, permits: Any, demo_meldingen: int
):
    directory = Path(os.environ["OPENOVERHEID_SCREENSHOTS"])
    directory.mkdir(parents=True, exist_ok=True)
    for name, address, ready in PAGES:
        response = page.goto(address)
        assert response is not None and response.ok, f"{address}: {response and response.status}"
        if ready:
            expect(page.locator(ready).first).to_be_visible()
            settle_maps(page)
        page.screenshot(path=str(directory / f"{name}.png"), full_page=True)
    written = sorted(path.name for path in directory.glob("*.png"))
    assert {f"{name}.png" for name, _, _ in PAGES} <= set(written)

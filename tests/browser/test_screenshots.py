"""Screenshots of the main pages for review, on a phone (390×844) and a desktop (1280×900), with the
data of the journeys: ``make screenshots`` writes them to var/screenshots/ as ``<page>-<size>.png``.
The pages are those the page sweep (test_page_sweep.py) checks. Runs only when
OPENOVERHEID_SCREENSHOTS names the directory to write to; skipped otherwise (so `make test` passes
over it)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import test_page_sweep as sweep

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.environ.get("OPENOVERHEID_SCREENSHOTS"),
        reason="set OPENOVERHEID_SCREENSHOTS=<dir> (make screenshots) to write screenshots",
    ),
]

datasets = sweep.datasets
demo_calendar = sweep.demo_calendar
permits = sweep.permits
public_verzoeken = sweep.public_verzoeken


def test_screenshots_of_the_main_pages(
    page: Any, datasets: Any, demo_calendar: None, permits: Any, demo_meldingen: int, public_verzoeken: int
):
    directory = Path(os.environ["OPENOVERHEID_SCREENSHOTS"])
    directory.mkdir(parents=True, exist_ok=True)
    numbers = sweep.page_numbers(public_verzoeken)
    expected = set()
    for size, viewport in sweep.VIEWPORTS.items():
        page.set_viewport_size(viewport)
        for page_to_show in sweep.PAGES:
            address = page_to_show.address.format(**numbers)
            status = sweep.open_page(page, address, page_to_show.ready)
            assert status == page_to_show.status, f"{address}: HTTP {status}"
            name = f"{page_to_show.name}-{size}.png"
            page.screenshot(path=str(directory / name), full_page=True)
            expected.add(name)
    assert expected <= {path.name for path in directory.glob("*.png")}

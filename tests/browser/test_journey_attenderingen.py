"""Subscribing to an alert in a browser, on a phone and a desktop: the kind is chosen by a link, the
form fits the screen and passes axe-core (WCAG 2.1 AA), and after a mistake the error summary has the
focus and its link leads to the field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]


def fits(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_a_resident_chooses_permits_makes_a_mistake_and_is_led_to_the_field(page, assert_accessible, viewport):
    page.set_viewport_size(viewport)
    page.goto("/attenderingen")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert fits(page)
    assert_accessible(page)

    kinds = page.locator("#field-soort")
    kinds.get_by_role("link", name=re.compile("^Vergunningen")).click()
    expect(kinds.locator('[aria-current="true"]')).to_contain_text("Vergunningen (gekozen)")
    expect(page.get_by_label("Postcode")).to_be_visible()
    assert fits(page)
    assert_accessible(page)

    page.get_by_label("Postcode").fill("35")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Kapvergunning").check()
    page.get_by_label("Uw e-mailadres").fill("bewoner@example.org")
    page.get_by_role("button", name="Aanmelden").click()

    summary = page.locator("#foutmeldingen")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("vier cijfers en twee letters")
    expect(page.get_by_label("Kapvergunning")).to_be_checked()
    assert fits(page)
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#field-postcode")
    expect(page.get_by_label("Postcode")).to_have_attribute("aria-invalid", "true")

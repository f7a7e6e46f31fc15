"""The header on a phone and against its background: the tagline wraps, the title and tagline can be read;
on a desktop the main menu is one line."""

from __future__ import annotations

import re

import pytest

TAGLINE = "Open data, vergunningen, afvalkalenders en meldingen van de overheid: open, tenzij."
COLOURS = """() => {
  const colour = (selector, property) => getComputedStyle(document.querySelector(selector))[property];
  return [colour('header.masthead', 'backgroundColor'), colour('.openoverheid-site-title', 'color'),
          colour('.openoverheid-tagline', 'color')];
}"""


def contrast(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two CSS rgb() colours."""

    def luminance(css: str) -> float:
        channels = [int(value) / 255 for value in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_the_wcag_ratio():
    assert round(contrast("rgb(255, 255, 255)", "rgb(0, 0, 0)"), 1) == 21.0
    assert round(contrast("rgb(0, 93, 122)", "rgb(32, 107, 130)"), 1) == 1.2  # CKAN's link on its masthead


@pytest.mark.ckan_config("ckan.site_logo", "")
@pytest.mark.ckan_config("ckan.site_description", TAGLINE)
@pytest.mark.parametrize("path", ["/", "/en/"])
def test_header_fits_a_phone_and_can_be_read(page, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path)
    assert page.locator("header.masthead p.openoverheid-tagline").inner_text() == TAGLINE
    assert page.evaluate("document.querySelector('header.masthead').scrollWidth") <= 390
    background, title, tagline = page.evaluate(COLOURS)
    assert contrast(background, title) >= 4.5, (background, title)
    assert contrast(background, tagline) >= 4.5, (background, tagline)


@pytest.mark.ckan_config("ckan.site_logo", "")
@pytest.mark.ckan_config("ckan.site_description", TAGLINE)
@pytest.mark.parametrize("path", ["/about", "/en/about"])
def test_about_page_is_accessible(page, path, assert_accessible):
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_the_main_menu_is_one_line_on_a_desktop(page, path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(path)
    items = page.locator("nav.openoverheid-nav li")
    tops = {round(box["y"]) for box in (items.nth(i).bounding_box() for i in range(items.count()))}
    assert items.count() >= 8 and len(tops) == 1, (items.all_inner_texts(), tops)

"""Journey: a developer, with the keyboard only (Tab and Enter, no mouse), goes from the front page to
"Voor ontwikkelaars", reads how to get an Open311 key, follows the link to the API document and takes
the Open311 documents, the DCAT catalogue, the exports and the feeds listed on the page: each of them
answers in its own format. The focus can be seen at every step."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit

import pytest
import rdflib
import test_journey_vergunningen as vergunningen
import test_journeys as journeys
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

datasets = journeys.datasets
permits = vergunningen.permits

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
# the DCAT catalogue's file extensions: (media type, rdflib format)
RDF_SERIALISATIONS = {".ttl": ("text/turtle", "turtle"), ".rdf": ("application/rdf+xml", "xml")}
MAX_TABS = 120

# What the focused element looks like, and whether a keyboard user can see where the focus is: an
# outline or a box shadow (the two ways focus styles are drawn).
FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {
    text: (element.innerText || element.getAttribute('aria-label') || element.value || '').trim().slice(0, 80),
    href: element.getAttribute('href') || '',
    visible: outline || style.boxShadow !== 'none',
  };
}"""


class Keyboard:
    """The developer's hands: Tab until a link is reached, remembering every focus that could not be seen."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.unseen_focus: list[str] = []

    def tab_to(self, href_ends: str, text: str) -> dict[str, Any]:
        """Press Tab until the focus is on a link to ``href_ends`` whose text contains ``text``."""
        passed = []
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            focus = self.page.evaluate(FOCUS)
            if focus is None:
                continue
            if not focus["visible"]:
                self.unseen_focus.append(f"{urlsplit(self.page.url).path}: {focus['text'] or focus['href']!r}")
            if focus["href"].split("?")[0].endswith(href_ends) and text in focus["text"]:
                return focus
            passed.append(focus["text"][:30])
        raise AssertionError(f"{text!r} ({href_ends}) not reached by Tab on {self.page.url}; passed {passed}")

    def follow(self, href_ends: str, text: str) -> None:
        """Tab to the link and press Enter."""
        self.tab_to(href_ends, text)
        self.page.keyboard.press("Enter")


def parse_answer(path: str, content_type: str, body: bytes) -> str:
    """Check the answer of an endpoint in the format its name promises; returns what it holds, for
    the failure message."""
    media = content_type.split(";")[0].strip()
    extension = "." + path.rsplit(".", 1)[-1]
    if extension in RDF_SERIALISATIONS:
        expected_media, rdf_format = RDF_SERIALISATIONS[extension]
        assert media == expected_media, media
        graph = rdflib.Graph().parse(data=body, format=rdf_format)
        found = set(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
        assert found, "no dcat:Dataset"
        return f"{len(found)} dcat:Dataset"
    if path.endswith(".csv"):
        assert media == "text/csv", media
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows, "no rows"
        return f"{len(rows)} rows"
    if path.endswith(".jsonl"):
        assert media in ("application/jsonl", "application/x-ndjson", "application/x-jsonlines"), media
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        assert lines, "no lines"
        return f"{len(lines)} lines"
    if path.endswith(".geojson"):
        assert media == "application/geo+json", media
        collection = json.loads(body)
        assert collection["type"] == "FeatureCollection" and collection["features"], "no features"
        return f"{len(collection['features'])} features"
    if path.endswith(".rss"):
        assert media == "application/rss+xml", media
        channel = ET.fromstring(body).find("channel")
        assert channel is not None and (channel.findtext("title") or "").strip(), "no channel title"
        return f"{channel.findtext('title')}: {len(channel.findall('item'))} items"
    if path.endswith(".json"):
        assert media == "application/json", media
        json.loads(body)
        return "JSON"
    raise AssertionError(f"no format known for {path}")


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["390x844", "1280x900"]
)
def test_developer_finds_the_api_and_the_open_data_by_keyboard(
    page: Any, viewport: dict[str, int], datasets: Any, permits: Any, demo_meldingen: int
):
    page.set_viewport_size(viewport)
    keyboard = Keyboard(page)
    page.goto("/")

    # The front page itself offers the way in (its list of tasks), before the footer does.
    focus = keyboard.tab_to("/ontwikkelaars", "Voor ontwikkelaars")
    assert page.locator(".openoverheid-task-list").get_by_role("link", name="Voor ontwikkelaars").evaluate(
        "link => link === document.activeElement"
    ), focus
    assert page.locator("footer").get_by_role("link", name="Voor ontwikkelaars").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/ontwikkelaars")
    expect(page.get_by_role("heading", level=1)).to_have_text("Voor ontwikkelaars")

    # How to get an Open311 key: through the page's contents to its section.
    keyboard.follow("#open311", "Open311")
    page.wait_for_url("**/ontwikkelaars#open311")
    key_heading = page.get_by_role("heading", level=3, name="Meldingen indienen: een API-sleutel")
    expect(key_heading).to_be_in_viewport()
    steps = page.locator("section[aria-labelledby=open311] ol > li")
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text("beheerders van dit portaal")
    expect(steps.nth(1)).to_contain_text("sleutel")
    expect(page.locator("section[aria-labelledby=open311] pre").last).to_contain_text("api_key=")
    # An app that starts from Open311's discovery document is sent to the same steps.
    open311 = page.locator("section[aria-labelledby=open311]")
    discovery = page.request.get(open311.get_by_role("link", name="discovery.json").get_attribute("href")).json()
    assert discovery["key_service"].endswith("/ontwikkelaars#open311-key"), discovery["key_service"]

    # What the page lists as Open311, DCAT, exports and feeds, as the developer will take them.
    listed = page.locator(
        "section[aria-labelledby=open311] a[href$='.json'], section[aria-labelledby=dcat] a[href], "
        "section[aria-labelledby=feeds] a[href]"
    )
    addresses = listed.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    paths = {urlsplit(address).path for address in addresses}
    expected = {"/open311/v2/discovery.json", "/catalog.ttl", "/export/datasets.rdf", "/feeds/dataset.rss"}
    assert expected <= paths, addresses

    # The API document: its page, then the OpenAPI document that page points to.
    page.goto("/ontwikkelaars")
    keyboard.follow("/api/openoverheid/", "De API beschreven")
    page.wait_for_url("**/api/openoverheid/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Machineleesbare beschrijving (OpenAPI 3):")).to_be_visible()
    keyboard.follow("/api/openoverheid/openapi.json", "openapi.json")
    page.wait_for_url("**/api/openoverheid/openapi.json")
    document = json.loads(page.locator("pre").first.inner_text())
    assert document["openapi"].startswith("3.") and document["paths"], list(document)

    # Every catalogue, export and feed listed answers in the format its name says.
    answers, failures = {}, []
    for address in addresses:
        response = page.request.get(address)
        path = urlsplit(address).path
        try:
            assert response.status == 200, f"HTTP {response.status}"
            answers[address] = parse_answer(path, response.headers.get("content-type", ""), response.body())
        except Exception as error:  # noqa: BLE001 - every endpoint is tried, all failures reported together
            failures.append(f"{address}: {error}")
    assert not failures, "\n".join(failures) + f"\nanswered: {answers}"
    assert keyboard.unseen_focus == [], f"focus cannot be seen on: {keyboard.unseen_focus}"

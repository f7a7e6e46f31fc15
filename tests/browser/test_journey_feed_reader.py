"""Journey: a person who wants to be told about new things finds the feed link on the page they are on
(an organisation's page, the permits near them), opens it and sees a page that says what the feed follows
and how to subscribe (the portal's page made with /feeds/feed.xsl); then the same address, fetched the way a feed reader
fetches it, is a valid feed with that title. Data is made for real (datasets through the API, permits
harvested from the demo's local SRU server)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import feedparser
import pytest
from playwright.sync_api import expect

from ckanext.openoverheid.demo import vergunningen as demo

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
READER = {"Accept": "application/atom+xml, application/rss+xml;q=0.9, application/xml;q=0.5"}


def assert_our_page_accessible(page: Any, assert_accessible: Any) -> None:
    """axe-core on the styled feed: a page the portal made, not the browser's XSLT (which browsers are
    dropping; Chromium already warns about it with a banner)."""
    assert page.locator("xslt-warning-banner").count() == 0
    assert_accessible(page)


def read_as_a_feed_reader(page: Any, url: str, kind: str) -> Any:
    """The feed at ``url`` fetched as a feed reader does, parsed; fails unless it is a well-formed feed."""
    response = page.request.get(url, headers=READER)
    assert response.status == 200
    assert response.headers["content-type"].startswith(f"application/{kind}+xml")
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version.startswith(kind)
    return feed


def test_follow_an_organisation_from_its_page(page: Any, api: Any, assert_accessible: Any):
    org = api("organization_create", name="gemeente-volgdam", title="Gemeente Volgdam")
    for name, title in (("bomen-volgdam", "Bomen in Volgdam"), ("bruggen-volgdam", "Bruggen in Volgdam")):
        api("package_create", name=name, title=title, notes=f"{title}, met hun ligging.", owner_org=org["id"],
            resources=[{"url": f"https://data.volgdam.example/{name}.csv", "format": "CSV"}])
    page.set_viewport_size(PHONE)
    page.goto("/organization/gemeente-volgdam")

    follow = page.get_by_role("region", name="Volg Gemeente Volgdam")
    link = follow.get_by_role("link", name="Datasets van Gemeente Volgdam (RSS)")
    expect(link).to_be_visible()
    address = link.get_attribute("href") or ""
    link.click()

    page.wait_for_url("**/feeds/organization/gemeente-volgdam.rss")
    title = page.get_by_role("heading", level=1)
    expect(title).to_contain_text("Gemeente Volgdam")
    expect(page.get_by_role("heading", level=2, name="Dit is een nieuwsfeed")).to_be_visible()
    expect(page.get_by_role("link", name="Bomen in Volgdam")).to_be_visible()
    expect(page.get_by_role("link", name="Bruggen in Volgdam")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_our_page_accessible(page, assert_accessible)

    feed = read_as_a_feed_reader(page, address, "rss")
    assert feed.feed.title == title.inner_text()
    assert {entry.title for entry in feed.entries} == {"Bomen in Volgdam", "Bruggen in Volgdam"}


def test_follow_the_permits_near_me_from_the_permits_page(
    page: Any, demo_municipality: dict[str, Any], assert_accessible: Any
):
    summary = demo.load_demo(feed=demo.SampleFeed(records=60))
    assert summary.status == "Finished" and not summary.object_errors, summary
    page.goto("/vergunningen?q=3512")
    heading = page.locator("#vergunningen-resultaat").inner_text()
    shown = page.locator(".vergunningen-item").count()
    assert heading.startswith(f"{shown} vergunning")

    link = page.locator(".vergunningen-follow").get_by_role("link", name="Atom", exact=True)
    expect(link).to_be_visible()
    address = link.get_attribute("href") or ""
    link.click()

    page.wait_for_url("**/feeds/vergunningen.atom?*")
    site = tk.config.get("ckan.site_title")
    expected_title = f"Vergunningen in postcodegebied 3512 — {site}"
    expect(page.get_by_role("heading", level=1)).to_have_text(expected_title)
    expect(page.get_by_role("heading", level=2, name="Dit is een nieuwsfeed")).to_be_visible()
    expect(page.locator("main ol > li")).to_have_count(shown)
    assert_our_page_accessible(page, assert_accessible)

    feed = read_as_a_feed_reader(page, address, "atom")
    assert feed.feed.title == expected_title
    assert len(feed.entries) == shown

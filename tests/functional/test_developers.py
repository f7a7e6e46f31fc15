"""The front door for developers and feed readers: the page /ontwikkelaars in both languages and where
it is linked from, Open311's discovery pointing to it, feed titles that say what they follow, and the
XSLT stylesheet that shows a feed in a browser as a page."""

from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
import feedparser
import meldingen_support
import pytest
from lxml import etree
from meldingen_support import IN_TESTDAM, create_melding

municipalities = meldingen_support.municipalities

SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


def _html(app, path: str) -> str:
    response = app.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_the_developer_page_is_dutch_and_english_with_working_links(app, municipalities, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.catalog_contact_email", "opendata@testdam.nl")
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.open311.rate_limit", 123)
    dutch = _html(app, "/ontwikkelaars")
    assert "<h1>Voor ontwikkelaars</h1>" in dutch and 'lang="nl"' in dutch
    assert "Meldingen indienen via Open311: 123 per 60 minuten per API-sleutel." in dutch
    assert 'href="mailto:opendata@testdam.nl"' in dutch
    for section in ("api", "action-api", "open311", "open311-key", "dcat", "feeds", "calendars", "limits"):
        assert f'id="{section}"' in dutch, section
    for path in ("/api/openoverheid/", "/api/openoverheid/openapi.json", "/open311/v2/discovery.json",
                 "/open311/v2/services.json", "/open311/v2/requests.json", "/catalog.ttl", "/export/datasets.rdf",
                 "/export/datasets.csv", "/feeds/dataset.rss", "/feeds/meldingen.rss", "/meldingen.geojson",
                 "/openheid.csv", "/api/openoverheid/vergunningen.geojson", "/feeds/publicaties.rss"):
        assert path in _links(dutch), path
        assert app.get(path).status_code == 200, path
    assert "curl " in dutch

    english = _html(app, "/en/ontwikkelaars")
    assert "<h1>For developers</h1>" in english and 'lang="en"' in english
    assert "Submitting reports through Open311: 123 per 60 minutes per API key." in english


def test_the_developer_page_is_linked_from_the_front_page_the_footer_and_the_api_page(app, portal):
    for path in ("/", "/en/", "/dataset/", "/api/openoverheid/"):
        html = _html(app, path)
        prefix = "/en" if path.startswith("/en/") else ""
        assert f"{prefix}/ontwikkelaars" in _links(html), path
        if path != "/api/openoverheid/":  # the API reference cites CKAN's Action API documentation on purpose
            assert "docs.ckan.org" not in html, path
    front = _html(app, "/")
    assert "Voor ontwikkelaars" in front
    assert "/api/openoverheid/" in _links(_html(app, "/ontwikkelaars"))


def test_open311_discovery_sends_outsiders_to_the_developer_page(app, municipalities):
    document = app.get("/open311/v2/discovery.json").get_json(force=True)
    assert "ckan openoverheid" not in document["key_service"]
    assert "http://test.ckan.net/ontwikkelaars#open311-key" in document["key_service"]
    assert document["key_service"].startswith("Vraag de beheerders van Open Overheid (test) om een API-sleutel")
    assert document["contact"] == "http://test.ckan.net/ontwikkelaars"


def _feed(app, path: str, **query):
    response = app.get(path, query_string=query)
    assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed, response


def test_feed_titles_name_the_organisation_category_and_area(app, municipalities):
    create_melding(description="Kapotte tegel", address="Domplein 9, Utrecht")
    site = tk.config.get("ckan.site_title")
    parsed, _ = _feed(app, "/feeds/meldingen.rss", organisatie="gemeente-testdam", categorie="groen")
    assert parsed.feed.title == f"Meldingen: Groen en bomen in Gemeente Testdam — {site}"
    parsed, _ = _feed(app, "/en/feeds/meldingen.atom", lat=IN_TESTDAM[0], lon=IN_TESTDAM[1], straal=250)
    assert parsed.feed.title == f"Reports around {IN_TESTDAM[0]}, {IN_TESTDAM[1]} (250 m) — {site}"
    parsed, _ = _feed(app, "/feeds/organization/gemeente-testdam.rss")
    assert parsed.feed.title == f"Datasets van Gemeente Testdam — {site}"


# as the styled feed writes a date
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


@pytest.mark.parametrize("path", ["/feeds/dataset.rss", "/feeds/dataset.atom", "/feeds/meldingen.rss",
                                  "/feeds/openheid.atom", "/en/feeds/organization/gemeente-testdam.atom"])
def test_feeds_name_the_stylesheet_and_a_browser_can_apply_it(app, municipalities, path):
    create_melding(description="Kapotte tegel", address="Domplein 9, Utrecht")
    parsed, response = _feed(app, path)
    body = response.get_data()
    prefix = "/en" if path.startswith("/en/") else ""
    instruction = f'<?xml-stylesheet type="text/xsl" href="{prefix}/feeds/feed.xsl"?>'.encode()
    assert body.splitlines()[1] == instruction  # right after the XML declaration, before the root
    assert response.mimetype in ("application/rss+xml", "application/atom+xml")

    stylesheet = app.get(f"{prefix}/feeds/feed.xsl")
    assert stylesheet.status_code == 200 and stylesheet.mimetype == "text/xsl"
    transform = etree.XSLT(etree.fromstring(stylesheet.get_data(), SAFE))
    page = str(transform(etree.fromstring(body, SAFE)))
    assert f"<h1>{parsed.feed.title}</h1>" in page.replace("&amp;", "&")
    assert ("This is a news feed" if prefix else "Dit is een nieuwsfeed") in page
    for entry in parsed.entries:
        assert f'href="{entry.link}"' in page
        moment = entry.updated_parsed if path.endswith(".atom") else entry.published_parsed
        months = MONTHS_EN if prefix else MONTHS_NL
        assert f"{moment.tm_mday} {months[moment.tm_mon - 1]} {moment.tm_year}" in " ".join(page.split())


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
READER_ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.4, text/xml;q=0.4"


@pytest.mark.parametrize("path", ["/feeds/dataset.rss", "/feeds/meldingen.atom", "/en/feeds/meldingen.rss",
                                  "/en/feeds/openheid.rss"])
def test_a_browser_gets_the_styled_page_made_by_the_portal_and_a_reader_the_feed(app, municipalities, path):
    # Chromium shows application/rss+xml as plain text and is dropping XSLT: the portal applies it itself
    create_melding(description="Kapotte tegel", address="Domplein 9, Utrecht")
    browser = app.get(path, headers={"Accept": BROWSER_ACCEPT})
    reader = app.get(path, headers={"Accept": READER_ACCEPT})
    plain = app.get(path)
    assert browser.mimetype == "text/html"
    assert reader.mimetype == plain.mimetype == f"application/{path.rsplit('.', 1)[1]}+xml"
    assert "Accept" in browser.headers["Vary"] and "Accept" in reader.headers["Vary"]
    assert browser.headers["ETag"] != reader.headers["ETag"]

    prefix = "/en" if path.startswith("/en/") else ""
    stylesheet = etree.XSLT(etree.fromstring(app.get(f"{prefix}/feeds/feed.xsl").get_data(), SAFE))
    assert browser.get_data() == bytes(stylesheet(etree.fromstring(reader.get_data(), SAFE)))
    page = browser.get_data(as_text=True)
    parsed = feedparser.parse(reader.get_data())
    assert page.count("<h1>") == 1 and f"<h1>{parsed.feed.title}</h1>" in page.replace("&amp;", "&")
    assert ("This is a news feed" if prefix else "Dit is een nieuwsfeed") in page
    assert f'lang="{"en" if prefix else "nl"}"' in page
    assert "xml-stylesheet" not in page
    assert parsed.entries or "meldingen" not in path
    for entry in parsed.entries:
        assert f'href="{entry.link}"' in page

    again = app.get(path, headers={"Accept": BROWSER_ACCEPT, "If-None-Match": browser.headers["ETag"]})
    assert again.status_code == 200 and again.get_data() == browser.get_data(), "the page is sent whole"


def test_an_organisation_page_shows_its_feed_links(app, municipalities):
    html = _html(app, "/organization/gemeente-testdam")
    assert "Volg Gemeente Testdam" in html
    assert '<a class="openoverheid-feed-link" href="/feeds/organization/gemeente-testdam.rss"' in html
    assert '<a class="openoverheid-feed-link" href="/feeds/organization/gemeente-testdam.atom"' in html


def test_the_file_format_facet_reads_as_a_filter_not_as_a_feed(app, api, municipalities):
    api("package_create", name="meetpunten-testdam", title="Meetpunten Testdam", notes="Meetpunten.",
        owner_org="gemeente-testdam", resources=[{"url": "https://testdam.example/meetpunten.rss", "format": "RSS"}])
    for path in ("/dataset/", "/organization/gemeente-testdam"):
        html = _html(app, path)
        assert re.search(r'<h2 class="module-heading[^"]*">\s*Bestandsformaat\s*</h2>', html), path
        assert '<nav aria-label="Filteren op: Bestandsformaat">' in html
        link = re.search(r'<a [^>]*href="[^"]*res_format=RSS[^"]*"[^>]*>(.*?)</a>', html, re.S)
        assert link, path
        words = " ".join(re.sub(r"<[^>]+>", "", link.group(1)).split())
        assert words == "RSS (1 dataset)", words  # a filter with its count, not "RSS" alone like a feed link
    chosen = _html(app, "/dataset/?res_format=RSS")
    link = re.search(r'<a [^>]*aria-current="true"[^>]*>(.*?)</a>', chosen, re.S)
    assert link and "(filter staat aan: kies om het weg te halen)" in link.group(1)


def test_the_dataset_search_shows_the_feed_of_its_search(app, municipalities):
    everything = _html(app, "/dataset/")
    assert "Volg „Nieuwe en gewijzigde datasets” in uw feedlezer:" in everything
    assert '<a href="/feeds/dataset.rss" type="application/rss+xml">RSS</a>' in everything
    searched = _html(app, "/dataset/?q=bomen")
    assert "Volg „Datasets bij deze zoekopdracht” in uw feedlezer:" in searched
    assert re.search(r'<a href="/feeds/search\.atom\?q=bomen" type="application/atom\+xml">Atom</a>', searched)

"""The dataset feeds on the real services, read with feedparser as a feed reader would."""

from __future__ import annotations

import datetime
import json
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest

pytestmark = pytest.mark.usefixtures("portal")

NATUUR = "http://standaarden.overheid.nl/owms/terms/Natuur_en_milieu"
VERKEER = "http://standaarden.overheid.nl/owms/terms/Verkeer_(thema)"
MOTIVATION = "Openbaarmaking van de exacte locaties brengt de veiligheid van de bewoners in gevaar."
CENTROID = '{"type": "Point", "coordinates": [5.1214, 52.0907]}'
BBOX = "POLYGON((5.0 52.0, 5.2 52.0, 5.2 52.2, 5.0 52.2, 5.0 52.0))"
BROKEN_HTML = "<p>Onafgesloten <b>tags <div>en een <script>alert('x')</script> \x0b stuurteken ]]> &bogus;"


def _letters(prefix: str) -> str:
    # letters only: Solr's word splitting would cut a mixed marker into tokens found elsewhere
    return prefix + uuid.uuid4().hex[:12].translate(str.maketrans("0123456789", "ghijklmnop"))


@pytest.fixture
def catalogue(api: Any) -> dict[str, Any]:
    """Two organisations, datasets with themes, tags and locations, one closed and one private."""
    utrecht = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    zeist = api("organization_create", name="gemeente-zeist", title="Gemeente Zeist")
    marker = _letters("geheim")

    def dataset(name: str, org: dict[str, Any], **fields: Any) -> dict[str, Any]:
        fields.setdefault("notes", f"Beschrijving van {name}.")
        return api("package_create", name=name, title=name.replace("-", " ").capitalize(), owner_org=org["id"],
                   **fields)

    created = [
        dataset("bomen-utrecht", utrecht, theme=[NATUUR], tags=[{"name": "bomen"}, {"name": "groen"}],
                spatial_coverage=[{"text": "Utrecht", "centroid": CENTROID}],
                resources=[{"url": "https://data.utrecht.nl/bomen.csv", "format": "CSV"}]),
        dataset("parkeren-utrecht", utrecht, theme=[VERKEER], tags=[{"name": "parkeren"}],
                spatial_coverage=[{"text": "Utrecht", "bbox": BBOX}],
                resources=[{"url": "https://data.utrecht.nl/parkeren.json", "format": "JSON"}]),
        dataset("kapotte-html", utrecht, notes=BROKEN_HTML, tags=[{"name": "groen"}]),
        dataset("bomen-zeist", zeist, theme=[NATUUR, VERKEER], tags=[{"name": "bomen"}], license_id="cc-by"),
        dataset(
            "opvang-zeist", zeist, theme=[NATUUR], tags=[{"name": "bomen"}],
            notes="Locaties van de opvang in Zeist.",
            access_rights="niet-publiek", woo_grounds=["5.1.2.e"], woo_motivation=MOTIVATION,
            review_date=(datetime.date.today() + datetime.timedelta(days=400)).isoformat(),
            contact=[{"name": "Team Data", "email": "data@zeist.nl"}],
            resources=[{"url": f"https://data.zeist.nl/{marker}/opvang.csv", "description": f"Bestand {marker}",
                        "format": "CSV"}],
        ),
        dataset("prive-zeist", zeist, private=True, tags=[{"name": "bomen"}]),
    ]
    return {"utrecht": utrecht, "zeist": zeist, "marker": marker, "datasets": {d["name"]: d for d in created}}


def _get(app: Any, url: str, status: int = 200, **kwargs: Any) -> Any:
    response = app.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:500])
    return response


def _parse(response: Any) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, (response.request.path, parsed.get("bozo_exception"))
    return parsed


def _names(parsed: feedparser.FeedParserDict) -> list[str]:
    return [urlsplit(entry.link).path.rsplit("/", 1)[-1] for entry in parsed.entries]


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = json.loads(response.get_data(as_text=True))
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["instance"] == response.request.path
    return body


PUBLIC_NAMES = {"bomen-utrecht", "parkeren-utrecht", "kapotte-html", "bomen-zeist", "opvang-zeist"}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_site_feed_lists_public_datasets_newest_change_first(app, api, catalogue, kind):
    api("package_patch", id="bomen-utrecht", notes="Bijgewerkt: alle bomen van Utrecht.")
    response = _get(app, f"/feeds/dataset.{kind}")
    assert response.mimetype == f"application/{kind}+xml"
    parsed = _parse(response)
    names = _names(parsed)
    assert set(names) == PUBLIC_NAMES  # not the private one
    assert names[0] == "bomen-utrecht"  # changed last
    updated = [entry.updated_parsed for entry in parsed.entries]
    assert updated == sorted(updated, reverse=True)

    bomen = parsed.entries[0]
    assert bomen.title == "Bomen utrecht"
    assert bomen.author == "Gemeente Utrecht"
    assert "Bijgewerkt: alle bomen van Utrecht." in bomen.summary
    labels = {tag.get("label") or tag.term for tag in bomen.tags}
    assert {"Natuur en milieu", "bomen", "groen"} <= labels
    assert bomen.where["type"] == "Point"
    assert bomen.where["coordinates"] == pytest.approx((5.1214, 52.0907))

    parkeren = parsed.entries[names.index("parkeren-utrecht")]
    assert parkeren.where["type"] == "Box"
    assert parkeren.where["coordinates"] == (pytest.approx((5.0, 52.0)), pytest.approx((5.2, 52.2)))
    assert "Verkeer" in {tag.get("label") or tag.term for tag in parkeren.tags}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_broken_html_in_a_description_gives_a_valid_feed(app, catalogue, kind):
    parsed = _parse(_get(app, f"/feeds/tag/groen.{kind}"))
    entry = parsed.entries[_names(parsed).index("kapotte-html")]
    assert "Onafgesloten tags" in entry.summary
    assert "alert" not in entry.summary


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_organisation_theme_and_tag_feeds(app, catalogue, kind):
    assert set(_names(_parse(_get(app, f"/feeds/organization/gemeente-utrecht.{kind}")))) == {
        "bomen-utrecht", "parkeren-utrecht", "kapotte-html"}
    by_id = _parse(_get(app, f"/feeds/organization/{catalogue['zeist']['id']}.{kind}"))
    assert set(_names(by_id)) == {"bomen-zeist", "opvang-zeist"}
    assert "Gemeente Zeist" in by_id.feed.title

    natuur = {"bomen-utrecht", "bomen-zeist", "opvang-zeist"}
    assert set(_names(_parse(_get(app, f"/feeds/theme/natuur-en-milieu.{kind}")))) == natuur
    # the URI works too, encoded or not (werkzeug merges the double slash; we restore it)
    assert set(_names(_parse(_get(app, f"/feeds/theme/{NATUUR}.{kind}", follow_redirects=True)))) == natuur
    encoded = NATUUR.replace(":", "%3A").replace("/", "%2F")
    assert set(_names(_parse(_get(app, f"/feeds/theme/{encoded}.{kind}", follow_redirects=True)))) == natuur

    assert set(_names(_parse(_get(app, f"/feeds/tag/bomen.{kind}")))) == {"bomen-utrecht", "bomen-zeist",
                                                                          "opvang-zeist"}
    assert _parse(_get(app, f"/feeds/tag/bestaat-niet.{kind}")).entries == []


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_unknown_organisation_or_theme_is_a_404_problem(app, catalogue, kind):
    _problem(app.get(f"/feeds/organization/bestaat-niet.{kind}"), 404)
    body = _problem(app.get(f"/feeds/theme/bestaat-niet.{kind}"), 404)
    assert "natuur-en-milieu" in body["detail"]  # names the codes that do exist


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_search_feed_takes_the_search_page_parameters(app, catalogue, kind):
    url = f"/feeds/search.{kind}"

    def names(**args: Any) -> set[str]:
        return set(_names(_parse(_get(app, url, query_string=args))))

    assert names() == PUBLIC_NAMES
    assert names(q="parkeren") == {"parkeren-utrecht"}
    assert names(fq="tags:groen") == {"bomen-utrecht", "kapotte-html"}
    assert names(organization="gemeente-zeist") == {"bomen-zeist", "opvang-zeist"}
    assert names(tags=["bomen", "groen"]) == {"bomen-utrecht"}
    assert names(res_format="JSON") == {"parkeren-utrecht"}
    assert names(license_id="cc-by") == {"bomen-zeist"}
    assert names(theme="verkeer") == {"parkeren-utrecht", "bomen-zeist"}
    assert names(theme=VERKEER, organization="gemeente-zeist") == {"bomen-zeist"}
    # a quote in a filter value cannot break out of its phrase
    assert names(tags='bomen" OR tags:"groen') == set()
    # the visitor's fq cannot undo ours: private datasets stay out
    assert "prive-zeist" not in names(fq="capacity:private OR capacity:public")


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize(
    ("args", "param"),
    [
        ({"q": "title:("}, None),
        ({"fq": "tags:(bomen"}, None),
        ({"fq": "{!frange l=1}sum(1)"}, None),
        ({"q": "{!lucene}*:*"}, None),
        ({"limit": "201"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "veel"}, "limit"),
        ({"page": "0"}, "page"),
        ({"theme": "onbekend"}, "theme"),
    ],
)
def test_bad_search_input_is_a_400_problem_not_a_500(app, catalogue, kind, args, param):
    body = _problem(app.get(f"/feeds/search.{kind}", query_string=args), 400)
    if param:
        assert [p["name"] for p in body["invalidParams"]] == [param]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_paging_links_walk_every_item_once(app, catalogue, kind):
    seen: list[str] = []
    url: str | None = f"/feeds/dataset.{kind}?limit=2"
    pages = []
    while url:
        parsed = _parse(_get(app, url))
        links = {link.rel: link.href for link in parsed.feed.links}
        pages.append(links)
        seen.extend(_names(parsed))
        assert len(parsed.entries) <= 2
        url = links.get("next")
    assert sorted(seen) == sorted(PUBLIC_NAMES)  # 5 items: pages of 2, 2, 1
    assert len(pages) == 3
    assert "previous" not in pages[0] and "next" in pages[0]
    assert "previous" in pages[1] and "next" in pages[1]
    assert "next" not in pages[2]
    assert all(p["first"] == pages[0]["first"] and p["last"] == pages[0]["last"] for p in pages)
    assert "limit=2" in pages[0]["next"] and "page=2" in pages[0]["next"]


def test_default_page_size_is_50(app, api, catalogue):
    for index in range(50):
        api("package_create", name=f"meting-{index}", title=f"Meting {index}", notes="Meetgegevens",
            owner_org=catalogue["utrecht"]["id"])
    parsed = _parse(_get(app, "/feeds/dataset.atom"))
    assert len(parsed.entries) == 50
    assert "next" in {link.rel for link in parsed.feed.links}
    assert len(_parse(_get(app, "/feeds/dataset.atom?limit=200")).entries) == 55


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_conditional_get_answers_304_until_something_changes(app, api, catalogue, kind):
    url = f"/feeds/organization/gemeente-utrecht.{kind}"
    first = _get(app, url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('W/"')

    unchanged = _get(app, url, status=304, headers={"If-None-Match": etag})
    assert unchanged.get_data() == b""
    assert unchanged.headers["ETag"] == etag
    assert unchanged.headers["API-Version"]
    _get(app, url, status=304, headers={"If-Modified-Since": modified})
    # a different page of the same feed is a different document
    _get(app, url + "?limit=1", headers={"If-None-Match": etag})

    # HTTP dates have whole seconds: a change within the second of `modified` rightly answers 304
    time.sleep(1.1)
    api("package_patch", id="parkeren-utrecht", title="Parkeren in Utrecht")
    changed = _get(app, url, headers={"If-None-Match": etag})
    assert changed.headers["ETag"] != etag
    assert _parse(changed).entries[0].title == "Parkeren in Utrecht"
    _get(app, url, headers={"If-Modified-Since": modified})
    # a dataset of another organisation changes nothing here
    api("package_patch", id="bomen-zeist", title="Bomen in Zeist")
    _get(app, url, status=304, headers={"If-None-Match": changed.headers["ETag"]})


def test_ours_answer_at_ckans_feed_paths(app, catalogue):
    """CKAN has Atom feeds at the same paths; ours (API-Version, RSS twin, GeoRSS) must answer."""
    for path in ("/feeds/dataset.atom", "/feeds/organization/gemeente-utrecht.atom", "/feeds/tag/bomen.atom"):
        response = _get(app, path)
        assert response.headers.get("API-Version"), f"{path} is answered by CKAN's feed, not ours"
        assert _parse(response).feed.generator == "Open Overheid"
    # CKAN's other feeds stay CKAN's
    ckan_feed = _get(app, "/feeds/custom.atom?q=bomen")
    assert "API-Version" not in ckan_feed.headers

    from flask import current_app

    with app.flask_app.test_request_context():
        endpoint, _ = current_app.url_map.bind("test.ckan.net").match("/feeds/dataset.atom")
    assert endpoint == "openoverheid_feeds.dataset"


def test_feeds_follow_the_api_conventions(app, catalogue):
    response = _get(app, "/feeds/dataset.rss", headers={"Origin": "https://elders.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert response.headers["API-Version"] == "1.0.0"

    preflight = app.options("/feeds/dataset.rss", headers={
        "Origin": "https://elders.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "If-None-Match"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "POST" not in preflight.headers["Access-Control-Allow-Methods"]


def test_a_closed_datasets_data_appears_in_no_feed(app, catalogue):
    """Its metadata is in the feeds, its resources (the marker) never — whatever the query."""
    marker = catalogue["marker"]
    for kind in ("rss", "atom"):
        for url in (f"/feeds/dataset.{kind}", f"/feeds/organization/gemeente-zeist.{kind}",
                    f"/feeds/theme/natuur-en-milieu.{kind}", f"/feeds/tag/bomen.{kind}",
                    f"/feeds/search.{kind}?res_format=CSV", f"/feeds/dataset.{kind}?limit=1&page=2"):
            assert marker not in _get(app, url).get_data(as_text=True), f"{url} leaks the closed data"
        # searching for the marker in any resource field finds nothing: the index holds none of them
        # (the feed echoes the visitor's own query in its title and links, so look at the items)
        for args in ({"q": marker}, {"q": f"res_url:*{marker}*"}, {"fq": f"res_description:{marker}"},
                     {"fq": f"urls:*{marker}*"}, {"q": f"text:{marker}"}):
            response = app.get(f"/feeds/search.{kind}", query_string=args)
            assert response.status_code in (200, 400), (args, response.status_code)
            if response.status_code == 200:
                assert _parse(response).entries == [], f"searching {args} finds the closed dataset's data"
    # the closed dataset itself is announced, with its metadata
    parsed = _parse(_get(app, "/feeds/organization/gemeente-zeist.atom"))
    assert "opvang-zeist" in _names(parsed)
    assert "Locaties van de opvang in Zeist." in parsed.entries[_names(parsed).index("opvang-zeist")].summary


def _alternate_links(html: str) -> dict[str, str]:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    return {link.get("type") + " " + (link.get("title") or ""): link.get("href")
            for link in tree.xpath('//head/link[@rel="alternate"]') if link.get("type", "").endswith("+xml")}


def test_html_pages_announce_their_feeds(app, catalogue):
    def hrefs(url: str) -> set[str]:
        links = _alternate_links(_get(app, url).get_data(as_text=True))
        return {urlsplit(href).path + ("?" + urlsplit(href).query if urlsplit(href).query else "")
                for href in links.values()}

    assert {"/feeds/dataset.rss", "/feeds/dataset.atom"} <= hrefs("/dataset/")
    assert {"/feeds/tag/bomen.rss", "/feeds/tag/bomen.atom"} <= hrefs("/dataset/?tags=bomen")
    assert {"/feeds/theme/natuur-en-milieu.rss"} <= hrefs(f"/dataset/?vocab_theme={NATUUR}")
    assert {"/feeds/search.rss?q=bomen&organization=gemeente-zeist"} <= hrefs(
        "/dataset/?q=bomen&organization=gemeente-zeist")
    org_links = hrefs("/organization/gemeente-utrecht")
    assert {"/feeds/organization/gemeente-utrecht.rss", "/feeds/organization/gemeente-utrecht.atom"} <= org_links

    # and every announced feed answers with a valid feed
    for href in hrefs("/dataset/?q=bomen&organization=gemeente-zeist") | org_links:
        _parse(_get(app, href))

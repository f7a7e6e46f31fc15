"""The feed builder, the GeoRSS parser and the dataset → item mapping, read back with feedparser."""

from __future__ import annotations

import datetime
import json

import feedparser
import pytest
from lxml import etree

from ckanext.openoverheid.feeds.build import Category, FeedItem, build_feed, moment, plain_text, xml_text
from ckanext.openoverheid.feeds.datasets import dataset_item
from ckanext.openoverheid.feeds.geo import location_of, points_of

UTC = datetime.UTC
NATUUR = "http://standaarden.overheid.nl/owms/terms/Natuur_en_milieu"


def _feed(kind: str, items: list[FeedItem], **extra) -> feedparser.FeedParserDict:
    body = build_feed(kind, title="Datasets", link="https://portaal.example/dataset/",
                      self_url=f"https://portaal.example/feeds/dataset.{kind}", description="Nieuw en gewijzigd",
                      items=items, **extra)
    etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))  # well-formed XML
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _item(**fields) -> FeedItem:
    defaults = {"id": "https://portaal.example/dataset/1", "title": "Speeltuinen",
                "link": "https://portaal.example/dataset/speeltuinen"}
    return FeedItem(**{**defaults, **fields})


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_items_keep_order_title_link_dates_author_and_categories(kind):
    items = [
        _item(id="urn:a", title="Nieuwste", link="https://portaal.example/dataset/a", author="Gemeente Utrecht",
              published=datetime.datetime(2025, 1, 2, tzinfo=UTC), updated=datetime.datetime(2025, 3, 4, tzinfo=UTC),
              categories=[Category(term=NATUUR, label="Natuur en milieu"), "bomen"]),
        _item(id="urn:b", title="Ouder", link="https://portaal.example/dataset/b",
              updated=datetime.datetime(2024, 5, 6, tzinfo=UTC)),
    ]
    parsed = _feed(kind, items)
    assert [e.title for e in parsed.entries] == ["Nieuwste", "Ouder"]
    first = parsed.entries[0]
    assert first.link == "https://portaal.example/dataset/a"
    assert first.author == "Gemeente Utrecht"
    labels = [tag.get("label") or tag.term for tag in first.tags]
    assert labels == ["Natuur en milieu", "bomen"]
    if kind == "atom":
        assert first.tags[0].term == NATUUR
        assert first.published_parsed[:3] == (2025, 1, 2)
    assert first.updated_parsed[:3] == (2025, 3, 4)
    # the feed's own date is its newest item's
    assert parsed.feed.updated_parsed[:3] == (2025, 3, 4)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_paging_links(kind):
    parsed = _feed(kind, [_item()], first_url="https://p/f?page=1", previous_url="https://p/f?page=1",
                   next_url="https://p/f?page=3", last_url="https://p/f?page=9")
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["next"] == "https://p/f?page=3"
    assert links["previous"] == "https://p/f?page=1"
    assert links["first"] == "https://p/f?page=1"
    assert links["last"] == "https://p/f?page=9"
    assert links["self"].endswith(f"dataset.{kind}")
    assert links["alternate"] == "https://portaal.example/dataset/"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_georss_point_and_box(kind):
    parsed = _feed(kind, [_item(id="urn:p", lat=52.0907, lon=5.1214), _item(id="urn:b", bbox=(52.0, 5.0, 52.2, 5.2))])
    point, box = parsed.entries[0].where, parsed.entries[1].where
    assert point["type"] == "Point" and point["coordinates"] == pytest.approx((5.1214, 52.0907))
    assert box["type"] == "Box"
    assert box["coordinates"] == (pytest.approx((5.0, 52.0)), pytest.approx((5.2, 52.2)))


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize(
    "notes",
    [
        "<p>Onafgesloten <b>tags <i>en <div>rommel",
        "<script>alert('x')</script>Tekst ]]> met CDATA-einde",
        "Besturingstekens \x00\x01\x08\x0b\x0c\x1f en \ufffe horen niet in XML",
        "<![CDATA[ half",
        "&bogus; &amp; &#xD800; <!-- open comment",
    ],
)
def test_broken_html_in_a_description_still_yields_a_valid_feed(kind, notes):
    parsed = _feed(kind, [_item(title=f"Titel {notes}", description=plain_text(notes), author=notes,
                                categories=[notes])])
    entry = parsed.entries[0]
    assert entry.title.startswith("Titel")
    assert "alert" not in (entry.get("summary") or "")  # scripts go with their content
    if kind == "atom":
        assert entry.summary_detail.type == "text/plain"  # whatever is left is text, never markup


def test_plain_text_renders_markdown_and_drops_markup():
    text = plain_text("# Kop\n\nEen **vette** [link](https://x.nl) en <em>nadruk</em>.\n\nTweede alinea.")
    assert text == "Kop\n\nEen vette link en nadruk.\n\nTweede alinea."
    assert plain_text("x" * 5000, max_length=100).endswith("…")
    assert len(plain_text("x" * 5000, max_length=100)) == 100
    assert plain_text(None) == ""
    assert xml_text("a\x00b\ufffec") == "abc"


def test_moment_reads_ckan_timestamps_as_utc():
    assert moment("2025-03-04T05:06:07.123456") == datetime.datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
    assert moment("2025-03-04") == datetime.datetime(2025, 3, 4, tzinfo=UTC)
    assert moment("2025-03-04T05:06:07Z").tzinfo is not None
    assert moment("gisteren") is None
    assert moment(None) is None


def test_same_items_give_the_same_bytes():
    items = [_item(updated=datetime.datetime(2025, 1, 1, tzinfo=UTC))]
    kwargs = {"title": "T", "link": "https://p/", "self_url": "https://p/f.atom", "description": "D"}
    assert build_feed("atom", items=items, **kwargs) == build_feed("atom", items=items, **kwargs)
    assert build_feed("atom", items=[], **kwargs) == build_feed("atom", items=[], **kwargs)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        build_feed("json", title="T", link="https://p/", self_url="https://p/f", description="D", items=[])


# --- GeoRSS from spatial_coverage --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"type": "Point", "coordinates": [5.1214, 52.0907]}', (52.0907, 5.1214)),
        ("POINT(5.1214 52.0907)", (52.0907, 5.1214)),
        ("POINT(52.0907 5.1214)", (52.0907, 5.1214)),  # (lat lon) written by mistake: still in Utrecht
        ("SRID=28992;POINT(136000 456000)", (52.087, 5.110)),  # RD New
        ('{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-68.27, 12.15]}}', (12.15, -68.27)),
    ],
)
def test_points_of_geojson_and_wkt(text, expected):
    (lat, lon), = points_of(text)
    assert lat == pytest.approx(expected[0], abs=0.01)
    assert lon == pytest.approx(expected[1], abs=0.01)


@pytest.mark.parametrize("text", ["", "   ", "niet geo", "POINT(", '{"type": "Point"', "{}", "POLYGON((a b))"])
def test_points_of_unreadable_text_is_empty(text):
    assert points_of(text) == []


def test_location_prefers_centroid_and_covers_all_boxes():
    coverage = [
        {"text": "Utrecht", "bbox": "POLYGON((5.0 52.0, 5.2 52.0, 5.2 52.2, 5.0 52.2, 5.0 52.0))",
         "centroid": '{"type": "Point", "coordinates": [5.12, 52.09]}'},
        {"text": "Nieuwegein", "bbox": json.dumps(
            {"type": "Polygon", "coordinates": [[[5.05, 51.98], [5.15, 51.98], [5.15, 52.05], [5.05, 51.98]]]})},
    ]
    location = location_of(coverage)
    assert location.point == pytest.approx((52.09, 5.12))
    assert location.box == pytest.approx((51.98, 5.0, 52.2, 5.2))
    assert location_of([{"text": "ergens"}]) is None
    assert location_of(None) is None
    assert location_of("geen json") is None


# --- dataset → item ---------------------------------------------------------------------------------


def test_dataset_item_maps_metadata_and_never_resources():
    pkg = {
        "id": "0d6f", "name": "bomen-utrecht", "title": "Bomen in Utrecht",
        "notes": "Alle **bomen** <script>x()</script>",
        "metadata_created": "2024-01-01T10:00:00.000001", "metadata_modified": "2025-02-03T04:05:06",
        "organization": {"name": "gemeente-utrecht", "title": "Gemeente Utrecht"},
        "theme": [NATUUR], "tags": [{"name": "bomen", "display_name": "bomen"}],
        "spatial_coverage": [{"bbox": "POLYGON((5.0 52.0, 5.2 52.0, 5.2 52.2, 5.0 52.2, 5.0 52.0))"}],
        "resources": [{"url": "https://data.example/geheim-marker.csv"}],
    }
    item = dataset_item(pkg, link="https://p/dataset/bomen-utrecht", item_id="https://p/dataset/0d6f",
                        organization_url=lambda name: f"https://p/organization/{name}")
    assert item.id == "https://p/dataset/0d6f"
    assert item.title == "Bomen in Utrecht"
    assert item.description == "Alle bomen"
    assert item.author == "Gemeente Utrecht"
    assert item.author_uri == "https://p/organization/gemeente-utrecht"
    assert [(c.term, c.label) for c in item.categories] == [(NATUUR, "Natuur en milieu"), ("bomen", None)]
    assert item.updated == datetime.datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert item.lat is None and item.bbox == pytest.approx((52.0, 5.0, 52.2, 5.2))
    body = build_feed("rss", title="T", link="https://p/", self_url="https://p/f.rss", description="D", items=[item])
    assert b"geheim-marker" not in body
    assert dataset_item(pkg, link="x", language="en").categories[0].label == "Nature and environment"

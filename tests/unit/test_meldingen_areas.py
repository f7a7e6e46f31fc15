"""Which municipality handles a point: boxes from the option, polygons from a GeoJSON file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ckanext.openoverheid.meldingen.areas import AreaConfigError, load_areas, parse_boxes, parse_geojson, responsible

FIXTURE = Path(__file__).parents[1] / "fixtures" / "meldingen" / "gebieden.geojson"


def test_boxes_from_the_option():
    areas = parse_boxes("gemeente-utrecht=4.97,52.02,5.20,52.14 gemeente-zwolle=5.98,52.46,6.22,52.58")
    assert responsible(areas, 52.0907, 5.1214) == "gemeente-utrecht"
    assert responsible(areas, 52.5125, 6.0916) == "gemeente-zwolle"
    assert responsible(areas, 51.44, 5.47) is None
    assert areas[0].centre == pytest.approx((52.08, 5.085))


@pytest.mark.parametrize(
    "text",
    ["gemeente-utrecht", "=4,52,5,53", "gemeente-x=4,52,5", "gemeente-x=a,b,c,d",
     "gemeente-x=52.02,4.97,52.14,5.20x", "gemeente-x=5.2,52.0,4.9,52.1", "gemeente-x=4,95,5,96"],
)
def test_bad_boxes_say_how_to_write_them(text):
    with pytest.raises(AreaConfigError):
        parse_boxes(text)


def test_polygons_with_holes_multipolygons_and_bboxes_from_a_file():
    areas = load_areas("", str(FIXTURE))
    assert [a.organization for a in areas] == [
        "gemeente-ringdam", "gemeente-kernhof", "gemeente-eilanden", "waterschap-vallei"]
    assert responsible(areas, 52.05, 5.05) == "gemeente-ringdam"
    # inside the hole of ringdam: kernhof, although ringdam's box holds the point and comes first
    assert responsible(areas, 52.10, 5.10) == "gemeente-kernhof"
    assert responsible(areas, 53.35, 5.35) == "gemeente-eilanden"
    # inside the first triangle's box but outside the triangle itself
    assert responsible(areas, 53.09, 4.71) is None
    assert responsible(areas, 52.00, 5.50) == "waterschap-vallei"


def test_boxes_come_before_the_file():
    areas = load_areas("gemeente-groot=4.0,51.0,6.0,53.0", str(FIXTURE))
    assert responsible(areas, 52.05, 5.05) == "gemeente-groot"


def test_bad_files_are_refused_with_the_feature_named(tmp_path):
    bad = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                                                      "geometry": {"type": "Point", "coordinates": [5, 52]}}]}
    with pytest.raises(AreaConfigError, match="feature 1"):
        parse_geojson(bad)
    point = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"organization": "x"},
                                                        "geometry": {"type": "Point", "coordinates": [5, 52]}}]}
    with pytest.raises(AreaConfigError, match="Polygon"):
        parse_geojson(point)
    path = tmp_path / "kapot.geojson"
    path.write_text("{niet: json", encoding="utf-8")
    with pytest.raises(AreaConfigError, match="not valid JSON"):
        load_areas("", str(path))
    with pytest.raises(AreaConfigError, match="cannot read"):
        load_areas("", str(tmp_path / "bestaat-niet.geojson"))
    path.write_text(json.dumps({"type": "Feature"}), encoding="utf-8")
    with pytest.raises(AreaConfigError, match="FeatureCollection"):
        load_areas("", str(path))

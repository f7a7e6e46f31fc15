"""harvesters.geo: RD New conversion against PROJ's answers, WKT, order checks, distances."""

from __future__ import annotations

import pytest

from harvesters.geo import (
    haversine_m,
    in_netherlands,
    is_rd,
    latlon_from_pair,
    parse_latlon,
    parse_wkt,
    rd_to_wgs84,
    representative_point,
    to_wgs84,
)

# RD New → WGS84 as PROJ computes it (cs2cs EPSG:28992 EPSG:4326), spread over the country.
REFERENCE = [
    ((155_000, 463_000), (52.1551723, 5.3872035)),  # Amersfoort, the origin
    ((136_784, 455_860), (52.0906988, 5.1214040)),  # Domtoren, Utrecht
    ((120_700.723, 487_525.501), (52.3745304, 4.8835229)),  # Westertoren, Amsterdam
    ((100_000, 400_000), (51.5862179, 4.5935963)),
    ((250_000, 600_000), (53.3778733, 6.8147474)),
    ((20_000, 380_000), (51.3930008, 3.4473842)),
    ((190_000, 320_000), (50.8687421, 5.8843738)),
]


@pytest.mark.parametrize(("rd", "expected"), REFERENCE)
def test_rd_to_wgs84_is_within_a_metre(rd, expected):
    lat, lon = rd_to_wgs84(*rd)
    assert haversine_m(lat, lon, *expected) < 1.0


def test_amersfoort_origin_exactly():
    lat, lon = rd_to_wgs84(155_000, 463_000)
    assert lat == pytest.approx(52.15517, abs=1e-5)
    assert lon == pytest.approx(5.38721, abs=1e-5)


def test_dom_tower_as_in_the_brief_rounded():
    lat, lon = rd_to_wgs84(136_784, 455_860)
    assert (round(lat, 4), round(lon, 4)) == (52.0907, 5.1214)


def test_haversine():
    assert haversine_m(52.0, 5.0, 52.0, 5.0) == 0
    # One degree of latitude is about 111.2 km.
    assert haversine_m(52.0, 5.0, 53.0, 5.0) == pytest.approx(111_195, rel=1e-3)
    # Utrecht Dom to Amersfoort OLV-toren, about 19.5 km.
    assert haversine_m(52.0907, 5.1214, 52.15517, 5.38721) == pytest.approx(19_500, rel=0.01)


def test_in_netherlands_and_order():
    assert in_netherlands(52.09, 5.12)
    assert not in_netherlands(5.12, 52.09)
    assert not in_netherlands(48.85, 2.35)  # Paris
    assert latlon_from_pair(52.09, 5.12) == (52.09, 5.12)
    assert latlon_from_pair(5.12, 52.09) == (52.09, 5.12)
    assert latlon_from_pair(48.85, 2.35) is None


def test_to_wgs84_accepts_rd_and_refuses_nonsense():
    assert is_rd(136_784, 455_860)
    assert not is_rd(5.12, 52.09)
    lat, lon = to_wgs84(136_784, 455_860)
    assert haversine_m(lat, lon, 52.0906988, 5.1214040) < 1
    assert to_wgs84(0, 0) is None
    assert to_wgs84(1_000_000, 1_000_000) is None


@pytest.mark.parametrize(
    "text",
    [
        "52.0907 5.1214",
        "5.1214 52.0907",
        "52.0907,5.1214",
        " 52.0907 ; 5.1214 ",
        "POINT(5.1214 52.0907)",
        "SRID=4326;POINT (5.1214 52.0907)",
    ],
)
def test_parse_latlon_in_any_order(text):
    assert parse_latlon(text) == pytest.approx((52.0907, 5.1214))


@pytest.mark.parametrize("text", [None, "", "garbage", "0 0", "48.85 2.35", "POINT EMPTY"])
def test_parse_latlon_without_a_dutch_point(text):
    assert parse_latlon(text) is None


def test_polygon_centroid_subtracts_holes():
    square = "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))"
    assert representative_point(square) == pytest.approx((5, 5))
    # A hole in the lower-left quarter pulls the centroid up and to the right.
    holed = "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (0 0, 5 0, 5 5, 0 5, 0 0))"
    x, y = representative_point(holed)
    assert x == pytest.approx(35 / 6) and y == pytest.approx(35 / 6)


def test_centroid_is_area_weighted_not_vertex_mean():
    # Many vertices bunched on one side must not drag the centroid there.
    triangle_ish = "POLYGON((0 0, 1 0, 1.1 0, 1.2 0, 1.3 0, 10 0, 0 10, 0 0))"
    x, y = representative_point(triangle_ish)
    assert x == pytest.approx(10 / 3) and y == pytest.approx(10 / 3)


def test_rd_polygon_centroid_converts_to_the_dom():
    wkt = "SRID=28992;MULTIPOLYGON(((136764 455840, 136804 455840, 136804 455880, 136764 455880, 136764 455840)))"
    lat, lon = to_wgs84(*representative_point(wkt))
    assert haversine_m(lat, lon, 52.0906988, 5.1214040) < 1.5


def test_parse_wkt_kinds():
    assert parse_wkt("POINT Z (1 2 3)").polygons == ((((1.0, 2.0),),),)
    assert parse_wkt("MULTIPOINT((1 2), (3 4))").polygons == ((((1.0, 2.0), (3.0, 4.0)),),)
    assert parse_wkt("MULTIPOINT(1 2, 3 4)").polygons == ((((1.0, 2.0), (3.0, 4.0)),),)
    assert representative_point("LINESTRING(0 0, 4 0)") == (2, 0)
    multi = parse_wkt("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))")
    assert multi.kind == "MULTIPOLYGON" and len(multi.polygons) == 2
    assert parse_wkt("SRID=28992;POINT(1 2)").srid == 28992
    assert parse_wkt("POLYGON EMPTY").is_empty


@pytest.mark.parametrize("text", ["POINT(1)", "POINT(1 2, 3 4)", "POLYGON((0 0, 1 1)", "CIRCLE(0 0 1)", "POINT 1 2"])
def test_parse_wkt_refuses_malformed(text):
    with pytest.raises(ValueError):
        parse_wkt(text)

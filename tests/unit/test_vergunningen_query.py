"""The filters and SQL of the permits search, without a database: what is accepted, what is refused,
and that nothing a caller sends ends up in the SQL text."""

from __future__ import annotations

import datetime
import math

import pytest

from ckanext.openoverheid import geo
from ckanext.openoverheid.vergunningen import filters as query_filters
from ckanext.openoverheid.vergunningen import query
from harvesters.geo import haversine_m

TABLES = [
    query.Table("0f8fad5b-d9cb-469f-a165-70867728950e", "vergunningen-utrecht"),
    query.Table("7c9e6679-7425-40de-944b-e07fc1f90ae7", "vergunningen-zwolle"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3512AH", "3512AH"), ("3512 ah", "3512AH"), (" 3512  Ah ", "3512AH"), ("3512", "3512"),
     ("0512AH", None), ("35121", None), ("3512A", None), ("Utrecht", None), ("", None)],
)
def test_postcodes_are_normalised_or_refused(text, expected):
    assert query_filters.normalise_postcode(text) == expected


def test_no_filters_is_everything_newest_first():
    filters = query_filters.parse_filters({})
    assert filters == query_filters.Filters()
    assert filters.order is query_filters.Order.DATE and filters.limit == query_filters.DEFAULT_LIMIT


def test_filters_are_normalised():
    filters = query_filters.parse_filters(
        {"soort": ["kap,sloop", "KAP"], "fase": "verleend", "postcode": "3512 ah", "lat": "52,0907",
         "lon": "5.1214", "straal": "750", "sinds": "2026-02-01", "gemeente": " 's-Gravenhage ", "offset": "20"}
    )
    assert filters.soort == ("kap", "sloop")
    assert filters.fase == ("verleend",)
    assert filters.postcode == "3512AH"
    assert filters.point == query_filters.Point(52.0907, 5.1214)
    assert filters.straal == 750
    assert filters.sinds == datetime.date(2026, 2, 1)
    assert filters.gemeente == "'s-Gravenhage"
    assert filters.order is query_filters.Order.DISTANCE  # around a point: nearest first
    assert filters.offset == 20
    again = query_filters.parse_filters(filters.as_params())
    assert again == query_filters.Filters(**{**filters.__dict__, "offset": 0})


def test_every_bad_filter_is_named_at_once():
    with pytest.raises(query_filters.FilterError) as error:
        query_filters.parse_filters({"straal": "30000", "soort": "kapvergunning", "sinds": "gisteren", "limit": "0",
                             "offset": "-1", "postcode": "AB12", "dataset": "Vergunningen Utrecht!"})
    assert set(error.value.errors) == {"straal", "soort", "sinds", "limit", "offset", "postcode", "dataset"}


@pytest.mark.parametrize(
    "args",
    [{"lat": "52.1"}, {"lon": "5.1"}, {"lat": "91", "lon": "5"}, {"lat": "nan", "lon": "5"},
     {"straal": "500"}, {"sorteer": "afstand"}, {"sorteer": "willekeurig"}],
)
def test_a_point_needs_both_coordinates_and_radius_and_distance_need_a_point(args):
    with pytest.raises(query_filters.FilterError):
        query_filters.parse_filters(args)


def test_the_bounding_box_holds_the_whole_circle():
    for lat in (50.8, 52.09, 53.4):
        centre = query_filters.Point(lat, 5.12)
        for radius in (1, 500, 25_000):
            lat_min, lat_max, lon_min, lon_max = geo.bounding_box(centre.lat, centre.lon, radius)
            for step in range(36):
                bearing = math.radians(step * 10)
                # a point at exactly ``radius`` along the bearing (small-distance approximation, then checked)
                dlat = radius * math.cos(bearing) / 111_320
                dlon = radius * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
                p_lat, p_lon = lat + dlat, 5.12 + dlon
                if haversine_m(lat, 5.12, p_lat, p_lon) <= radius:
                    assert lat_min <= p_lat <= lat_max and lon_min <= p_lon <= lon_max


def test_user_input_never_reaches_the_sql_text():
    evil = "Utrecht'); DROP TABLE package; --"
    filters = query_filters.parse_filters({"gemeente": evil, "soort": "kap", "lat": "52.09", "lon": "5.12",
                                   "postcode": "3512", "sinds": "2026-01-01"})
    sql = query.search_sql(TABLES, filters)
    assert sql is not None
    assert "DROP" not in sql.text and "Utrecht" not in sql.text and "3512" not in sql.text
    assert sql.params["gemeente"] == evil
    assert sql.params["postcode_pattern"] == "3512__"
    assert '"0f8fad5b-d9cb-469f-a165-70867728950e"' in sql.text and " UNION ALL " in sql.text
    count = query.count_sql(TABLES, filters)
    assert count is not None and "DROP" not in count.text


def test_tables_are_uuids_and_a_dataset_filter_narrows_them():
    with pytest.raises(ValueError):
        query.Table('x" ; DROP TABLE package; --', "vergunningen-x")
    sql = query.search_sql(TABLES, query_filters.parse_filters({"dataset": "vergunningen-zwolle"}))
    assert sql is not None and TABLES[0].resource_id not in sql.text and TABLES[1].resource_id in sql.text
    assert query.search_sql(TABLES, query_filters.parse_filters({"dataset": "vergunningen-elders"})) is None
    assert query.search_sql([], query_filters.Filters()) is None

"""``geo.py``'s distances, computed by PostgreSQL, agree with ``harvesters.geo.haversine_m`` (both forms)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ckanext.openoverheid import geo
from harvesters.geo import haversine_m

POINTS = [((52.0907, 5.1214), (52.0907, 5.1214)), ((52.0907, 5.1214), (52.0931, 5.1190)),
          ((52.0907, 5.1214), (52.5168, 6.0830)), ((50.8500, 5.6900), (53.2190, 6.5680))]


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize(("here", "there"), POINTS)
def test_sql_distances_are_the_haversine(here: tuple[float, float], there: tuple[float, float]) -> None:
    import ckan.model as model

    expected = haversine_m(*here, *there)
    as_text = model.Session.execute(
        sa.text(f"SELECT {geo.distance_sql_text('CAST(:there_lat AS float8)', 'CAST(:there_lon AS float8)')}"),
        {"lat": here[0], "lon": here[1], "there_lat": there[0], "there_lon": there[1]},
    ).scalar()
    as_expression = model.Session.execute(
        sa.select(geo.distance_sql(sa.literal(there[0]), sa.literal(there[1]), *here))
    ).scalar()
    assert as_text == pytest.approx(expected, abs=0.01)
    assert as_expression == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("radius", [1, 500, 25_000])
def test_the_box_holds_the_circle_on_every_side(radius: int) -> None:
    box = geo.bounding_box(52.09, 5.12, radius)
    for lat, lon in ((box.min_lat, 5.12), (box.max_lat, 5.12), (52.09, box.min_lon), (52.09, box.max_lon)):
        assert haversine_m(52.09, 5.12, lat, lon) >= radius

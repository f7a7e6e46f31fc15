"""4. Geo queries over N rows: our endpoints against the bare SQL query for the same rows (the limit).

In one process on the ``big`` sandbox (``bench.geodata`` filled it): our side is a GET through the
whole CKAN WSGI stack with werkzeug's test client (no sockets), the bare side one SELECT on a psycopg2
connection kept open, rows fetched into Python. Request *i* of both sides asks for the same area; the
sides alternate, the order flipped every request. Areas: a box of about 1 km² anywhere in Utrecht
(Open311 ``bbox``), 500 m around a random point (Open311 ``lat``/``long``/``radius``) and 500 m
around a street that has permits (the vergunningen feed and JSON). The Open311 window is the 90 days
up to the newest melding, so it holds the same rows however old the cached data is. A third side,
CKAN's cheapest request (``status_show``) through the same stack, shows how much of ours is the
framework's fixed cost (printed, not part of the ratio).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
from collections.abc import Callable
from typing import Any

import psycopg2

from bench.measure import Result, benchmark_main, percentile, result
from bench.sandboxes import sandboxes
from bench.sizes import sizes
from ckanext.openoverheid.demo.sru_sample import STREETS
from harvesters.geo import rd_to_wgs84

GOAL = "<= 3"
AREA = (4.97, 52.02, 5.20, 52.14)
M_PER_DEG_LAT = 111_320.0
EARTH_M = 6_371_008.8
HAVERSINE = (
    f"({2 * EARTH_M} * asin(least(1.0, sqrt(power(sin(radians(lat - %(lat)s) / 2), 2) + cos(radians(%(lat)s)) "
    "* cos(radians(lat)) * power(sin(radians(lon - %(lon)s) / 2), 2)))))"
)
VERGUNNING_COLUMNS = ("identifier, title, soort, fase, document_date, published_date, modified, einde_bezwaartermijn, "
                      "straat, huisnummer, postcode, woonplaats, gemeente, lat, lon, url")
MELDING_COLUMNS = "id, organization_id, service_code, status, description, lat, lon, address, photo, requested, updated"


def box(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    dlat = metres / M_PER_DEG_LAT
    dlon = metres / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


class Query:
    """One kind of question, asked of both sides: ``ours(i)`` and ``bare(i)`` return the row count."""

    def __init__(self, name: str, ours: Callable[[int], int], bare: Callable[[int], int]) -> None:
        self.name, self.ours, self.bare = name, ours, bare


def queries(site: Any, ckan_db: Any, datastore_db: Any, table: str, window: tuple[dt.datetime, dt.datetime],
            count: int) -> list[Query]:
    client = site.client()
    rng = random.Random("geo")
    min_lon, min_lat, max_lon, max_lat = AREA
    points = [(rng.uniform(min_lat + 0.01, max_lat - 0.01), rng.uniform(min_lon + 0.01, max_lon - 0.01))
              for _ in range(count)]
    streets = [rd_to_wgs84(*rng.choice(STREETS)[3:5]) for _ in range(count)]
    start, end = (moment.isoformat() for moment in window)

    def get(path: str, params: dict[str, Any]) -> bytes:
        response = client.get(path, query_string=params)
        if response.status_code != 200:
            raise RuntimeError(f"{path} {params}: HTTP {response.status_code} {response.get_data()[:300]!r}")
        return response.get_data()

    def rows(connection: Any, sql: str, params: dict[str, Any]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    def open311_bbox(i: int) -> int:
        lat, lon = points[i]
        bbox = ",".join(f"{v:.6f}" for v in box(lat, lon, 500))
        return len(json.loads(get("/open311/v2/requests.json", {"bbox": bbox, "start_date": start, "end_date": end})))

    def bare_bbox(i: int) -> int:
        lat, lon = points[i]
        w, s, e, n = box(lat, lon, 500)
        return rows(ckan_db, f"SELECT {MELDING_COLUMNS} FROM openoverheid_melding WHERE lon BETWEEN %(w)s AND %(e)s "
                    "AND lat BETWEEN %(s)s AND %(n)s AND requested >= %(start)s AND requested <= %(end)s "
                    "AND NOT hidden ORDER BY requested DESC, id DESC LIMIT 1000",
                    {"w": w, "e": e, "s": s, "n": n, "start": start, "end": end})

    def open311_near(i: int) -> int:
        lat, lon = points[-1 - i]
        params = {"lat": f"{lat:.6f}", "long": f"{lon:.6f}", "radius": 500, "start_date": start, "end_date": end}
        return len(json.loads(get("/open311/v2/requests.json", params)))

    def bare_near(i: int) -> int:
        lat, lon = points[-1 - i]
        w, s, e, n = box(lat, lon, 500)
        return rows(ckan_db, f"SELECT {MELDING_COLUMNS} FROM openoverheid_melding WHERE lon BETWEEN %(w)s AND %(e)s "
                    f"AND lat BETWEEN %(s)s AND %(n)s AND requested >= %(start)s AND requested <= %(end)s "
                    f"AND NOT hidden AND {HAVERSINE} <= 500 ORDER BY requested DESC, id DESC LIMIT 1000",
                    {"w": w, "e": e, "s": s, "n": n, "start": start, "end": end, "lat": lat, "lon": lon})

    def around(i: int) -> dict[str, Any]:
        lat, lon = streets[i]
        return {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "straal": 500}

    def permits_rss(i: int) -> int:
        return get("/feeds/vergunningen.rss", around(i)).count(b"<item>")

    def permits_json(i: int) -> int:
        return len(json.loads(get("/api/openoverheid/vergunningen", around(i)))["results"])

    def bare_permits(order_by: str) -> Callable[[int], int]:
        def query(i: int) -> int:
            lat, lon = streets[i]
            w, s, e, n = box(lat, lon, 505)
            return rows(datastore_db, f"SELECT * FROM (SELECT {VERGUNNING_COLUMNS}, {HAVERSINE} AS afstand FROM "
                        f'"{table}" WHERE lat BETWEEN %(s)s AND %(n)s AND lon BETWEEN %(w)s AND %(e)s) AS near '
                        f"WHERE afstand <= 500 ORDER BY {order_by} LIMIT 50",
                        {"w": w, "e": e, "s": s, "n": n, "lat": lat, "lon": lon})
        return query

    return [
        Query("Open311 requests.json, 1 km² box", open311_bbox, bare_bbox),
        Query("Open311 requests.json, 500 m radius", open311_near, bare_near),
        Query("vergunningen.rss, 500 m radius", permits_rss,
              bare_permits("coalesce(published_date, document_date) DESC NULLS LAST, modified DESC NULLS LAST")),
        Query("vergunningen JSON, 500 m radius", permits_json, bare_permits("afstand ASC, identifier ASC")),
    ]


def run(quick: bool) -> list[Result]:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa

    from bench.geodata import SOURCE
    from bench.site import open_site, site_context
    from ckanext.openoverheid.harvest.table_target import derived_dataset_name

    size = sizes(quick)
    box_ = sandboxes(quick)["big"]
    site = open_site(box_.ini)
    dataset = tk.get_action("package_show")(site_context(), {"id": derived_dataset_name(SOURCE)})
    table = next(r["id"] for r in dataset["resources"] if r.get("datastore_active"))
    newest = model.Session.execute(
        sa.text("SELECT max(requested) FROM openoverheid_melding WHERE source = 'bench'")).scalar()
    meldingen = model.Session.execute(sa.text("SELECT count(*) FROM openoverheid_melding")).scalar()
    permits = tk.get_action("datastore_search")(site_context(), {"resource_id": table, "limit": 0})["total"]
    model.Session.remove()
    window = (newest - dt.timedelta(days=90), newest)
    ckan_db = psycopg2.connect(box_.database_url)
    datastore_db = psycopg2.connect(box_.datastore_read_url)
    ckan_db.autocommit = datastore_db.autocommit = True
    results = []
    warmup = 10
    client = site.client()

    def floor(i: int) -> int:
        """CKAN's own cheapest API request through the same stack: the framework's share of ours."""
        response = client.get("/api/3/action/status_show")
        if response.status_code != 200:
            raise RuntimeError(f"status_show: HTTP {response.status_code}")
        return 0
    for query in queries(site, ckan_db, datastore_db, table, window, size.geo_requests + warmup):
        times: dict[str, list[float]] = {"ours": [], "bare": [], "floor": []}
        found: dict[str, int] = {"ours": 0, "bare": 0, "floor": 0}
        for i in range(size.geo_requests + warmup):
            sides = (("ours", query.ours), ("bare", query.bare), ("floor", floor))
            for side, ask in sides if i % 2 == 0 else sides[::-1]:
                started = time.perf_counter()
                number = ask(i)
                elapsed = time.perf_counter() - started
                if i >= warmup:
                    times[side].append(elapsed)
                    found[side] += number
        # the same rows, but for a point a hair from the circle's edge (Python's and PostgreSQL's
        # floating point round the haversine differently), once in many thousands
        if abs(found["ours"] - found["bare"]) > max(1, found["bare"] // 2000):
            raise RuntimeError(f"{query.name}: our endpoint and the bare query disagree on the rows: {found}")
        mine, bare = percentile(times["ours"], 0.95), percentile(times["bare"], 0.95)
        rows = meldingen if query.name.startswith("Open311") else permits
        results.append(result(
            f"Geo {query.name} p95", mine / bare, GOAL,
            f"{mine * 1000:.1f} ms vs bare SQL {bare * 1000:.1f} ms; p50 {percentile(times['ours'], 0.5) * 1000:.1f} "
            f"vs {percentile(times['bare'], 0.5) * 1000:.1f} ms; CKAN's cheapest request (status_show) p50 "
            f"{percentile(times['floor'], 0.5) * 1000:.1f} ms; {found['ours'] / size.geo_requests:.0f} rows an "
            f"answer, {rows:,} in the table, test client in-process",
            ours_p95=mine, bare_p95=bare, floor_p50=percentile(times["floor"], 0.5),
            rows_per_answer=found["ours"] / size.geo_requests, table_rows=rows,
        ))
    ckan_db.close()
    datastore_db.close()
    return results


if __name__ == "__main__":
    benchmark_main(run, __doc__)

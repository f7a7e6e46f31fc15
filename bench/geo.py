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

Both sides must give the same rows in the same order: every answer's ids are compared, position by
position, and a line whose sides differ anywhere is not met, whatever its time, with the first
difference in its detail. Both sides order with a tie-breaker (the id last), and the bare side uses
the coordinates exactly as our endpoint receives them (six decimals), so there is nothing to round.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
import time
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import unescape

import psycopg2

from bench.measure import Result, benchmark_main, first_difference, percentile, result
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
GUID = re.compile(rb"<guid[^>]*>([^<]*)</guid>")
MELDING_COLUMNS = "id, organization_id, service_code, status, description, lat, lon, address, photo, requested, updated"


def box(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    dlat = metres / M_PER_DEG_LAT
    dlon = metres / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def six(value: float) -> float:
    """A coordinate as our endpoint receives it: the text of the request, six decimals."""
    return float(f"{value:.6f}")


def same_guid(ours: str, bare: str) -> bool:
    """An RSS item's guid is the notice's URL, or the page's link with ``#identifier`` without one."""
    return ours == bare or (bare.startswith("#") and ours.endswith(bare))


class Query:
    """One kind of question, asked of both sides: ``ours(i)`` and ``bare(i)`` return the ids of the
    rows, in their order; ``same(ours_id, bare_id)`` says whether two ids are the same row."""

    def __init__(self, name: str, ours: Callable[[int], list[str]], bare: Callable[[int], list[str]],
                 same: Callable[[str, str], bool] = str.__eq__) -> None:
        self.name, self.ours, self.bare, self.same = name, ours, bare, same


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

    def rows(connection: Any, sql: str, params: dict[str, Any]) -> list[str]:
        """The rows, all fetched; the first column is the id."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [str(row[0]) for row in cursor.fetchall()]

    def open311_ids(params: dict[str, Any]) -> list[str]:
        return [str(item["service_request_id"]) for item in json.loads(get("/open311/v2/requests.json", params))]

    def open311_bbox(i: int) -> list[str]:
        lat, lon = points[i]
        bbox = ",".join(f"{v:.6f}" for v in box(lat, lon, 500))
        return open311_ids({"bbox": bbox, "start_date": start, "end_date": end})

    def bare_bbox(i: int) -> list[str]:
        lat, lon = points[i]
        w, s, e, n = (six(v) for v in box(lat, lon, 500))
        return rows(ckan_db, f"SELECT {MELDING_COLUMNS} FROM openoverheid_melding WHERE lon BETWEEN %(w)s AND %(e)s "
                    "AND lat BETWEEN %(s)s AND %(n)s AND requested >= %(start)s AND requested <= %(end)s "
                    "AND NOT hidden ORDER BY requested DESC, id DESC LIMIT 1000",
                    {"w": w, "e": e, "s": s, "n": n, "start": start, "end": end})

    def open311_near(i: int) -> list[str]:
        lat, lon = points[-1 - i]
        return open311_ids({"lat": f"{lat:.6f}", "long": f"{lon:.6f}", "radius": 500, "start_date": start,
                            "end_date": end})

    def bare_near(i: int) -> list[str]:
        lat, lon = (six(v) for v in points[-1 - i])
        w, s, e, n = box(lat, lon, 505)  # a box a little larger than the circle: the distance decides
        return rows(ckan_db, f"SELECT {MELDING_COLUMNS} FROM openoverheid_melding WHERE lon BETWEEN %(w)s AND %(e)s "
                    f"AND lat BETWEEN %(s)s AND %(n)s AND requested >= %(start)s AND requested <= %(end)s "
                    f"AND NOT hidden AND {HAVERSINE} <= 500 ORDER BY requested DESC, id DESC LIMIT 1000",
                    {"w": w, "e": e, "s": s, "n": n, "start": start, "end": end, "lat": lat, "lon": lon})

    def around(i: int) -> dict[str, Any]:
        lat, lon = streets[i]
        return {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "straal": 500}

    def permits_rss(i: int) -> list[str]:
        # a regular expression, as cheap as the row count it replaced: no parse added to our time
        return [unescape(guid.decode()) for guid in GUID.findall(get("/feeds/vergunningen.rss", around(i)))]

    def permits_json(i: int) -> list[str]:
        answer = json.loads(get("/api/openoverheid/vergunningen", around(i)))
        return [str(row["identifier"]) for row in answer["results"]]

    def bare_permits(key: str, order_by: str) -> Callable[[int], list[str]]:
        def query(i: int) -> list[str]:
            lat, lon = (six(v) for v in streets[i])
            w, s, e, n = box(lat, lon, 505)
            return rows(datastore_db, f"SELECT {key}, * FROM (SELECT {VERGUNNING_COLUMNS}, {HAVERSINE} AS afstand FROM "
                        f'"{table}" WHERE lat BETWEEN %(s)s AND %(n)s AND lon BETWEEN %(w)s AND %(e)s) AS near '
                        f"WHERE afstand <= 500 ORDER BY {order_by} LIMIT 50",
                        {"w": w, "e": e, "s": s, "n": n, "lat": lat, "lon": lon})
        return query

    return [
        Query("Open311 requests.json, 1 km² box", open311_bbox, bare_bbox),
        Query("Open311 requests.json, 500 m radius", open311_near, bare_near),
        Query("vergunningen.rss, 500 m radius", permits_rss,
              bare_permits("coalesce(nullif(url, ''), '#' || identifier)",
                           "coalesce(published_date, document_date) DESC NULLS LAST, modified DESC NULLS LAST, "
                           "identifier ASC"),
              same_guid),
        Query("vergunningen JSON, 500 m radius", permits_json,
              bare_permits("identifier", "afstand ASC, identifier ASC")),
    ]


def run(size_name: str) -> list[Result]:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa

    from bench.geodata import SOURCE
    from bench.site import open_site, site_context
    from ckanext.openoverheid.harvest.table_target import derived_dataset_name
    from ckanext.openoverheid.vergunningen.logic.action import vergunningen_tables

    size = sizes(size_name)
    box_ = sandboxes(size_name)["big"]
    site = open_site(box_.ini)
    dataset = tk.get_action("package_show")(site_context(), {"id": derived_dataset_name(SOURCE)})
    table = next(r["id"] for r in dataset["resources"] if r.get("datastore_active"))
    searched = [t.resource_id for t in vergunningen_tables({"user": ""})]
    if searched != [table]:
        # our permit search reads every vergunningen table, the bare query this one
        raise RuntimeError(f"the sandbox holds other vergunningen tables than {table} ({searched}): "
                           "purge the datasets of other vergunningen harvest sources first")
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

    def floor(i: int) -> list[str]:
        """CKAN's own cheapest API request through the same stack: the framework's share of ours."""
        response = client.get("/api/3/action/status_show")
        if response.status_code != 200:
            raise RuntimeError(f"status_show: HTTP {response.status_code}")
        return []
    for query in queries(site, ckan_db, datastore_db, table, window, size.geo_requests + warmup):
        times: dict[str, list[float]] = {"ours": [], "bare": [], "floor": []}
        answers: dict[str, list[str]] = {}
        found = 0
        difference = None
        for i in range(size.geo_requests + warmup):
            sides = (("ours", query.ours), ("bare", query.bare), ("floor", floor))
            for side, ask in sides if i % 2 == 0 else sides[::-1]:
                started = time.perf_counter()
                answers[side] = ask(i)
                elapsed = time.perf_counter() - started
                if i >= warmup:
                    times[side].append(elapsed)
            if i >= warmup:
                found += len(answers["ours"])
            if difference is None:
                differs = first_difference(answers["ours"], answers["bare"], query.same)
                difference = f"request {i}: {differs}" if differs else None
        mine, bare = percentile(times["ours"], 0.95), percentile(times["bare"], 0.95)
        rows = meldingen if query.name.startswith("Open311") else permits
        sameness = (f"not the same rows as the bare query, {difference}" if difference else
                    f"the same ids in the same order on both sides in all {size.geo_requests + warmup} requests")
        line = result(
            f"Geo {query.name} p95", mine / bare, GOAL,
            f"{mine * 1000:.1f} ms vs bare SQL {bare * 1000:.1f} ms; p50 {percentile(times['ours'], 0.5) * 1000:.1f} "
            f"vs {percentile(times['bare'], 0.5) * 1000:.1f} ms; CKAN's cheapest request (status_show) p50 "
            f"{percentile(times['floor'], 0.5) * 1000:.1f} ms; {found / size.geo_requests:.0f} rows an "
            f"answer, {rows:,} in the table; {sameness}; test client in-process",
            baseline="bare SQL on an open psycopg2 connection: the same rows, in the same order",
            ours_p95=mine, bare_p95=bare, floor_p50=percentile(times["floor"], 0.5),
            rows_per_answer=found / size.geo_requests, table_rows=rows,
        )
        if difference is not None:
            line.met = False  # a fast answer with other rows meets nothing
            line.figures["difference"] = difference
        results.append(line)
    ckan_db.close()
    datastore_db.close()
    return results


if __name__ == "__main__":
    benchmark_main(run, __doc__)

"""The geo tables of the ``big`` sandbox: N meldingen and a vergunningen dataset of N notices.

    python -m bench.geodata --ini var/bench/bench_big.ini --rows 100000

* Meldingen: written straight into ``openoverheid_melding`` (``source = 'bench'``), spread evenly over
  Utrecht's area and the year before loading, in the real categories and statuses; each one past
  ``nieuw`` with its status update. Nothing about them is checked on the way in, so the numbers are made to pass.
* Vergunningen: a real ``vergunningen`` harvest source and run (from ``bench.sru_server``, only the
  notices of the last few days: that creates the dataset, its DataStore table and its resources as
  production does), then the other notices of the same feed parsed by the harvester's own parser and
  upserted through the harvester's own ``upsert``: what a full harvest writes, without its wait.

Safe to repeat: what is there already is counted, not loaded again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

GEMEENTE = "Utrecht"
ORGANIZATION = "gemeente-utrecht"
SOURCE = "bron-vergunningen-geo"
AREA = (4.97, 52.02, 5.20, 52.14)  # min lon, min lat, max lon, max lat: bench.sandboxes.MELDINGEN_AREAS
DESCRIPTIONS = (
    "Losse stoeptegel voor de ingang, er is al iemand over gestruikeld.",
    "Lantaarnpaal brandt al een week niet meer, erg donker op het fietspad.",
    "Zwerfafval rond de glasbak, zakken zijn opengescheurd.",
    "Afvalbak zit vol en afval waait over straat.",
    "Fietsenrek is scheef gereden en half uit de grond.",
    "Overhangende takken over het trottoir, lastig met kinderwagen.",
)


def _context() -> dict[str, Any]:
    from bench.site import site_context

    return site_context()


def load_meldingen(rows: int) -> int:
    """Insert bench meldingen until there are ``rows``; the count."""
    import ckan.model as model
    import sqlalchemy as sa
    from psycopg2.extras import execute_values

    from ckanext.openoverheid.meldingen import categories

    organization = model.Group.by_name(ORGANIZATION)
    if organization is None:
        raise RuntimeError(f"the organisation {ORGANIZATION} is missing: load the catalogue first")
    count = model.Session.execute(sa.text("SELECT count(*) FROM openoverheid_melding WHERE source = 'bench'")).scalar()
    if count >= rows:
        return int(count)
    codes = [c.code for c in categories.categories()]
    statuses = [s.code for s in categories.workflow().statuses]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rng = random.Random(f"meldingen-{count}")
    min_lon, min_lat, max_lon, max_lat = AREA
    remaining = rows - count
    while remaining > 0:
        connection = model.Session.connection().connection  # psycopg2's, for execute_values
        batch = []
        for _ in range(min(5_000, remaining)):
            requested = now - dt.timedelta(seconds=rng.randrange(365 * 86_400))
            batch.append((
                organization.id, rng.choice(codes), rng.choice(statuses), rng.choice(DESCRIPTIONS),
                rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon),
                f"Teststraat {rng.randint(1, 200)}, Utrecht", requested,
                requested + dt.timedelta(days=rng.randint(0, 20)),
            ))
        with connection.cursor() as cursor:
            ids = execute_values(
                cursor,
                "INSERT INTO openoverheid_melding (organization_id, service_code, status, description, lat, lon, "
                "address, attributes, hidden, source, requested, updated) VALUES %s RETURNING id",
                batch, template="(%s, %s, %s, %s, %s, %s, %s, '{}'::jsonb, false, 'bench', %s, %s)",
                page_size=1000, fetch=True,
            )
            updates = [(melding_id, row[2], row[8]) for (melding_id,), row in zip(ids, batch, strict=True)
                       if row[2] != "nieuw"]
            execute_values(
                cursor,
                "INSERT INTO openoverheid_melding_update (melding_id, kind, status_from, status_to, text, created) "
                "VALUES %s", updates,
                template="(%s, 'update', 'nieuw', %s, 'We hebben uw melding opgepakt.', %s)", page_size=1000,
            )
        model.Session.commit()
        remaining -= len(batch)
    return rows


def _table_rows(dataset_name: str) -> tuple[str | None, int]:
    import ckan.plugins.toolkit as tk

    try:
        dataset = tk.get_action("package_show")(_context(), {"id": dataset_name})
    except tk.ObjectNotFound:
        return None, 0
    table = next((r for r in dataset["resources"] if r.get("datastore_active")), None)
    if table is None:
        return None, 0
    found = tk.get_action("datastore_search")(_context(), {"resource_id": table["id"], "limit": 0})
    return table["id"], int(found["total"])


def load_vergunningen(rows: int) -> int:
    """A harvested vergunningen dataset with ``rows`` notices; the count."""
    import ckan.plugins.toolkit as tk

    from bench.sru_server import running_sru
    from ckanext.openoverheid.demo.sru_sample import FIRST_DAY, SPAN_DAYS, sample_records_xml
    from ckanext.openoverheid.harvest.run_now import run_source_now
    from ckanext.openoverheid.harvest.table_target import derived_dataset_name
    from ckanext.openoverheid.harvest.vergunningen import VergunningenHarvester, record_row
    from harvesters.vergunningen import parse_response

    name = derived_dataset_name(SOURCE)  # the benchmark source is its only writer
    table_id, count = _table_rows(name)
    if count >= rows:
        return count
    if table_id is None:
        last_day = FIRST_DAY + dt.timedelta(days=(rows - 1) * SPAN_DAYS // rows)
        with running_sru(rows, GEMEENTE) as url:
            config = {"gemeente": GEMEENTE, "pause": 0, "timeout": 60,
                      "sinds": (last_day - dt.timedelta(days=3)).isoformat()}
            source = {"name": SOURCE, "title": "Vergunningen Utrecht (benchmark, geo)", "url": url,
                      "source_type": "vergunningen", "frequency": "MANUAL", "owner_org": ORGANIZATION,
                      "config": json.dumps(config)}
            try:
                existing = tk.get_action("harvest_source_show")(_context(), {"id": SOURCE})
                source_id = tk.get_action("harvest_source_update")(_context(), dict(source, id=existing["id"]))["id"]
            except tk.ObjectNotFound:
                source_id = tk.get_action("harvest_source_create")(_context(), source)["id"]
            summary = run_source_now(source_id)
            if summary.status != "Finished" or summary.gather_errors or summary.object_errors:
                raise RuntimeError(f"the geo harvest did not finish cleanly: {summary}")
        table_id, count = _table_rows(name)
    assert table_id is not None
    harvester = VergunningenHarvester()
    started = time.perf_counter()
    for start in range(1, rows + 1, 1000):
        page = parse_response(sample_records_xml(rows, GEMEENTE, start=start, page_size=1000))
        harvester.upsert(table_id, [record_row(record, GEMEENTE) for record in page.records])
        print(f"    {start + len(page.records) - 1:,}/{rows:,} permit notices "
              f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    return _table_rows(name)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", type=Path, required=True)
    parser.add_argument("--rows", type=int, required=True)
    args = parser.parse_args()
    from bench.site import open_site

    open_site(args.ini)
    print(json.dumps({"meldingen": load_meldingen(args.rows), "vergunningen": load_vergunningen(args.rows)}))


if __name__ == "__main__":
    main()

"""3. Harvest throughput: a first vergunningen harvest of N notices from a local SRU server, against
parsing the same files with bare lxml (the limit); and an unchanged re-run against the first run.

The harvest runs in this process through the stages the queue consumers call
(``ckanext.openoverheid.harvest.run_now.run_source_now``: gather over HTTP, import into the DataStore,
finish the job), on the ``harvest`` sandbox, which is emptied before each first run. The SRU server
(``bench.sru_server``) is another process and answers from memory. The bare parse reads every file
the server sent (``lxml.etree.fromstring``, then one pass over each record gathering the text of its
elements by local name: what any reader of these files must at least do). Before the first round the
server is asked every question once, so that building its pages is not timed. Rounds are
interleaved: first run, bare parse, re-run, and again.
"""

from __future__ import annotations

import json
import shutil
import time
from typing import Any

from lxml import etree

from bench.measure import Result, benchmark_main, median, ours_with_ours, result
from bench.sandboxes import BENCH_VAR, sandboxes
from bench.sizes import sizes
from bench.sru_server import running_sru

RATE_GOAL = ">= 0.25"
SOURCE = "bron-vergunningen-bench"
ORGANIZATION = "gemeente-utrecht"
GEMEENTE = "Utrecht"
SRU_RECORD = "{http://docs.oasis-open.org/ns/search-ws/sruResponse}record"


def bare_parse(pages: list[bytes]) -> int:
    """Every record of every page as a dict of element texts by local name; the number of records."""
    count = 0
    for page in pages:
        root = etree.fromstring(page)
        for record in root.iter(SRU_RECORD):
            fields: dict[str, str] = {}
            for element in record.iter():
                text = element.text
                if text and not isinstance(element, etree._Comment):
                    fields[etree.QName(element).localname] = text.strip()
            count += 1
    return count


def warm_feed(url: str) -> int:
    """Ask the server every question the first run will ask (the same client, the same dates), so it
    has built its pages before the clock runs and writes the files of the bare parse. Notices read."""
    from ckanext.openoverheid.harvest.vergunningen import DEFAULT_PAGE_SIZE
    from harvesters.http import HttpClient
    from harvesters.vergunningen import SruClient

    with HttpClient(timeout=60, allowed_private_hosts=["127.0.0.1"]) as http:
        client = SruClient(url, http, pause=0, page_size=DEFAULT_PAGE_SIZE)
        return sum(1 for _ in client.iter_records(GEMEENTE, None))


def _context() -> dict[str, Any]:
    from bench.site import site_context

    return site_context()


def ensure_source(url: str) -> str:
    """The benchmark's harvest source (its organisation too), pointed at this run's server."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    if model.Group.by_name(ORGANIZATION) is None:
        tk.get_action("organization_create")(_context(), {"name": ORGANIZATION, "title": "Gemeente Utrecht"})
    wanted = {
        "name": SOURCE, "title": "Vergunningen Utrecht (benchmark)", "url": url, "source_type": "vergunningen",
        "frequency": "MANUAL", "owner_org": ORGANIZATION,
        "config": json.dumps({"gemeente": GEMEENTE, "pause": 0, "timeout": 60}),
    }
    try:
        source = tk.get_action("harvest_source_show")(_context(), {"id": SOURCE})
    except tk.ObjectNotFound:
        return tk.get_action("harvest_source_create")(_context(), wanted)["id"]
    return tk.get_action("harvest_source_update")(_context(), dict(wanted, id=source["id"]))["id"]


def reset(source_id: str) -> None:
    """Drop what the source harvested (the DataStore table first, then dataset, jobs and objects)."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.harvest.model import HarvestObject

    package_ids = {pid for (pid,) in model.Session.query(HarvestObject.package_id)
                   .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.package_id.isnot(None))}
    for package_id in package_ids:
        try:
            dataset = tk.get_action("package_show")(_context(), {"id": package_id})
        except tk.ObjectNotFound:
            continue
        for resource in dataset["resources"]:
            if resource.get("datastore_active"):
                tk.get_action("datastore_delete")(_context(), {"resource_id": resource["id"], "force": True})
        tk.get_action("dataset_purge")(_context(), {"id": package_id})
    tk.get_action("harvest_source_clear")(_context(), {"id": source_id})
    model.Session.remove()


def table_rows(source_id: str) -> int:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.harvest.model import HarvestObject

    package_id = (model.Session.query(HarvestObject.package_id)
                  .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.package_id.isnot(None))
                  .limit(1).scalar())
    dataset = tk.get_action("package_show")(_context(), {"id": package_id})
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    found = tk.get_action("datastore_search")(_context(), {"resource_id": table["id"], "limit": 0})
    return int(found["total"])


def harvest(source_id: str) -> tuple[float, dict[str, Any]]:
    import ckan.model as model

    from ckanext.openoverheid.harvest.run_now import run_source_now

    started = time.perf_counter()
    summary = run_source_now(source_id)
    seconds = time.perf_counter() - started
    model.Session.remove()
    if summary.status != "Finished" or summary.gather_errors or summary.object_errors:
        raise RuntimeError(f"the harvest did not finish cleanly: {summary}")
    return seconds, dict(summary.stats)


def run(size_name: str) -> list[Result]:
    from bench.site import open_site

    size = sizes(size_name)
    box = sandboxes(size_name)["harvest"]
    open_site(box.ini)
    pages_dir = BENCH_VAR / "sru-pages"
    shutil.rmtree(pages_dir, ignore_errors=True)
    first: list[float] = []
    again: list[float] = []
    bare: list[float] = []
    parsed = rows = 0
    with running_sru(size.harvest_records, GEMEENTE, pages_dir) as url:
        warm_feed(url)
        source_id = ensure_source(url)
        for _ in range(size.harvest_rounds):
            reset(source_id)
            seconds, stats = harvest(source_id)
            first.append(seconds)
            rows = table_rows(source_id)
            if rows != size.harvest_records:
                raise RuntimeError(f"the first run left {rows} rows, not {size.harvest_records}: {stats}")
            pages = [path.read_bytes() for path in sorted(pages_dir.glob("*.xml"))]
            for _ in range(3):
                started = time.perf_counter()
                parsed = bare_parse(pages)
                bare.append(time.perf_counter() - started)
            seconds, stats = harvest(source_id)
            again.append(seconds)
            if table_rows(source_id) != rows:
                raise RuntimeError(f"the unchanged re-run changed the table: {stats}")
        reset(source_id)
    first_s, bare_s, again_s = median(first), median(bare), median(again)
    harvest_rate, bare_rate = rows / first_s, parsed / bare_s
    return [
        result(
            "Harvest first run / bare lxml parse (records/s)", harvest_rate / bare_rate, RATE_GOAL,
            f"{harvest_rate:,.0f} rec/s ({rows:,} in {first_s:.1f} s, SRU over HTTP into the DataStore) vs bare "
            f"parse {bare_rate:,.0f} rec/s ({parsed:,} records, {len(pages)} files)",
            baseline="bare lxml: parsing the same files the SRU server sent, no database",
            harvest_rate=harvest_rate, bare_rate=bare_rate, first_s=first, bare_s=bare, records=rows,
        ),
        result(
            "Harvest unchanged re-run speed-up", first_s / again_s, "",
            f"re-run {again_s:.2f} s vs first run {first_s:.1f} s ({rows:,} records)",
            baseline=ours_with_ours("our own first run of the same source"),
            first_s=first, rerun_s=again,
        ),
    ]


if __name__ == "__main__":
    benchmark_main(run, __doc__)

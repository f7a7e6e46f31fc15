"""Partial failure: one bad record costs only itself, never the harvest; a harvest that breaks off
half-way (the source hangs up, the worker dies) re-runs to a complete table without duplicates; and
the job reports every record it could not use."""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject
from test_security_servers import XML, drop, running_hostile_server, sru_pages
from vergunningen_sru_server import sample_records

from ckanext.openoverheid.demo.sru_sample import sru_page_xml
from ckanext.openoverheid.harvest import table_source
from ckanext.openoverheid.harvest.run_now import run_source_now

SOURCE = "bron-vergunningen-utrecht"


@pytest.fixture
def feed():
    with running_hostile_server() as server:
        yield server


@pytest.fixture
def source(api, feed) -> dict[str, Any]:
    org = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    return api("harvest_source_create", name=SOURCE, title="Vergunningen Utrecht", url=f"{feed.url}/sru",
               source_type="vergunningen", frequency="MANUAL", owner_org=org["id"],
               config=json.dumps({"gemeente": "Utrecht", "pause": 0, "timeout": 2, "page_size": 20}))


def rows(api) -> list[dict[str, Any]]:
    dataset = api("package_show", _method="GET", id="bron-vergunningen-utrecht-data")
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    return api("datastore_search", _method="GET", resource_id=table["id"], limit=32000)["records"]


def identifiers(records: list[dict[str, Any]]) -> list[str]:
    return [r["identifier"] for r in records]


def test_a_source_hanging_up_on_page_3_of_5_then_a_rerun_gives_every_record_once(api, feed, source):
    records = sample_records(100)
    page_3 = sru_page_xml(records[40:60], 100, 61, start=41)
    feed.answer = sru_pages(records, failures={41: drop(page_3, XML)})

    broken = run_source_now(source["id"])
    assert broken.status == "Finished"
    assert len(broken.gather_errors) == 1 and "broke off" in broken.gather_errors[0], broken.gather_errors
    assert sorted(identifiers(rows(api))) == sorted(identifiers(records[:40]))  # pages 1 and 2, kept

    feed.answer = sru_pages(records)
    feed.requests.clear()
    again = run_source_now(source["id"])
    assert again.gather_errors == [] and again.object_errors == []
    assert feed.requests[0][1]["startRecord"] == "1"  # the broken run was no good run: from the start again
    stored = identifiers(rows(api))
    assert len(stored) == len(set(stored)) == 100
    assert set(stored) == set(identifiers(records))


def test_a_worker_dying_half_way_through_the_import_then_a_rerun_gives_every_record_once(
        api, feed, source, monkeypatch):
    """The gather stage stored five batches; the fetch consumer imported two and died. The next run
    aborts the stale job, gathers again and upserts: nothing twice, nothing missing."""
    monkeypatch.setattr(table_source, "BATCH_SIZE", 20)
    records = sample_records(100)
    feed.answer = sru_pages(records)
    harvester = queue.get_harvester("vergunningen")
    job_dict = tk.get_action("harvest_job_create")(table_source.site_context(), {"source_id": source["id"],
                                                                                   "run": False})
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    object_ids = queue.gather_stage(harvester, job)
    assert len(object_ids) == 5
    for object_id in object_ids[:2]:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    assert len(rows(api)) == 40  # ... and here the worker died

    summary = run_source_now(source["id"])
    assert summary.status == "Finished" and summary.gather_errors == [] and summary.object_errors == []
    stale = HarvestJob.get(job_dict["id"])
    assert stale.status == "Finished"  # what ckanext-harvest's abort does
    assert sorted(o.state for o in stale.objects) == ["COMPLETE", "COMPLETE", "ERROR", "ERROR", "ERROR"]
    # the aborted job is no good run: the new one asked for everything, not only for the last day's changes
    assert "dt.modified>=" not in feed.requests[-1][1]["query"]
    stored = identifiers(rows(api))
    assert len(stored) == len(set(stored)) == 100
    assert set(stored) == set(identifiers(records))


def test_a_record_the_datastore_refuses_costs_only_itself(api, feed, source):
    """A record whose identifier is 10 kB of noise passes the parser, but no database index takes it:
    it must become an error of its own, and its 99 neighbours in the same batch must be stored.
    (Not the municipality: that column comes from the source's config, never from the feed.)"""
    records = sample_records(100)
    noise = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(10_000))
    records[57] = dict(records[57], identifier=f"gmb-2026-{noise}")
    records[12] = dict(records[12], date="2026-13-45")  # a record the parser already refuses
    feed.answer = sru_pages(records)

    job = run_source_now(source["id"])

    assert job.status == "Finished" and job.gather_errors == []
    assert len(job.object_errors) == 2, job.object_errors
    assert any(noise[:100] in e for e in job.object_errors), job.object_errors  # named by its identifier's start
    assert any(records[12]["identifier"] in e and "2026-13-45" in e for e in job.object_errors)
    assert noise not in json.dumps(job.object_errors)  # named, not echoed
    stored = set(identifiers(rows(api)))
    assert stored == set(identifiers(records)) - {records[57]["identifier"], records[12]["identifier"]}

    # the per-record errors are in ckanext-harvest's own report, as the job page shows them
    report = tk.get_action("harvest_job_report")(table_source.site_context(), {"id": job.job_id})
    messages = [m["message"] for entry in report["object_errors"].values() for m in entry["errors"]]
    assert sorted(messages) == sorted(job.object_errors)
    refused = next(e for e in job.object_errors if noise[:100] in e)
    assert "DataStore" in refused and "index row" in refused, refused  # says why


class _PgError(Exception):
    """What psycopg2 raises, with the server's error code (psycopg2 sets it only on real errors)."""

    def __init__(self, pgcode: str) -> None:
        super().__init__(f"pgcode {pgcode}")
        self.pgcode = pgcode


@pytest.mark.parametrize(("pgcode", "blames_the_data"), [
    ("54000", True),  # program_limit_exceeded: a value no index takes
    ("22007", True),  # invalid_datetime_format
    ("23505", True),  # unique_violation
    ("57P01", False),  # admin_shutdown: PostgreSQL restarted
    ("08006", False),  # connection_failure
    ("57014", False),  # query_canceled: a time-out, the records may be fine
])
def test_only_errors_about_the_records_are_blamed_on_them(pgcode, blames_the_data):
    """A lost database must fail the import (the job then is no good run and the next one asks again),
    never turn every record of the batch into a 'refused' record. The DataStore hides the database
    error inside a ValidationError, so both forms are checked."""
    import sqlalchemy as sa

    database_error = sa.exc.OperationalError("INSERT ...", {}, _PgError(pgcode))
    assert table_source._refused_for_its_data(database_error) is blames_the_data
    wrapped = tk.ValidationError({"records": ["refused"], "records_row": 3})
    wrapped.__context__ = database_error  # what raising it inside `except DatabaseError`, as the DataStore does, leaves
    assert table_source._refused_for_its_data(wrapped) is blames_the_data
    assert table_source._refused_for_its_data(tk.ValidationError({"records": ["bad"]})) is True

"""The vergunningen harvester on the real services: a local SRU server, ckanext-harvest's own
gather/fetch queues on Redis, the DataStore on PostgreSQL."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import ckan.plugins.toolkit as tk
import harvest_jobs
import pytest
from harvest_jobs import run_with_queues, site_context
from vergunningen_sru_server import HTML_ERROR, XML, records_pages, running_sru_server, sample_records

from ckanext.openoverheid.demo.sru_sample import sru_page_xml
from harvesters.vergunningen import parse_response

pytestmark = pytest.mark.usefixtures("portal")

organization = harvest_jobs.organization
empty_queues = harvest_jobs.empty_queues


@pytest.fixture
def sru():
    with running_sru_server() as server:
        yield server


def create_source(api, organization, url: str, **config: Any) -> dict[str, Any]:
    settings = {"gemeente": "Utrecht", "pause": 0, "timeout": 2, **config}
    return api(
        "harvest_source_create",
        name="bron-vergunningen-utrecht",
        title="Vergunningen Utrecht (SRU)",
        url=url,
        source_type="vergunningen",
        frequency="MANUAL",
        owner_org=organization["id"],
        config=json.dumps(settings),
    )


def table_rows(api, dataset_name: str = "bron-vergunningen-utrecht-data") -> dict[str, dict[str, Any]]:
    dataset = api("package_show", _method="GET", id=dataset_name)
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    rows = api("datastore_search", _method="GET", resource_id=table["id"], limit=32000)["records"]
    return {row["identifier"]: row for row in rows}


def expected_records(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What the parser makes of the same records: the expectation is computed, not typed in."""
    page = parse_response(sru_page_xml(records, len(records)))
    return {r.identifier: r.to_dict() for r in page.records}


# --- the source ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://10.20.30.40/sru", "http://169.254.169.254/latest/meta-data", "file:///etc/passwd"]
)
def test_source_pointing_at_a_private_address_is_refused(api, organization, url):
    with pytest.raises(AssertionError) as refused:
        create_source(api, organization, url)
    assert "409" in str(refused.value) and "url" in str(refused.value)
    assert tk.get_action("harvest_source_list")(site_context(), {}) == []


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"gemeente": ""}, "gemeente"),
        ({"sinds": "1-1-2026"}, "sinds"),
        ({"page_size": 5000}, "page_size"),
        ({"gemeenet": "Utrecht"}, "unknown setting"),
    ],
)
def test_source_with_a_bad_config_is_refused(api, organization, sru, config, fragment):
    with pytest.raises(AssertionError) as refused:
        create_source(api, organization, sru.url, **config)
    assert fragment in str(refused.value)


# --- harvesting -----------------------------------------------------------------------------------


def test_harvest_through_the_queues_fills_dataset_table_and_downloads(api, app, organization, sru, empty_queues):
    records = sample_records(250)
    sru.pages = records_pages(records)
    source = create_source(api, organization, sru.url, sinds="2025-01-01", page_size=100)

    job = run_with_queues(source["id"], empty_queues)

    assert job["status"] == "Finished"
    assert job["gather_errors"] == [] and job["object_errors"] == []
    # paged with startRecord/nextRecordPosition, the municipality and start date in the CQL
    assert [r["startRecord"] for r in sru.requests] == ["1", "101", "201"]
    assert all('dt.creator=="Utrecht"' in q and "dt.modified>=2025-01-01" in q for q in sru.queries())

    dataset = api("package_show", _method="GET", id="bron-vergunningen-utrecht-data")
    assert dataset["title"] == "Vergunningen Utrecht"
    assert dataset["organization"]["name"] == "gemeente-utrecht"
    assert dataset["access_rights"] == "publiek"
    assert dataset["license_id"] == "cc-zero"
    formats = sorted(r["format"] for r in dataset["resources"])
    assert formats == ["CSV", "DataStore", "GeoJSON"]

    expected = expected_records(records)
    rows = table_rows(api)
    assert set(rows) == set(expected)
    some_id = sorted(expected)[17]
    row, want = rows[some_id], expected[some_id]
    for key in ("title", "soort", "fase", "straat", "huisnummer", "postcode", "woonplaats", "gemeente", "url"):
        assert row[key] == want[key], key
    assert row["published_date"].startswith(want["published_date"])
    assert row["lat"] == pytest.approx(want["lat"]) and row["lon"] == pytest.approx(want["lon"])

    # the CSV resource is the DataStore dump, the GeoJSON resource our endpoint: both hold every row
    by_format = {r["format"]: r for r in dataset["resources"]}
    csv_response = app.get(by_format["CSV"]["url"].replace(tk.config["ckan.site_url"], ""))
    assert csv_response.status_code == 200
    csv_rows = list(csv.DictReader(io.StringIO(csv_response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["identifier"] for r in csv_rows} == set(expected)
    geojson = app.get(by_format["GeoJSON"]["url"].replace(tk.config["ckan.site_url"], "")).get_json()
    assert geojson["type"] == "FeatureCollection"
    assert {f["id"] for f in geojson["features"]} == set(expected)


def test_second_run_asks_only_for_changes_and_updates_a_changed_notice(api, organization, sru, empty_queues):
    records = sample_records(120)
    sru.pages = records_pages(records)
    source = create_source(api, organization, sru.url, sinds="2025-01-01")
    first = run_with_queues(source["id"], empty_queues)
    assert first["status"] == "Finished" and first["gather_errors"] == []
    before = table_rows(api)
    assert len(before) == 120

    # the municipality withdraws a notice (same identifier, new title and date) and publishes a new one
    rest_of_title = records[4]["title"].split(", ", 1)[1]
    changed = dict(records[4], title=f"Ingetrokken aanvraag omgevingsvergunning, {rest_of_title}",
                   modified=datetime.date.today().isoformat())
    new = dict(records[5], identifier="gmb-2026-999001", title="Verleende omgevingsvergunning, kappen van 3 bomen, "
               "Maliebaan 12, 3581CA Utrecht", subject="kapvergunning", modified=datetime.date.today().isoformat())
    sru.requests.clear()
    sru.pages = records_pages([changed, new])
    second = run_with_queues(source["id"], empty_queues)

    assert second["status"] == "Finished" and second["gather_errors"] == []
    first_started = datetime.datetime.fromisoformat(first["gather_started"]).date()
    since = (first_started - datetime.timedelta(days=1)).isoformat()
    assert sru.queries() and all(f"dt.modified>={since}" in q for q in sru.queries())
    assert "dt.modified>=2025-01-01" not in " ".join(sru.queries())

    after = table_rows(api)
    assert len(after) == 121  # upserted: one new row, none duplicated, none lost
    assert after[changed["identifier"]]["fase"] == "ingetrokken"
    assert after[changed["identifier"]]["title"] == changed["title"]
    assert after["gmb-2026-999001"]["soort"] == "kap" and after["gmb-2026-999001"]["fase"] == "verleend"
    untouched = records[10]["identifier"]
    assert after[untouched] == before[untouched]


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ((500, "text/plain", b"kapot"), "HTTP 500"),
        ((200, "text/html; charset=utf-8", HTML_ERROR), "HTML"),
        (4.0, "did not answer within"),
    ],
    ids=["http-500", "html-error-page", "timeout"],
)
def test_page_failing_half_way_keeps_earlier_rows_and_reports_it(api, organization, sru, empty_queues,
                                                                  failure, message):
    records = sample_records(250)
    sru.pages = records_pages(records)
    sru.fail_at(101, failure)
    source = create_source(api, organization, sru.url, timeout=1, page_size=100)

    job = run_with_queues(source["id"], empty_queues)

    assert job["status"] == "Finished"
    assert len(job["gather_errors"]) == 1 and message in job["gather_errors"][0]
    assert sru.url.split("/sru")[0] in job["gather_errors"][0]  # names the source
    rows = table_rows(api)
    assert set(rows) == set(expected_records(records[:100]))  # the first page, every row of it

    # the next run finishes the job and still asks from the configured start: the broken run was no good run
    sru.failures.clear()
    sru.requests.clear()
    again = run_with_queues(source["id"], empty_queues)
    assert again["gather_errors"] == []
    assert "dt.modified>=" not in sru.queries()[0]
    assert len(table_rows(api)) == 250


def test_broken_feed_never_deletes_the_last_good_data(api, organization, sru, empty_queues):
    sru.pages = records_pages(sample_records(60))
    source = create_source(api, organization, sru.url)
    run_with_queues(source["id"], empty_queues)
    assert len(table_rows(api)) == 60

    sru.pages = lambda start, size: (200, XML, b"<?xml version='1.0'?><searchRetrieveResponse><oops")
    job = run_with_queues(source["id"], empty_queues)
    assert len(job["gather_errors"]) == 1 and "XML" in job["gather_errors"][0]
    assert len(table_rows(api)) == 60


def test_bad_records_become_object_errors_and_the_rest_is_imported(api, organization, sru, empty_queues):
    records = sample_records(30)
    records[3] = {key: value for key, value in records[3].items() if key != "identifier"}
    records[7] = dict(records[7], date="31-02-2026")
    sru.pages = records_pages(records)
    source = create_source(api, organization, sru.url)

    job = run_with_queues(source["id"], empty_queues)

    assert job["status"] == "Finished" and job["gather_errors"] == []
    assert len(job["object_errors"]) == 2
    assert any(records[7]["identifier"] in e and "31-02-2026" in e for e in job["object_errors"])
    assert any("identifier" in e for e in job["object_errors"])
    assert len(table_rows(api)) == 28


def test_run_now_is_the_run_test_path_without_queues(api, organization, sru):
    from ckanext.openoverheid.harvest.run_now import run_source_now

    sru.pages = records_pages(sample_records(40))
    source = create_source(api, organization, sru.url)
    summary = run_source_now(source["id"])
    assert summary.status == "Finished"
    assert summary.gather_errors == [] and summary.object_errors == []
    assert len(table_rows(api)) == 40
    # and again: nothing duplicated, the job reuses the dataset
    assert run_source_now(source["id"]).status == "Finished"
    assert len(table_rows(api)) == 40
    assert len(api("package_search", _method="GET", q="name:bron-vergunningen-utrecht-data")["results"]) == 1

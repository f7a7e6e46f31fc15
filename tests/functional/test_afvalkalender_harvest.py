"""The afvalkalender harvester on the real services: a local mijnafvalwijzer-style server,
ckanext-harvest's own gather/fetch queues on Redis, the DataStore on PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import ckan.plugins.toolkit as tk
import harvest_jobs
import pytest
from afvalkalender_server import HTML_ERROR, expected_rows, route, running_afvalwijzer
from ckanext.harvest.model import HarvestObject
from harvest_jobs import run_with_queues, site_context

from harvesters.afvalkalender.base import amsterdam_today
from harvesters.afvalkalender.vocabulary import default_vocabulary

pytestmark = pytest.mark.usefixtures("portal")

organization = harvest_jobs.organization
queues = harvest_jobs.empty_queues

A = "3512AH 13"
B = "3511NV 250-A"


@pytest.fixture
def provider():
    with running_afvalwijzer() as server:
        yield server


def create_source(api, organization, url: str, **config: Any) -> dict[str, Any]:
    settings = {"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "geheim", "adressen": [A, B],
                "pause": 0, "timeout": 3, **config}
    return api(
        "harvest_source_create",
        name="bron-afvalkalender-utrecht",
        title="Afvalkalender Utrecht",
        url=url,
        source_type="afvalkalender",
        frequency="MANUAL",
        owner_org=organization["id"],
        config=json.dumps(settings),
    )


def table(api) -> dict[str, Any]:
    dataset = api("package_show", _method="GET", id="bron-afvalkalender-utrecht-data")
    return next(r for r in dataset["resources"] if r.get("datastore_active"))


def rows_by_address(api) -> dict[tuple[str, int, str], set[tuple[str, str]]]:
    records = api("datastore_search", _method="GET", resource_id=table(api)["id"], limit=32000)["records"]
    found: dict[tuple[str, int, str], set[tuple[str, str]]] = {}
    for row in records:
        key = (row["postcode"], row["huisnummer"], row["toevoeging"])
        found.setdefault(key, set()).add((row["afvaltype"], row["datum"][:10]))
    return found


KEY_A = ("3512AH", 13, "")
KEY_B = ("3511NV", 250, "A")


# --- the source ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://10.1.2.3/webservices/appsinput/", "http://169.254.169.254/latest/",
                                 "ftp://example.nl/afval"])
def test_source_pointing_at_a_private_address_is_refused(api, organization, url):
    with pytest.raises(AssertionError) as refused:
        create_source(api, organization, url)
    assert "409" in str(refused.value) and "url" in str(refused.value)
    assert tk.get_action("harvest_source_list")(site_context(), {}) == []


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"provider": "afvalapp"}, "provider"),
        ({"gemeente": ""}, "gemeente"),
        ({"adressen": ["3512 13"]}, "adressen"),
        ({"apikey": ""}, "apikey"),
        ({"company_code": "x"}, "company_code"),
        ({"postcodes": ["3585-3500"]}, "postcodes"),
        ({"adressen": [], "postcodes": []}, "adressen"),
        ({"contact_email": "afvalteam"}, "contact_email"),
    ],
)
def test_source_with_a_bad_config_is_refused(api, organization, provider, config, fragment):
    with pytest.raises(AssertionError) as refused:
        create_source(api, organization, provider.url, **config)
    assert fragment in str(refused.value)


# --- harvesting -----------------------------------------------------------------------------------


def test_harvest_through_the_queues_fills_dataset_table_and_csv(api, app, organization, provider, queues):
    year = amsterdam_today().year
    items_a, items_b = route(year), route(year, dt.date(year, 1, 7), weeks=1)
    provider.answer(A, items_a)
    provider.answer(B, items_b)
    source = create_source(api, organization, provider.url, contact_email="afval@utrecht.example")

    job = run_with_queues(source["id"], queues)

    assert job["status"] == "Finished"
    assert job["gather_errors"] == [] and job["object_errors"] == []
    assert provider.asked_for(A) == 1 and provider.asked_for(B) == 1
    assert {r["apikey"] for r in provider.requests} == {"geheim"}
    assert {r["toevoeging"] for r in provider.requests} == {"", "A"}

    dataset = api("package_show", _method="GET", id="bron-afvalkalender-utrecht-data")
    assert dataset["title"] == "Afvalkalender Utrecht"
    assert dataset["organization"]["name"] == "gemeente-utrecht"
    assert dataset["access_rights"] == "publiek"
    assert dataset["license_id"] == "cc-zero"
    assert dataset["contact"] == [{"name": "Gemeente Utrecht", "email": "afval@utrecht.example"}]
    assert sorted(r["format"] for r in dataset["resources"]) == ["CSV", "DataStore", "HTML"]

    rows = rows_by_address(api)
    assert rows == {KEY_A: expected_rows(items_a), KEY_B: expected_rows(items_b)}

    by_format = {r["format"]: r for r in dataset["resources"]}
    download = app.get(by_format["CSV"]["url"].replace(tk.config["ckan.site_url"], ""))
    assert download.status_code == 200
    lines = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(lines) == len(expected_rows(items_a)) + len(expected_rows(items_b))
    pmd = [line for line in lines if line["afvaltype"] == "pmd"]
    assert {line["omschrijving"] for line in pmd} == {default_vocabulary().get("pmd").label("nl")}
    assert {line["provider_label"] for line in pmd} == {"Plastic, metaal en drankkartons"}


def test_second_run_moves_changed_dates_keeps_past_ones_and_drops_last_year(api, organization, provider, queues):
    today = amsterdam_today()
    year = today.year
    items = route(year)
    provider.answer(A, items)
    provider.answer(B, route(year, dt.date(year, 1, 6)))
    source = create_source(api, organization, provider.url)
    assert run_with_queues(source["id"], queues)["object_errors"] == []
    # a row of last year, as an earlier run of last year left it
    api("datastore_upsert", resource_id=table(api)["id"], method="insert", force=True,
        records=[{"postcode": "3512AH", "huisnummer": 13, "toevoeging": "", "afvaltype": "gft",
                  "datum": f"{year - 1}-12-30", "omschrijving": "Groente-, fruit- en tuinafval"}])

    # The provider now only answers from today on (as the real one does) and moved one future gft date.
    future_gft = sorted(day for kind, _, day in items if kind == "gft" and day > today)
    if not future_gft:
        pytest.skip("no gft date left this year to move (the last days of December)")
    moved_from = future_gft[0]
    moved_to = moved_from + dt.timedelta(days=1)
    second = [(k, label, moved_to if (k == "gft" and day == moved_from) else day)
              for k, label, day in items if day >= today]
    provider.answer(A, second)
    job = run_with_queues(source["id"], queues)
    assert job["status"] == "Finished" and job["object_errors"] == []

    rows = rows_by_address(api)[KEY_A]
    assert ("gft", moved_to.isoformat()) in rows
    assert ("gft", moved_from.isoformat()) not in rows
    past = expected_rows([i for i in items if i[2] < today])
    assert past <= rows, "past dates of this year are kept"
    assert rows == past | expected_rows(second)
    assert not any(day.startswith(str(year - 1)) for _, day in rows)


def test_an_address_answering_html_keeps_its_dates_and_spoils_no_other(api, organization, provider, queues):
    year = amsterdam_today().year
    items_a, items_b = route(year), route(year, dt.date(year, 1, 7))
    provider.answer(A, items_a)
    provider.answer(B, items_b)
    source = create_source(api, organization, provider.url)
    assert run_with_queues(source["id"], queues)["object_errors"] == []

    provider.fail(B, (200, "text/html; charset=utf-8", HTML_ERROR))
    changed_a = [("glas", "glas", dt.date(year, 12, 28)), *items_a]
    provider.answer(A, changed_a)
    job = run_with_queues(source["id"], queues)

    assert job["status"] == "Finished"
    assert len(job["object_errors"]) == 1
    error = job["object_errors"][0]
    assert "3511NV 250A" in error and "HTML" in error and "kept" in error
    rows = rows_by_address(api)
    assert rows[KEY_A] == expected_rows(changed_a)  # the other address is updated
    assert rows[KEY_B] == expected_rows(items_b)  # and this one keeps its last good dates


def test_unknown_and_unreachable_addresses_are_errors_of_their_own(api, organization, provider, queues):
    year = amsterdam_today().year
    provider.answer(A, route(year))
    # B is unknown to the provider: its NOK answer is an error of B alone
    source = create_source(api, organization, provider.url, adressen=[A, B])
    job = run_with_queues(source["id"], queues)
    assert job["status"] == "Finished"
    assert len(job["object_errors"]) == 1 and "No Afvaldata" in job["object_errors"][0]
    assert set(rows_by_address(api)) == {KEY_A}


def test_a_batch_never_splits_an_address(api, organization, provider, queues, monkeypatch):
    from ckanext.openoverheid.harvest import table_source

    monkeypatch.setattr(table_source, "BATCH_SIZE", 10)
    year = amsterdam_today().year
    items_a, items_b = route(year), route(year, dt.date(year, 1, 7))
    provider.answer(A, items_a)
    provider.answer(B, items_b)
    source = create_source(api, organization, provider.url)
    job = run_with_queues(source["id"], queues)
    assert job["object_errors"] == []

    objects = HarvestObject.filter(harvest_job_id=job["id"]).all()
    addresses_per_object = [
        {(r["postcode"], r["huisnummer"], r["toevoeging"]) for r in json.loads(o.content)["records"]} for o in objects
    ]
    assert sorted(len(a) for a in addresses_per_object) == [1, 1]
    assert rows_by_address(api) == {KEY_A: expected_rows(items_a), KEY_B: expected_rows(items_b)}

"""Hostile feeds, end to end through the real harvesters: a good harvest first, then the source turns
hostile (XXE, billion laughs, an external DTD, a gzip bomb, an answer over the configured size, an
endless trickle, a stall, the wrong content type). Every time the job names the problem, and the data
of the good harvest stays exactly as it was: DataStore rows, resources, the dataset."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
import uuid
from typing import Any

import pytest
from afvalkalender_server import mijnafvalwijzer_json, route
from test_security_servers import (
    JSON,
    XML,
    body,
    drop,
    fixture,
    gzip_bomb,
    running_hostile_server,
    sru_pages,
    stall,
    trickle,
)
from vergunningen_sru_server import HTML_ERROR, sample_records

from ckanext.openoverheid.demo.sru_sample import sample_record, sru_page_xml
from ckanext.openoverheid.harvest.run_now import JobSummary, run_source_now
from harvesters.afvalkalender.base import amsterdam_today

MAX_BYTES = 200_000  # ckanext.openoverheid.harvest.max_bytes in these tests; a good page is ~40 kB
TIMEOUT = 1  # the sources' read timeout (seconds); the whole body may take four times as long


@pytest.fixture
def feed():
    with running_hostile_server() as server:
        yield server


@pytest.fixture(autouse=True)
def size_limit(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.harvest.max_bytes", MAX_BYTES)


@pytest.fixture
def organization(api) -> dict[str, Any]:
    return api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")


@pytest.fixture
def secret(tmp_path) -> dict[str, str]:
    """A local file an attacker wants to read, with a marker that must never show up anywhere."""
    marker = "vertrouwelijk" + uuid.uuid4().hex
    path = tmp_path / "hostname"
    path.write_text(marker + "\n", encoding="utf-8")
    return {"marker": marker, "uri": path.as_uri()}


def create_source(api, organization, source_type: str, url: str, config: dict[str, Any]) -> dict[str, Any]:
    return api("harvest_source_create", name=f"bron-{source_type}-utrecht", title=f"{source_type} Utrecht", url=url,
               source_type=source_type, frequency="MANUAL", owner_org=organization["id"], config=json.dumps(config))


def snapshot(api, dataset_name: str) -> dict[str, Any]:
    """What the public sees of a harvested dataset: its resources and every DataStore row."""
    dataset = api("package_show", _method="GET", id=dataset_name)
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    rows = api("datastore_search", _method="GET", resource_id=table["id"], limit=32000, sort="_id")["records"]
    resources = [{key: r.get(key) for key in ("id", "name", "url", "format", "datastore_active")}
                 for r in dataset["resources"]]
    return {"rows": rows, "resources": resources, "title": dataset["title"], "num_resources": dataset["num_resources"]}


def everything_said(summary: JobSummary, state: dict[str, Any]) -> str:
    return json.dumps([summary.gather_errors, summary.object_errors, state], default=str)


# --- vergunningen: SRU XML -------------------------------------------------------------------------


def hostile_xml(feed, secret: dict[str, str], name: str):
    """The fixture, pointing at this test's secret file and at this server as the attacker's host."""
    text = fixture(name).decode("utf-8")
    replacements = {old: new for old, new in (("file:///etc/hostname", secret["uri"]),
                                              ("http://127.0.0.1:8000", feed.url)) if old in text}
    feed.routes["/evil.dtd"] = body(fixture("evil.dtd", {"file:///etc/hostname": secret["uri"],
                                                         "http://127.0.0.1:8000": feed.url}), "application/xml-dtd")
    return body(fixture(name, replacements), XML)


def oversized_page() -> bytes:
    """A well-formed SRU page of real records, larger than MAX_BYTES: only its size is wrong."""
    records = [sample_record(i, "Utrecht", 80, seed=3) for i in range(1, 81)]
    page = sru_page_xml(records, len(records))
    assert len(page) > MAX_BYTES
    return page


HOSTILE_SRU = {
    # name: (how to build the answer, what the job's gather error must say)
    "xxe": (lambda feed, secret: hostile_xml(feed, secret, "sru_xxe.xml"), "declares entities"),
    "xxe-parameter-entity": (lambda feed, secret: hostile_xml(feed, secret, "sru_xxe_parameter.xml"),
                             "declares entities"),
    "billion-laughs": (lambda feed, secret: hostile_xml(feed, secret, "sru_billion_laughs.xml"), "declares entities"),
    "external-dtd": (lambda feed, secret: hostile_xml(feed, secret, "sru_external_dtd.xml"), "external DTD"),
    "gzip-bomb": (lambda feed, secret: gzip_bomb(30_000_000, XML), "after decompression"),
    "over-size-announced": (lambda feed, secret: body(oversized_page(), XML), "announced"),
    "over-size-streamed": (lambda feed, secret: body(oversized_page(), XML, length=False), "sent more than"),
    "endless-trickle": (lambda feed, secret: trickle(XML), "still sending after"),
    "stall-mid-answer": (lambda feed, secret: stall(oversized_page()[:MAX_BYTES - 1], XML), "stopped sending"),
    "wrong-content-type": (lambda feed, secret: body(b'{"records": []}', JSON), "instead of application/xml"),
    "html-as-xml": (lambda feed, secret: body(HTML_ERROR, XML), "HTML page, not XML"),
}


def test_hostile_sru_answers_are_refused_and_the_last_good_data_is_kept(api, organization, feed, secret):
    good = sample_records(10)
    feed.answer = sru_pages(good)
    source = create_source(api, organization, "vergunningen", f"{feed.url}/sru",
                           {"gemeente": "Utrecht", "pause": 0, "timeout": TIMEOUT})
    first = run_source_now(source["id"])
    assert first.status == "Finished" and first.gather_errors == [] and first.object_errors == []
    before = snapshot(api, "bron-vergunningen-utrecht-data")
    assert len(before["rows"]) == 10

    for case, (make_answer, complaint) in HOSTILE_SRU.items():
        feed.answer = make_answer(feed, secret)
        started = time.monotonic()
        job = run_source_now(source["id"])
        took = time.monotonic() - started

        assert job.status == "Finished", case
        assert len(job.gather_errors) == 1, (case, job.gather_errors)
        assert complaint in job.gather_errors[0], (case, job.gather_errors[0])
        assert feed.url in job.gather_errors[0], case  # names the source
        after = snapshot(api, "bron-vergunningen-utrecht-data")
        assert after == before, f"{case} changed the harvested data"
        assert secret["marker"] not in everything_said(job, after), case
        assert "/evil.dtd" not in feed.paths() and "/collect" not in feed.paths(), case  # nothing reached back
        assert took < 4 * TIMEOUT + 10, f"{case} held the harvest for {took:.1f} s"

    # and the source recovers: the next good answer is harvested as before
    new = [dict(sample_record(i, "Utrecht", 10, seed=5), modified=dt.date.today().isoformat()) for i in (1, 2)]
    feed.answer = sru_pages([*good, *new])
    assert run_source_now(source["id"]).gather_errors == []
    assert len(snapshot(api, "bron-vergunningen-utrecht-data")["rows"]) == 12


# --- afvalkalender: JSON (mijnafvalwijzer) -----------------------------------------------------------

A, B = "3512AH 13", "3511NV 250"


def afval_answers(items_a, items_b, hostile=None):
    """Answer per address: A gets ``hostile`` when given, B always its own good calendar."""
    good_a, good_b = body(mijnafvalwijzer_json(items_a)[2], JSON), body(mijnafvalwijzer_json(items_b)[2], JSON)

    def answer(handler, params):
        wanted = (params.get("postcode"), params.get("huisnummer"))
        if wanted == ("3512AH", "13"):
            (hostile or good_a)(handler, params)
        else:
            good_b(handler, params)

    return answer


def big_calendar_json() -> bytes:
    """A mijnafvalwijzer answer that is well-formed but larger than MAX_BYTES."""
    year = amsterdam_today().year
    items = route(year, weeks=1) * 40
    data = mijnafvalwijzer_json(items)[2]
    assert len(data) > MAX_BYTES
    return data


HOSTILE_JSON = {
    "gzip-bomb": (lambda: gzip_bomb(30_000_000, JSON), "after decompression"),
    "over-size-announced": (lambda: body(big_calendar_json(), JSON), "announced"),
    "over-size-streamed": (lambda: body(big_calendar_json(), JSON, length=False), "sent more than"),
    "endless-trickle": (lambda: trickle(JSON), "still sending after"),
    "stall-mid-answer": (lambda: stall(big_calendar_json()[:MAX_BYTES - 1], JSON), "stopped sending"),
    "connection-dropped": (lambda: drop(big_calendar_json()[:MAX_BYTES - 1], JSON), "broke off"),
    "html-error-page": (lambda: body(HTML_ERROR, "text/html; charset=utf-8", 200), "HTML"),
    "wrong-content-type": (lambda: body(b"%PDF-1.4 not a calendar", "application/pdf"), "malformed JSON"),
}


def test_hostile_provider_answers_keep_the_address_dates_and_spoil_no_other(api, organization, feed):
    year = amsterdam_today().year
    today = amsterdam_today()
    items_a = [i for i in route(year) if i[2] > today] or route(year + 1)
    items_b = [i for i in route(year, first=dt.date(year, 1, 6)) if i[2] > today] or route(year + 1)
    feed.answer = afval_answers(items_a, items_b)
    source = create_source(api, organization, "afvalkalender", f"{feed.url}/webservices/appsinput/",
                           {"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "geheim",
                            "adressen": [A, B], "pause": 0, "timeout": TIMEOUT})
    first = run_source_now(source["id"])
    assert first.status == "Finished" and first.gather_errors == [] and first.object_errors == []
    before = snapshot(api, "bron-afvalkalender-utrecht-data")
    rows_a = [r for r in before["rows"] if r["postcode"] == "3512AH"]
    assert rows_a and len(rows_a) < len(before["rows"])

    for number, (case, (make_answer, complaint)) in enumerate(HOSTILE_JSON.items(), start=1):
        # B's provider has one more collection each time: B is still harvested while A is refused
        extra = ("glas", "glas", dt.date(year, 1, 1) + dt.timedelta(days=number))
        items_b = [*items_b, extra]
        feed.answer = afval_answers(items_a, items_b, hostile=make_answer())
        started = time.monotonic()
        job = run_source_now(source["id"])
        took = time.monotonic() - started

        assert job.status == "Finished" and job.gather_errors == [], (case, job.gather_errors)
        assert len(job.object_errors) == 1, (case, job.object_errors)
        error = job.object_errors[0]
        assert "3512AH" in error and complaint in error and "last known dates are kept" in error, (case, error)
        assert "geheim" not in error, case  # the API key stays out of the job's messages
        after = snapshot(api, "bron-afvalkalender-utrecht-data")
        assert after["resources"] == before["resources"], case
        assert [r for r in after["rows"] if r["postcode"] == "3512AH"] == rows_a, f"{case} changed A's dates"
        dates_b = {(r["afvaltype"], r["datum"][:10]) for r in after["rows"] if r["postcode"] == "3511NV"}
        assert ("glas", extra[2].isoformat()) in dates_b, case
        assert took < 4 * TIMEOUT + 10, f"{case} held the harvest for {took:.1f} s"


# --- afvalkalender: a municipality's own .ics files ---------------------------------------------------


def ics(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Gemeente//Afval//NL\r\n" + "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@gemeente.example\r\n{event}\r\nEND:VEVENT\r\n" for n, event in enumerate(events)
    ) + "END:VCALENDAR\r\n").encode("utf-8")


def test_hostile_ics_recurrences_cost_no_time_and_a_flood_is_refused(api, organization, feed):
    """An .ics file is tiny and cheap to send; expanding its rules must stay cheap too."""
    year = amsterdam_today().year
    weekly_gft = f"SUMMARY:GFT\r\nDTSTART;VALUE=DATE:{year}0106\r\nRRULE:FREQ=WEEKLY;INTERVAL=2"
    papier = f"SUMMARY:Papier\r\nDTSTART;VALUE=DATE:{year}0109\r\nRRULE:FREQ=MONTHLY"
    feed.routes["/ics/3512AH-13.ics"] = body(ics(weekly_gft), "text/calendar")
    feed.routes["/ics/3511NV-250.ics"] = body(ics(papier), "text/calendar")
    source = create_source(api, organization, "afvalkalender", f"{feed.url}/ics",
                           {"gemeente": "Utrecht", "provider": "ical", "adressen": [A, B], "pause": 0,
                            "timeout": TIMEOUT, "url_template": "{endpoint}/{postcode}-{huisnummer}{toevoeging}.ics"})
    first = run_source_now(source["id"])
    assert first.status == "Finished" and first.gather_errors == [] and first.object_errors == [], first
    before = snapshot(api, "bron-afvalkalender-utrecht-data")
    rows_b = [r for r in before["rows"] if r["postcode"] == "3511NV"]
    assert len(rows_b) >= 12

    # A: the good rule beside rules that recur every minute, match no day (30 February, a 40th Monday)
    # or start in the year 1; each is worth seconds of CPU to a naive expander
    feed.routes["/ics/3512AH-13.ics"] = body(ics(
        weekly_gft,
        f"SUMMARY:Restafval\r\nDTSTART;VALUE=DATE:{year}0107\r\nRRULE:FREQ=MINUTELY",
        f"SUMMARY:Papier\r\nDTSTART;VALUE=DATE:{year}0108\r\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        f"SUMMARY:Glas\r\nDTSTART;VALUE=DATE:{year}0109\r\nRRULE:FREQ=MONTHLY;BYSETPOS=40;BYDAY=MO",
        "SUMMARY:PMD\r\nDTSTART;VALUE=DATE:00010101\r\nRRULE:FREQ=DAILY",
    ), "text/calendar")
    # B: one event with twenty thousand extra dates, a list a naive reader compares pairwise
    flood = ",".join((dt.date(1950, 1, 1) + dt.timedelta(days=n)).strftime("%Y%m%d") for n in range(20_500))
    feed.routes["/ics/3511NV-250.ics"] = body(ics(f"SUMMARY:Papier\r\nDTSTART;VALUE=DATE:{year}0109\r\n"
                                                  f"RDATE;VALUE=DATE:{flood}"), "text/calendar")
    started = time.monotonic()
    job = run_source_now(source["id"])
    took = time.monotonic() - started

    assert took < 8, f"expanding the hostile calendars took {took:.1f} s"
    assert job.status == "Finished" and job.gather_errors == []
    assert len(job.object_errors) == 1 and "3511NV" in job.object_errors[0], job.object_errors
    assert "more than 20,000 collections" in job.object_errors[0]
    after = snapshot(api, "bron-afvalkalender-utrecht-data")
    assert [r for r in after["rows"] if r["postcode"] == "3511NV"] == rows_b  # B's last good dates are kept
    dates_a: dict[str, set[str]] = {}
    for row in after["rows"]:
        if row["postcode"] == "3512AH":
            dates_a.setdefault(row["afvaltype"], set()).add(row["datum"][:10])
    assert len(dates_a.pop("gft")) >= 20  # the good rule is expanded as before
    # the others are taken for their start date only (the year 1 is no collection of this year)
    assert all(len(days) == 1 for days in dates_a.values()), dates_a


NEVER_ENDING = '''
import datetime as dt, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # a runaway expansion fails, it does not swap
from harvesters.afvalkalender.ics_reader import read_events
ics = ("BEGIN:VCALENDAR\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:gft\\r\\nDTSTART;VALUE=DATE:20260105\\r\\n"
       f"RRULE:{sys.argv[1]}\\r\\nEND:VEVENT\\r\\nEND:VCALENDAR\\r\\n")
events = read_events(ics.encode(), window=(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
print(len(events))
'''


@pytest.mark.parametrize("rule", ["FREQ=DAILY;INTERVAL=0", "FREQ=WEEKLY;INTERVAL=0;BYDAY=MO"])
def test_an_ics_rule_that_never_advances_is_not_expanded(rule):
    """dateutil loops forever on INTERVAL=0; in a child process with a memory cap and a time-out, so a
    regression fails this test instead of hanging the suite."""
    try:
        done = subprocess.run([sys.executable, "-c", NEVER_ENDING, rule], capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(f"expanding RRULE:{rule} did not end")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1"]  # the start date only

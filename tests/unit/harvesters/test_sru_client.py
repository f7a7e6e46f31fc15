"""harvesters.vergunningen.SruClient against a real local server serving SRU pages."""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise
from pathlib import Path

import pytest

from ckanext.openoverheid.demo.sru_sample import diagnostic_xml, sru_page_xml
from harvesters.errors import FetchError, ParseError, RecordError, SourceDiagnostic
from harvesters.http import HttpClient
from harvesters.vergunningen import SruClient, Vergunning, build_query

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vergunningen"
TODAY = dt.date(2026, 6, 30)


def make_client(server, *, page_size=2, pause=0.0, slept=None, http_sleep=None) -> SruClient:
    http = HttpClient(allowed_private_hosts=["127.0.0.1"], timeout=5, sleep=http_sleep or (lambda s: None))
    return SruClient(
        server.url("/sru"),
        http,
        page_size=page_size,
        pause=pause,
        sleep=(slept.append if slept is not None else lambda s: None),
        today=lambda: TODAY,
    )


def serve_fixtures(server, pages: dict[int, str], content_type: str = "text/xml;charset=UTF-8") -> None:
    @server.route("/sru")
    def sru(handler, query):
        start = int(query["startRecord"][0])
        server.send(handler, 200, (FIXTURES / pages[start]).read_bytes(), content_type)


def ids(items) -> list[str]:
    return [item.identifier for item in items if isinstance(item, Vergunning)]


# --- queries --------------------------------------------------------------------------------------


def test_build_query():
    assert build_query("Utrecht", dt.date(2026, 1, 1), None) == (
        'c.product-area==officielepublicaties AND w.organisatietype==gemeente AND dt.creator=="Utrecht" '
        "AND dt.modified>=2026-01-01 sortBy dt.modified/sort.ascending"
    )
    assert build_query("Utrecht", dt.date(2026, 1, 1), dt.date(2026, 1, 31)).endswith(
        "dt.modified>=2026-01-01 AND dt.modified<=2026-01-31 sortBy dt.modified/sort.ascending"
    )
    assert "dt.modified>=" not in build_query("Utrecht", None)


def test_build_query_escapes_quotes_and_backslashes():
    assert 'dt.creator=="\'s-Gravenhage \\" OR x=\\\\"' in build_query("'s-Gravenhage \" OR x=\\", None)
    assert 'dt.creator=="Súdwest-Fryslân"' in build_query("  Súdwest-Fryslân ", None)


def test_bad_arguments():
    with pytest.raises(ValueError, match="empty"):
        build_query("  ", None)
    with pytest.raises(ValueError, match="page_size"):
        SruClient("https://sru.test/sru", HttpClient(), page_size=1001)
    with pytest.raises(ValueError, match="page_size"):
        SruClient("https://sru.test/sru", HttpClient(), page_size=0)


# --- paging over the fixtures ---------------------------------------------------------------------


def test_pages_are_followed_and_other_creators_dropped(server):
    serve_fixtures(server, {1: "sru_page1.xml", 3: "sru_page2.xml", 5: "sru_page3.xml"})
    slept: list[float] = []
    client = make_client(server, page_size=2, pause=0.5, slept=slept)

    items = list(client.iter_records("Utrecht", dt.date(2026, 1, 1)))

    assert ids(items) == ["gmb-2026-10001", "gmb-2026-10002", "gmb-2026-10004", "gmb-2026-10005", "gmb-2026-10006"]
    assert [seen.query["startRecord"] for seen in server.seen] == [["1"], ["3"], ["5"]]
    first = server.seen[0].query
    assert first["operation"] == ["searchRetrieve"] and first["version"] == ["2.0"]
    assert first["recordSchema"] == ["gzd"] and first["maximumRecords"] == ["2"]
    assert first["query"] == [build_query("Utrecht", dt.date(2026, 1, 1), None)]
    assert "application/xml" in server.seen[0].headers["Accept"]
    assert slept == [0.5, 0.5]


def test_bad_records_come_through_as_record_errors(server):
    serve_fixtures(server, {1: "sru_pitfalls.xml"})
    items = list(make_client(server, page_size=100).iter_records("Utrecht", None))

    assert ids(items) == ["gmb-2026-40001", "gmb-2026-40002", "gmb-2026-40003", "gmb-2026-40006"]
    errors = [item for item in items if isinstance(item, RecordError)]
    assert [e.record_id for e in errors] == ["recordPosition 4", "gmb-2026-40005", "recordPosition 7"]
    assert all(e.source_url and e.source_url.startswith(server.base) for e in errors)


def test_single_record_answer(server):
    serve_fixtures(server, {1: "sru_single.xml"})
    assert ids(make_client(server).iter_records("Utrecht", None)) == ["gmb-2026-30001"]
    assert len(server.seen) == 1


def test_diagnostic_fails_the_harvest(server):
    serve_fixtures(server, {1: "sru_diagnostic.xml"})
    with pytest.raises(SourceDiagnostic, match="Query syntax error") as caught:
        list(make_client(server).iter_records("Utrecht", None))
    assert caught.value.source_url.startswith(server.url("/sru?"))


def test_html_error_page_fails_the_harvest(server):
    serve_fixtures(server, {1: "html_error.html"}, content_type="text/html")
    with pytest.raises(FetchError, match="Storing - Overheid.nl"):
        list(make_client(server).iter_records("Utrecht", None))


def test_html_error_page_with_an_xml_content_type(server):
    serve_fixtures(server, {1: "html_error.html"}, content_type="application/xml")
    with pytest.raises(ParseError, match="HTML page, not XML"):
        list(make_client(server).iter_records("Utrecht", None))


def test_rate_limit_between_pages_is_honoured(server):
    calls: list[int] = []

    @server.route("/sru")
    def sru(handler, query):
        start = int(query["startRecord"][0])
        calls.append(start)
        if start == 3 and calls.count(3) == 1:
            server.send(handler, 429, b"", "text/plain", {"Retry-After": "4"})
            return
        name = {1: "sru_page1.xml", 3: "sru_page2.xml", 5: "sru_page3.xml"}[start]
        server.send(handler, 200, (FIXTURES / name).read_bytes())

    http_slept: list[float] = []
    items = list(make_client(server, http_sleep=http_slept.append).iter_records("Utrecht", None))
    assert len(ids(items)) == 5
    assert calls == [1, 3, 3, 5]
    assert http_slept == [4.0]


def test_a_page_pointing_backwards_stops_paging(server):
    @server.route("/sru")
    def sru(handler, query):
        records = [{"identifier": "gmb-2026-1", "title": "Aanvraag", "creator": "Utrecht", "modified": "2026-01-01"}]
        server.send(handler, 200, sru_page_xml(records, 5, next_record_position=1))

    items = list(make_client(server).iter_records("Utrecht", None))
    assert ids(items) == ["gmb-2026-1"]
    assert isinstance(items[-1], RecordError) and "loop" in str(items[-1])
    assert len(server.seen) == 1


# --- splitting large answers by date --------------------------------------------------------------


def fake_sru(
    server, records: list[dict], max_start: int = 10_000, per_page: int | None = None,
    sizes: list[tuple[int, int]] | None = None,
) -> list[tuple[str, int, int]]:
    """An SRU service over ``records`` that understands the date bounds of our CQL.

    ``per_page`` sends only that many records per page (while pointing to the page after a full
    one), which keeps tests with the real 10,000 limit fast.
    """
    asked: list[tuple[str, int, int]] = []

    @server.route("/sru")
    def sru(handler, query):
        cql = query["query"][0]
        start = int(query["startRecord"][0])
        size = int(query["maximumRecords"][0])
        if start >= max_start:
            server.send(handler, 200, diagnostic_xml("startRecord out of range"))
            return
        low = re.search(r"dt\.modified>=(\S+)", cql)
        high = re.search(r"dt\.modified<=(\S+)", cql)
        hits = [r for r in records if (not low or r["modified"] >= low[1]) and (not high or r["modified"] <= high[1])]
        asked.append((cql, start, len(hits)))
        if sizes is not None:
            sizes.append((size, len(hits)))
        chunk = hits[start - 1 : start - 1 + min(size, per_page or size)]
        following = start + size if start - 1 + size < len(hits) else None
        server.send(handler, 200, sru_page_xml(chunk, len(hits), following, start=start))

    return asked


def spread(count: int, first: dt.date, days: int) -> list[dict]:
    return [
        {
            "identifier": f"gmb-x-{i}",
            "title": f"Aanvraag omgevingsvergunning {i}",
            "creator": "Utrecht",
            "modified": (first + dt.timedelta(days=i * days // count)).isoformat(),
        }
        for i in range(count)
    ]


def test_large_answers_are_split_by_date_until_each_part_fits(server):
    records = spread(60, dt.date(2026, 1, 1), 30)
    asked = fake_sru(server, records)
    client = make_client(server, page_size=4)
    client.split_above = 10

    items = list(client.iter_records("Utrecht", dt.date(2026, 1, 1), dt.date(2026, 1, 30)))

    assert ids(items) == [r["identifier"] for r in records]  # each once, in order
    assert not [item for item in items if isinstance(item, RecordError)]
    paged = [(cql, hits) for cql, start, hits in asked if start > 1]
    assert paged and all(hits <= 10 for _, hits in paged)
    assert any(hits > 10 for _, _, hits in asked)  # it did have to split


def test_parts_of_a_split_range_are_probed_with_one_record_not_read_twice(server):
    records = spread(60, dt.date(2026, 1, 1), 30)
    sizes: list[tuple[int, int]] = []
    fake_sru(server, records, sizes=sizes)
    client = make_client(server, page_size=8)
    client.split_above = 10

    items = list(client.iter_records("Utrecht", dt.date(2026, 1, 1), dt.date(2026, 1, 30)))

    assert ids(items) == [r["identifier"] for r in records]
    full_pages_too_large = [hits for size, hits in sizes[1:] if size > 1 and hits > 10]
    assert sizes[0] == (8, 60) and not full_pages_too_large  # only the whole range was read in full, once
    records_read = sum(min(size, hits) for size, hits in sizes)
    assert records_read < 60 + 8 + 15  # 60 once, the first page of the whole range, and the probes


def test_open_range_is_split_up_to_today(server):
    records = spread(40, dt.date(2026, 6, 1), 30)  # the last ones are modified after "today"
    fake_sru(server, records)
    client = make_client(server, page_size=5)
    client.split_above = 10

    items = list(client.iter_records("Utrecht", None))

    assert ids(items) == [r["identifier"] for r in records]


def test_real_limits_never_ask_beyond_record_9999(server):
    records = spread(21_000, dt.date(2025, 1, 1), 365)
    asked = fake_sru(server, records, per_page=3)
    client = make_client(server, page_size=1000)

    items = list(client.iter_records("Utrecht", dt.date(2025, 1, 1), dt.date(2025, 12, 31)))

    assert not [item for item in items if isinstance(item, RecordError)]
    assert max(start for _, start, _ in asked) < 10_000
    # The queries that were paged through cover the year exactly once, each within the limit.
    paged = {cql: hits for cql, start, hits in asked if hits <= 9_000}
    assert sum(paged.values()) == 21_000
    bounds = sorted(
        (dt.date.fromisoformat(re.search(r">=(\S+)", cql)[1]), dt.date.fromisoformat(re.search(r"<=(\S+)", cql)[1]))
        for cql in paged
    )
    assert bounds[0][0] == dt.date(2025, 1, 1) and bounds[-1][1] == dt.date(2025, 12, 31)
    assert all(later[0] == earlier[1] + dt.timedelta(days=1) for earlier, later in pairwise(bounds))
    assert any(hits > 9_000 for _, _, hits in asked)
    assert all(hits <= 9_000 for _, start, hits in asked if start > 1)


def test_too_many_changes_on_one_day_are_reported(server):
    records = spread(12, dt.date(2026, 3, 3), 1)  # all on one day: cannot be split
    asked = fake_sru(server, records, max_start=9)
    client = make_client(server, page_size=4)
    client.split_above = 5
    client.max_start = 9

    items = list(client.iter_records("Utrecht", dt.date(2026, 3, 3), dt.date(2026, 3, 3)))

    assert ids(items) == [r["identifier"] for r in records[:8]]
    assert isinstance(items[-1], RecordError) and "single day" in str(items[-1])
    assert max(start for _, start, _ in asked) < 9

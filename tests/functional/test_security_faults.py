"""Service faults (issue 9, item 4) on the real services, with the outages simulated safely: the shared
Solr, Redis and PostgreSQL keep running for everyone else.

* Solr down: CKAN's search connection points at a closed port for the duration of the test.
* Redis down: a private redis-server on a free port, killed and restarted on the same port.
* PostgreSQL restarted: the harvest's database connections are terminated (what a restart does to its
  clients) while the harvest reads page 2 of a local SRU feed.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
import harvest_jobs
import pytest
from ckan.cli.cli import ckan
from harvest_jobs import consume, job_report, site_context
from vergunningen_sru_server import records_pages, running_sru_server, sample_records

pytestmark = pytest.mark.usefixtures("portal")

organization = harvest_jobs.organization

MOTIVATION = "De gegevens bevatten persoonsgegevens van bewoners die niet openbaar mogen worden."
SECRET_URL = "https://data.example.nl/geheim-tijdens-storing.csv"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Solr down ------------------------------------------------------------------------------------


@contextmanager
def solr_down() -> Iterator[None]:
    """CKAN's search connection (``make_connection`` reads ``solr_url`` on every call) at a closed port;
    also in the environment, which a ``ckan`` command invoked meanwhile loads its config from."""
    original, original_env = tk.config["solr_url"], os.environ.get("CKAN_SOLR_URL")
    closed = f"http://127.0.0.1:{_free_port()}/solr/weg"
    tk.config["solr_url"] = os.environ["CKAN_SOLR_URL"] = closed
    try:
        yield
    finally:
        tk.config["solr_url"] = original
        if original_env is None:
            os.environ.pop("CKAN_SOLR_URL", None)
        else:
            os.environ["CKAN_SOLR_URL"] = original_env


def _search(app, **params: Any) -> dict[str, Any]:
    response = app.get("/api/3/action/package_search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["result"]


def _closed_dataset(name: str, organization: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name, "title": "Bewonersonderzoek tijdens storing", "notes": "Niet openbaar",
        "owner_org": organization["id"], "access_rights": "niet-publiek", "woo_grounds": ["5.1.2.e"],
        "woo_motivation": MOTIVATION,
        "review_date": (datetime.date.today() + datetime.timedelta(days=90)).isoformat(),
        "resources": [{"name": "Antwoorden", "url": SECRET_URL, "format": "CSV"}],
    }


def test_search_answers_a_clear_json_error_when_solr_is_down(app, api, organization):
    api("package_create", name="open-data", title="Open data", notes="Openbaar", owner_org=organization["id"])
    with solr_down():
        response = app.get("/api/3/action/package_search", query_string={"q": "open"})
    assert response.content_type.startswith("application/json")
    body = response.get_json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Search Connection Error"
    assert "search server" in body["error"]["message"]
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    ["/feeds/dataset.rss", "/export/datasets.jsonl", "/openheid", "/api/openoverheid/vergunningen",
     "/dataset/", "/organization/gemeente-utrecht"],
)
def test_our_pages_and_endpoints_answer_a_clear_error_when_solr_is_down(app, api, organization, path):
    api("package_create", name="open-data", title="Open data", notes="Openbaar", owner_org=organization["id"])
    with solr_down():
        response = app.get(path)
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    if response.status_code < 400:
        return  # answered from the database: no Solr needed
    if path == "/dataset/":  # CKAN's own search page aborts with its error page: 500, no traceback
        assert response.status_code == 500 and 'id="error-content"' in text
        assert "Solr returned an error" in text
        return
    assert response.status_code == 503, (response.status_code, text[:300])
    if path.startswith(("/api/", "/feeds/", "/export/")):
        assert response.content_type.startswith("application/problem+json")
        problem = response.get_json()
        assert problem["status"] == 503 and _says_search_is_down(problem["detail"])
    else:
        assert response.content_type.startswith("text/html")
        assert _says_search_is_down(text)
    assert response.headers["Retry-After"].isdigit()


def _says_search_is_down(text: str) -> bool:
    return any(phrase in text for phrase in (
        "search index is temporarily unavailable", "zoekfunctie is tijdelijk niet beschikbaar"))


def test_the_search_index_warning_is_in_the_users_language(app, sysadmin, organization):
    headers = {"Authorization": sysadmin["token"]}
    with solr_down():
        for prefix, name, says in (("", "storing-nl", "de zoekindex (Solr) was niet bereikbaar"),
                                   ("/en", "storing-en", "the search index (Solr) could not be reached")):
            payload = {"name": name, "title": "Storing", "notes": "Openbaar", "owner_org": organization["id"]}
            response = app.post(f"{prefix}/api/3/action/package_create", headers=headers, json=payload)
            assert response.status_code == 200, response.get_data(as_text=True)
            warning = response.get_json()["result"]["search_index_warning"]
            assert says in warning and "reindex" in warning, warning


def test_writes_while_solr_is_down_are_kept_and_herindexeer_restores_search(app, api, organization, cli):
    from ckanext.openoverheid import resilience

    indexed = api("package_create", name="open-data", title="Open data", notes="Openbaar",
                  owner_org=organization["id"])
    with solr_down():
        created = api("package_create", **_closed_dataset("gesloten-storing", organization))
        updated = api("package_update", **dict(indexed, title="Open data, bijgewerkt tijdens storing"))
        # saved, with a warning that says search lags
        assert "ckan openoverheid reindex" in created["search_index_warning"]
        assert "ckan openoverheid reindex" in updated["search_index_warning"]
        # readable from the database, and the closed dataset's data still does not leak
        shown = api("package_show", _method="GET", _token=None, id="gesloten-storing")
        assert shown["access_rights"] == "niet-publiek" and shown["resources"] == []
        assert SECRET_URL not in json.dumps(shown)
        assert api("package_show", _method="GET", id="open-data")["title"].endswith("tijdens storing")
        # reindex with Solr still down: a clear error, nothing claimed
        down = cli.invoke(ckan, ["openoverheid", "reindex"])
        # the command speaks ckan.locale_default; resilience words the Solr error where it is raised, outside
        # a request, so that part may stay the English msgid (either wording says what is wrong)
        assert down.exit_code != 0 and "start Solr en probeer opnieuw" in down.output
        assert "niet bereikbaar" in down.output or "cannot be reached" in down.output

    # Solr back: the index is stale for exactly these two, search does not show the changes yet
    assert set(resilience.stale_dataset_ids()) == {created["id"], indexed["id"]}
    assert _search(app, q="name:gesloten-storing")["count"] == 0
    assert _search(app, q='title:"bijgewerkt tijdens storing"')["count"] == 0

    result = cli.invoke(ckan, ["openoverheid", "reindex"])
    assert result.exit_code == 0, result.output
    assert "1/2" in result.output and "2/2" in result.output
    assert "2 verouderd, 2 geïndexeerd, 0 fout(en)" in result.output

    found = _search(app, q="name:gesloten-storing")
    assert found["count"] == 1
    assert SECRET_URL not in json.dumps(found)  # the index copy of a closed dataset has no data either
    assert _search(app, q='title:"bijgewerkt tijdens storing"')["count"] == 1
    assert resilience.stale_dataset_ids() == []
    again = cli.invoke(ckan, ["openoverheid", "herindexeer"])  # the Dutch name of before still works
    assert "0 verouderd, 0 geïndexeerd" in again.output


# --- Redis down -----------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of our own on a free port (no persistence), killed and restarted at will."""

    def __init__(self, workdir: Any) -> None:
        self.port = _free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"private redis-server did not start on port {self.port}")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    """ckan.redis.url (which ckanext-harvest's queue reads on every connection) at a private Redis."""
    server = PrivateRedis(tmp_path)
    server.start()
    original = tk.config.get("ckan.redis.url")
    tk.config["ckan.redis.url"] = server.url
    try:
        yield server
    finally:
        tk.config["ckan.redis.url"] = original
        server.kill()


def create_source(api, organization, url: str, **config: Any) -> dict[str, Any]:
    settings = {"gemeente": "Utrecht", "pause": 0, "timeout": 2, "sinds": "2025-01-01", **config}
    return api("harvest_source_create", name="bron-vergunningen-utrecht", title="Vergunningen Utrecht (SRU)",
               url=url, source_type="vergunningen", frequency="MANUAL", owner_org=organization["id"],
               config=json.dumps(settings))


def test_harvest_jobs_wait_while_redis_is_down_and_run_when_it_is_back(api, organization, private_redis):
    import redis
    from ckanext.harvest import queue

    from ckanext.openoverheid.resilience import QUEUE_REFUSED_MARK, HarvestQueueUnavailable

    with running_sru_server() as sru:
        sru.pages = records_pages(sample_records(30))
        source = create_source(api, organization, sru.url)
        private_redis.kill()

        # starting a job: a clear JSON error for the API client, and the job waits as New
        with pytest.raises(AssertionError) as refused:
            api("harvest_job_create", source_id=source["id"], run=True)
        assert "(409)" in str(refused.value) and QUEUE_REFUSED_MARK in str(refused.value)
        [job] = tk.get_action("harvest_job_list")(site_context(), {"source_id": source["id"]})
        job = job_report(job["id"])
        assert job["status"] == "New"
        assert [m for m in job["gather_errors"] if m.startswith(QUEUE_REFUSED_MARK)]

        # the scheduler while Redis is still down: the same clear error, the job still New, one note
        with pytest.raises(HarvestQueueUnavailable):
            tk.get_action("harvest_jobs_run")(site_context(), {})
        job = job_report(job["id"])
        assert job["status"] == "New" and len(job["gather_errors"]) == 1

        # Redis back on the same address: the scheduler's next round sends the job
        private_redis.start()
        tk.get_action("harvest_jobs_run")(site_context(), {})
        job = job_report(job["id"])
        assert job["status"] == "Running" and job["gather_errors"] == []
        waiting = redis.Redis.from_url(private_redis.url).lrange(queue.get_gather_routing_key(), 0, -1)
        assert [json.loads(item)["harvest_job_id"] for item in waiting] == [job["id"]]

        consume(source["id"])
    job = job_report(job["id"])
    assert job["status"] == "Finished" and job["gather_errors"] == [] and job["object_errors"] == []
    assert job["stats"].get("errored", 0) == 0


# --- PostgreSQL restarted during a harvest --------------------------------------------------------


def terminate_database_connections() -> str:
    """What a PostgreSQL restart does to its clients, for this sandbox's two databases only."""
    databases = [urlsplit(tk.config[key]).path.lstrip("/") for key in ("sqlalchemy.url", "ckan.datastore.write_url")]
    names = ", ".join(f"'{name}'" for name in databases)
    result = subprocess.run(
        ["runuser", "-u", "postgres", "--", "psql", "-X", "-tA", "-p", str(urlsplit(tk.config["sqlalchemy.url"]).port
                                                                          or 5432),
         "-c", f"select count(pg_terminate_backend(pid)) from pg_stat_activity where datname in ({names}) "
               "and pid <> pg_backend_pid()"],
        capture_output=True, text=True, timeout=30, check=True,
    )
    return result.stdout.strip()


def table_rows(api, dataset_name: str = "bron-vergunningen-utrecht-data") -> list[dict[str, Any]]:
    dataset = api("package_show", _method="GET", id=dataset_name)
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    return api("datastore_search", _method="GET", resource_id=table["id"], limit=32000)["records"]


def test_database_restart_during_a_harvest_then_the_next_run_has_every_record_once(api, organization):
    from ckanext.harvest.model import HarvestJob

    records = sample_records(1200)
    terminated: list[str] = []
    with running_sru_server() as sru:
        pages = records_pages(records)

        def pages_with_restart(start: int, size: int):
            if start == 101 and not terminated:  # page 2: the database "restarts" under the harvest
                terminated.append(terminate_database_connections())
            return pages(start, size)

        sru.pages = pages_with_restart
        source = create_source(api, organization, sru.url, page_size=100)

        # first run, through the queues as in production: it breaks off or half completes
        from ckanext.harvest import queue

        first = tk.get_action("harvest_job_create")(site_context(), {"source_id": source["id"], "run": True})
        gather = queue.get_gather_consumer()
        reply = gather.basic_get(queue=queue.get_gather_queue_name())
        try:
            queue.gather_callback(gather, *reply)
            fetch = queue.get_fetch_consumer()
            while (reply := fetch.basic_get(queue=queue.get_fetch_queue_name()))[2] is not None:
                queue.fetch_callback(fetch, *reply)
        except Exception as error:  # a consumer dies with its connection, as in production
            broke_off: Exception | None = error
        else:
            broke_off = None
        finally:
            import ckan.model as model

            model.Session.remove()
        assert terminated and int(terminated[0]) >= 1, "no database connection was terminated"
        first_job = job_report(first["id"])
        assert broke_off is not None or first_job["gather_errors"], first_job

        # The consumer died mid-gather, so ckanext-harvest leaves the job "Running" without gather_finished;
        # the scheduler ends it after ckan.harvest.timeout minutes (here: an hour that has passed).
        assert first_job["status"] == "Running" or first_job["gather_errors"]
        job = HarvestJob.get(first["id"])
        job.created = job.created - datetime.timedelta(hours=2)
        job.save()
        original_timeout = tk.config.get("ckan.harvest.timeout")
        tk.config["ckan.harvest.timeout"] = 60
        try:
            tk.get_action("harvest_jobs_run")(site_context(), {})
        finally:
            tk.config["ckan.harvest.timeout"] = original_timeout
        first_job = job_report(first["id"])
        assert first_job["status"] == "Finished" and any("timeout" in m for m in first_job["gather_errors"])

        # the next run, through the queues again: complete, nothing missing, nothing twice
        second = tk.get_action("harvest_job_create")(site_context(), {"source_id": source["id"], "run": True})
        consume(source["id"])
    second = job_report(second["id"])
    assert second["status"] == "Finished", second
    assert second["gather_errors"] == [] and second["object_errors"] == []
    rows = table_rows(api)
    identifiers = [row["identifier"] for row in rows]
    assert len(identifiers) == len(set(identifiers)) == 1200
    assert set(identifiers) == {record["identifier"] for record in records}

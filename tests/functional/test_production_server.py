"""The portal as `make run` serves it: gunicorn with config/provision/gunicorn.conf.py and wsgi.py,
here with two worker processes on a free loopback port, against the test sandbox (test.ini and the
CKAN_* variables `portal.sh test` sets).

Nothing may live in one worker's memory: a rate limit counts the hits of every worker, a CSRF token
and session cookie from one worker are good at the other, and a worker that dies is replaced while
the other keeps answering. Which worker serves a request is forced by pausing the other one
(SIGSTOP: it accepts nothing, so the kernel hands the connection to the one that runs) and checked
in the access log, which names the worker's pid.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import requests
from meldingen_support import IN_TESTDAM, csrf_token

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
RATE_LIMIT = 3

pytestmark = pytest.mark.usefixtures("portal")


@dataclass
class Portal:
    url: str
    master: psutil.Process
    access_log: Path

    def workers(self) -> list[psutil.Process]:
        return [child for child in self.master.children() if child.is_running()]

    def get(self, path: str, session: requests.Session | None = None, **kwargs) -> requests.Response:
        return (session or requests).get(f"{self.url}{path}", headers={"Connection": "close"}, timeout=60, **kwargs)

    def served_by(self, method: str, path: str, at_least: int = 1) -> list[int]:
        """Pids of the workers that answered ``method path``, in order (from the access log).

        gunicorn writes the line just after the response, so wait (briefly) for ``at_least`` lines."""
        pattern = re.compile(rf'"{method} {re.escape(path)} HTTP/[\d.]+" \d+ \d+ pid=<?(\d+)>?')
        deadline = time.monotonic() + 10
        while True:
            pids = [int(m.group(1)) for m in pattern.finditer(self.access_log.read_text())]
            if len(pids) >= at_least or time.monotonic() > deadline:
                return pids
            time.sleep(0.1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def only(portal: Portal, worker: psutil.Process) -> Iterator[None]:
    """While the block runs, ``worker`` is the only worker that takes new connections."""
    paused = [other for other in portal.workers() if other.pid != worker.pid]
    for other in paused:
        other.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        for other in paused:
            if other.is_running():
                other.send_signal(signal.SIGCONT)


def _wait_for_workers(portal: Portal, count: int, deadline: float) -> list[psutil.Process]:
    while time.monotonic() < deadline:
        workers = portal.workers()
        if len(workers) == count:
            return workers
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not get back to {count} workers: {portal.workers()}")


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Iterator[Portal]:
    """gunicorn with 2 workers on a free port, for the whole module; stopped (SIGTERM) at the end."""
    var = tmp_path_factory.mktemp("var")
    ini = var / "production-test.ini"
    ini.write_text(
        "[app:main]\n"
        f"use = config:{ROOT / 'test.ini'}\n"
        f"ckanext.openoverheid.meldingen.rate_limit = {RATE_LIMIT}\n"
        "ckanext.openoverheid.trusted_proxies = 1\n"
        "ckanext.openoverheid.meldingen.datastore_sync = false\n",
        encoding="utf-8",
    )
    port = _free_port()
    env = dict(os.environ, CKAN_INI=str(ini), OPENOVERHEID_VAR=str(var), OPENOVERHEID_WORKERS="2",
               OPENOVERHEID_BIND=f"127.0.0.1:{port}", OPENOVERHEID_ERROR_LOG=str(var / "gunicorn.log"))
    process = subprocess.Popen([str(GUNICORN), "--config", str(ROOT / "config/provision/gunicorn.conf.py")],
                               env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    portal = Portal(f"http://127.0.0.1:{port}", psutil.Process(process.pid), var / "log" / "access.log")
    try:
        deadline = time.monotonic() + 180
        for worker in _wait_for_workers(portal, 2, deadline):
            with only(portal, worker):  # each worker has loaded CKAN and answers
                assert portal.get("/api/3/action/status_show").status_code == 200
        assert (var / "run" / "gunicorn.pid").read_text().strip() == str(process.pid)
        yield portal
    finally:
        process.send_signal(signal.SIGTERM)  # what `make stop` sends: a graceful stop
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def utrecht(api):
    return api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")


def test_it_is_gunicorn_with_two_workers_from_the_wsgi_entry_point(production):
    assert "gunicorn" in " ".join(production.master.cmdline())
    assert len(production.workers()) == 2
    assert {w.ppid() for w in production.workers()} == {production.master.pid}


def test_forty_concurrent_requests_to_search_feeds_open311_and_ics_answer_without_error(production, api, utrecht):
    from ckanext.openoverheid.demo import afvalkalender as afvalkalender_demo

    api("package_create", name="parkeerplaatsen", title="Parkeerplaatsen", notes="Alle parkeerplaatsen.",
        owner_org=utrecht["id"])
    assert afvalkalender_demo.load_demo().status == "Finished"

    paths = ["/dataset/", "/api/3/action/package_search?q=parkeerplaatsen", "/feeds/dataset.rss",
             "/open311/v2/discovery.json", "/open311/v2/services.json", "/afvalkalender/3512AH/13.ics"]
    wanted = [paths[n % len(paths)] for n in range(40)]
    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(lambda path: (path, production.get(path)), wanted))

    assert [(path, r.status_code) for path, r in answers if r.status_code != 200] == []
    by_path = {path: r for path, r in answers}
    assert by_path["/api/3/action/package_search?q=parkeerplaatsen"].json()["result"]["count"] == 1
    assert b"Parkeerplaatsen" in by_path["/feeds/dataset.rss"].content
    assert b"BEGIN:VEVENT" in by_path["/afvalkalender/3512AH/13.ics"].content
    assert "losse-stoeptegel" in by_path["/open311/v2/services.json"].text
    served = {pid for path in paths for pid in production.served_by("GET", path.split("?")[0])}
    assert served <= {w.pid for w in production.workers()} and served


def _report(portal: Portal, session: requests.Session, form_worker: psutil.Process, post_worker: psutil.Process,
            token: str | None = None) -> requests.Response:
    """The meldingen form fetched from one worker and posted to the other, as a browser would."""
    with only(portal, form_worker):
        page = portal.get("/meldingen/nieuw", session)
        assert page.status_code == 200
    form = {"_csrf_token": token if token is not None else csrf_token(page.text), "service_code": "losse-stoeptegel",
            "description": "Een losse tegel voor de deur van nummer 12.", "lat": str(IN_TESTDAM[0]),
            "lon": str(IN_TESTDAM[1]), "confirm_new": "1"}
    with only(portal, post_worker):
        return session.post(f"{portal.url}/meldingen/nieuw", data=form, headers={"Connection": "close"},
                            allow_redirects=False, timeout=60)


def test_csrf_session_and_rate_limit_are_shared_by_the_workers(production, utrecht, clean_redis):
    first, second = production.workers()
    session = requests.Session()

    forged = _report(production, session, first, second, token="vervalst-token")
    assert forged.status_code == 400  # the token is checked: a valid one below is not let through blindly

    # each report: the form (token, session cookie) from one worker, the post to the other
    answers = [_report(production, session, *pair) for pair in
               [(first, second), (second, first), (first, second), (second, first)]]
    assert [a.status_code for a in answers[:RATE_LIMIT]] == [302] * RATE_LIMIT, [a.text[:300] for a in answers]
    # per worker this is only the second report: refused because the count is the portal's, not the process's
    assert answers[RATE_LIMIT].status_code == 429
    assert int(answers[RATE_LIMIT].headers["Retry-After"]) > 0
    posted = production.served_by("POST", "/meldingen/nieuw", at_least=5)[-4:]
    assert posted == [second.pid, first.pid, second.pid, first.pid]


def _report_behind_proxy(portal: Portal, forwarded_for: str) -> requests.Response:
    """A report sent through one reverse proxy, which appends the resident's address to X-Forwarded-For."""
    session = requests.Session()
    headers = {"Connection": "close", "X-Forwarded-For": forwarded_for}
    page = session.get(f"{portal.url}/meldingen/nieuw", headers=headers, timeout=60)
    form = {"_csrf_token": csrf_token(page.text), "service_code": "losse-stoeptegel",
            "description": "Een losse tegel voor de deur van nummer 14.", "lat": str(IN_TESTDAM[0]),
            "lon": str(IN_TESTDAM[1]), "confirm_new": "1"}
    return session.post(f"{portal.url}/meldingen/nieuw", data=form, headers=headers, allow_redirects=False,
                        timeout=60)


def test_behind_a_proxy_each_resident_has_their_own_rate_limit(production, utrecht, clean_redis):
    first = [_report_behind_proxy(production, "203.0.113.7").status_code for _ in range(RATE_LIMIT + 1)]
    assert first == [302] * RATE_LIMIT + [429]
    # another resident behind the same proxy is not refused for the first one's reports
    assert _report_behind_proxy(production, "203.0.113.8").status_code == 302
    # only the address the proxy appended counts: a resident cannot pick another by sending the header
    assert _report_behind_proxy(production, "198.51.100.99, 203.0.113.7").status_code == 429


def test_a_killed_worker_is_replaced_and_only_its_request_fails(production):
    victim, survivor = production.workers()

    # a request in flight on the victim: connected while only it accepts, headers not yet complete
    with only(production, victim):
        in_flight = socket.create_connection(("127.0.0.1", int(production.url.rsplit(":", 1)[1])), timeout=30)
        in_flight.sendall(b"GET /api/3/action/status_show HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        deadline = time.monotonic() + 10
        while not any(c.laddr.port == in_flight.getpeername()[1] and c.raddr
                      and c.raddr.port == in_flight.getsockname()[1] for c in victim.net_connections("tcp")):
            assert time.monotonic() < deadline, "the victim never accepted the connection"
            time.sleep(0.1)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda _: production.get("/api/3/action/status_show").status_code, range(10)))
    assert statuses == [200] * 10  # everyone else is answered
    try:
        in_flight.sendall(b"\r\n")
        assert in_flight.recv(1024) == b""  # the request on the killed worker got no answer
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        in_flight.close()

    workers = _wait_for_workers(production, 2, time.monotonic() + 120)
    replacement = next(w for w in workers if w.pid not in (victim.pid, survivor.pid))
    answered_before = len(production.served_by("GET", "/api/3/action/status_show"))
    deadline = time.monotonic() + 120
    with only(production, replacement):
        while True:  # the new worker loads CKAN before it accepts; connections wait in the backlog
            try:
                assert production.get("/api/3/action/status_show").status_code == 200
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.5)
    assert production.served_by("GET", "/api/3/action/status_show", at_least=answered_before + 1)[-1] == replacement.pid

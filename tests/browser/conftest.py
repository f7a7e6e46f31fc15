"""Browser tests: the portal served on 127.0.0.1 by a real HTTP server in this process, driven by
Playwright through Debian's Chromium (/usr/bin/chromium, installed by `make test`, never downloaded by
Playwright), with axe-core (from npm) injected to check WCAG 2.1 AA."""

from __future__ import annotations

import base64
import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT / "tests" / "functional"))  # shared set-ups of the functional tests (meldingen_support)
CHROMIUM = os.environ.get("OPENOVERHEID_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Anything not served by the test's own server (map tiles from PDOK, ...): the tests run offline.
EXTERNAL = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
TRANSPARENT_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
)


@pytest.fixture
def live_server(app: Any, portal: None) -> Iterator[str]:
    """The CKAN app of this test, on a free port of 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        # A request the browser left unanswered would still open database sessions while the next
        # test resets the database (SQLAlchemy: "dictionary changed size during iteration").
        for request_thread in list(getattr(server, "_threads", None) or []):
            request_thread.join(timeout=10)
        server.socket.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _offline(route: Any) -> None:
    """Map tiles become a transparent PNG; any other request off this machine fails at once."""
    if route.request.resource_type == "image":
        route.fulfill(status=200, content_type="image/png", body=TRANSPARENT_PNG)
    else:
        route.abort()


@pytest.fixture
def page(chromium: Any, live_server: str, ckan_config: Any, monkeypatch: Any) -> Iterator[Any]:
    # The site's own address is the live server, so absolute links (subscribe links, the public URL
    # of a report) lead back to it as they do on the real site.
    monkeypatch.setitem(ckan_config, "ckan.site_url", live_server)
    context = chromium.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.route(EXTERNAL, _offline)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return violations of these impacts."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it from npm (npm ci)")
    page.add_script_tag(path=str(AXE))
    rules = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"
    result = page.evaluate(f"async () => await axe.run(document, {rules})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture
def find_axe_violations() -> Any:
    """axe_violations, for a test that collects the problems of many pages before it fails."""
    return axe_violations


@pytest.fixture
def assert_accessible() -> Any:
    """Call with a page: fails listing every serious or critical axe-core violation."""

    def check(page: Any) -> None:
        violations = axe_violations(page)
        assert violations == [], f"{page.url}: {violations}"

    return check


@pytest.fixture
def demo_municipality(api: Any) -> dict[str, Any]:
    """The organisation the demo harvests fill (``gemeente-utrecht``), shared by the journeys' data."""
    return api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")


@pytest.fixture
def demo_meldingen(demo_municipality: dict[str, Any]) -> int:
    """The demo reports of Utrecht (its area is in test.ini), some of them handled; returns how many."""
    from ckanext.openoverheid.demo.meldingen import load_demo_meldingen

    created = load_demo_meldingen()
    assert created > 0
    return created

"""Fuzzing the portal's API against its own OpenAPI document (issue 9, item 7).

schemathesis reads ``/api/openoverheid/openapi.json`` from the running app (CKAN's whole WSGI stack,
through ``from_wsgi``) and sends every documented operation — the feeds, the exports, the
openheidsregister, vergunningen, afvalkalender, meldingen and Open311, the POST included — a fixed,
derandomised budget of requests — the document's own examples, then generated valid and invalid ones —
on a portal with data. Each answer must be no server error and must match the document: a documented
status, media type and headers and, for JSON, the documented schema. Real PostgreSQL, Solr and Redis.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import schemathesis
from api_catalogue import populate
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.usefixtures("portal")

EXAMPLES = 10  # per operation and generation mode: ~40 operations, about 30 seconds in all
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


@pytest.fixture
def populated(api: Any, ckan_config: Any, monkeypatch: Any) -> dict[str, Any]:
    """Open and closed datasets, the register, a melding and an Open311 key (test.ini gives
    gemeente-utrecht its meldingen area)."""
    from ckanext.openoverheid.meldingen import apikeys

    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.open311.rate_limit", 0)  # the fuzzer is no flood
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.rate_limit", 0)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.datastore_sync", False)
    melding = populate(api)["melding"]
    api("melding_update_create", id=melding["id"], status="in_behandeling", text="We komen kijken.")
    return {"melding": melding, "open311_key": apikeys.create("fuzzer")[1]}


def _fuzz(operation: Any, mode: str, api_key: str) -> str | None:
    """Run the budget for one operation in one mode (``examples``: the document's own examples, then
    ``positive`` and ``negative`` generated data); the first failure as text, or None."""
    failure: list[str] = []
    if mode == "examples":
        examples = operation.schema.get_strategies_from_examples(operation)
        if not examples:
            return None
        strategy, budget = st.one_of(*examples), 2 * len(examples)
    else:
        strategy, budget = operation.as_strategy(generation_mode=GenerationMode(mode)), EXAMPLES

    @settings(max_examples=budget, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: Any) -> None:
        if failure:
            return
        if mode != "negative" and isinstance(case.body, dict) and "api_key" in case.body:
            case.body["api_key"] = api_key  # a valid key, so that valid requests reach melding_create
        try:
            response = case.call()
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - schemathesis raises a group of failures
            failure.append(f"{operation.method.upper()} {operation.path} ({mode}): {error}"[:3000])

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid: an operation without parameters, in negative mode
        pass
    return failure[0] if failure else None


def test_every_operation_answers_as_documented_under_fuzzing(app, populated):
    schema = schemathesis.openapi.from_wsgi("/api/openoverheid/openapi.json", app.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30, "the document lost its operations"
    started = time.monotonic()
    failures = []
    for operation in operations:
        for mode in ("examples", "positive", "negative"):
            found = _fuzz(operation, mode, populated["open311_key"])
            if found:
                failures.append(found)
    assert not failures, f"{len(failures)} operation(s) failed:\n\n" + "\n\n".join(failures)
    assert time.monotonic() - started < 180, "the fuzzing budget is too large for the test suite"


# Inputs the fuzzer (and a probe around it) once answered with a 500; each now has its documented error.
FOUND = [
    ("/api/3/action/melding_search?offset=" + "1" + "0" * 30, 409, "application/json"),
    ("/meldingen?pagina=" + "1" + "0" * 30, 400, "text/html"),
    ("/api/3/action/melding_search?organization=%00", 409, "application/json"),
    ("/meldingen/open-data/%00.geojson", 404, "text/html"),
    ("/api/3/action/vergunningen_search?facets=-457444407", 409, "application/json"),
    ("/open311/v2/requests.json?start_date=9999-12-31T23:59:59", 400, "application/json"),
    ("/open311/v2/requests.xml?end_date=0001-01-01T00:00:00", 400, "text/xml"),
    ("/open311/v2/requests.xml?status=%0B", 400, "text/xml"),
    ("/open311/v2/services/%0B.xml", 404, "text/xml"),
    ("/open311/v2/requests.%26%0A", 404, "application/json"),
    ("/feeds/organization/%00.rss", 404, "application/problem+json"),
]


def test_inputs_that_once_caused_a_server_error(app):
    wrong = []
    for url, status, mimetype in FOUND:
        response = app.get(url)
        if (response.status_code, response.mimetype) != (status, mimetype):
            wrong.append(f"{url}: {response.status_code} {response.mimetype}, not {status} {mimetype}")
    assert not wrong, "\n".join(wrong)

"""Alerts through CKAN's background jobs, as `make run` delivers them: the confirmation mail is sent by
an rq worker right after subscribing, and the scheduler's run (`ckan openoverheid attenderingen
scheduler`) is a job the worker runs. Real Redis queue, real worker (burst mode), real SMTP server."""

from __future__ import annotations

import attenderingen_support
import pytest
from attenderingen_support import link, subscribe
from ckan.lib import jobs

pytestmark = pytest.mark.usefixtures("portal")

sink = attenderingen_support.sink


@pytest.fixture
def empty_job_queue():
    jobs.get_queue().empty()
    yield
    jobs.get_queue().empty()


def test_worker_sends_the_confirmation_and_the_scheduled_run(app, sink, empty_job_queue, cli):
    from ckan.cli.cli import ckan

    assert subscribe(app, email="buur@example.org", soort="vergunningen", lat=52.09, lon=5.12).status_code == 200
    assert sink.messages() == [], "sent by the worker, not by the web request"
    assert jobs.get_queue().count == 1

    jobs.Worker().work(burst=True)
    failed = jobs.get_queue().failed_job_registry
    assert failed.count == 0, [jobs.job_from_id(job_id).exc_info for job_id in failed.get_job_ids()]
    [confirmation] = sink.wait_for(1)
    assert confirmation["To"] == "buur@example.org"
    assert app.get(link(confirmation, "/attenderingen/bevestig/")).status_code == 200

    result = cli.invoke(ckan, ["openoverheid", "attenderingen", "scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert jobs.get_queue().count == 1
    jobs.Worker().work(burst=True)
    assert jobs.get_queue().count == 0
    assert len(sink.messages()) == 1, "nothing new near the address: the run sends nothing"

"""Running harvest jobs in a test the way ckanext-harvest's consumers do, on the sandbox's Redis
queues, and reading what the job reported. Shared by the harvester and service-fault tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckanext.harvest import queue

Queues = tuple[Any, Any]


def site_context() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


@pytest.fixture
def organization(api) -> dict[str, Any]:
    return api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")


@pytest.fixture
def empty_queues() -> Iterator[Queues]:
    """The gather and fetch queues in this sandbox's Redis db, emptied before and after."""
    gather, fetch = queue.get_gather_consumer(), queue.get_fetch_consumer()
    gather.queue_purge(queue=queue.get_gather_queue_name())
    fetch.queue_purge(queue=queue.get_fetch_queue_name())
    yield gather, fetch
    gather.queue_purge(queue=queue.get_gather_queue_name())
    fetch.queue_purge(queue=queue.get_fetch_queue_name())


def consume(source_id: str, queues: Queues | None = None) -> None:
    """What `ckan harvester gather-consumer` and `fetch-consumer` do with what is on the queues, one
    message at a time; then `harvest_jobs_run` marks the job finished."""
    gather, fetch = queues or (queue.get_gather_consumer(), queue.get_fetch_consumer())
    reply = gather.basic_get(queue=queue.get_gather_queue_name())
    assert reply[2] is not None, "nothing on the gather queue"
    queue.gather_callback(gather, *reply)
    while (reply := fetch.basic_get(queue=queue.get_fetch_queue_name()))[2] is not None:
        queue.fetch_callback(fetch, *reply)
    tk.get_action("harvest_jobs_run")(site_context(), {"source_id": source_id})


def run_with_queues(source_id: str, queues: Queues) -> dict[str, Any]:
    """A new job of the source, run through the queues; its report (see ``job_report``)."""
    job = tk.get_action("harvest_job_create")(site_context(), {"source_id": source_id, "run": True})
    consume(source_id, queues)
    return job_report(job["id"])


def job_report(job_id: str) -> dict[str, Any]:
    """``harvest_job_show`` with ``gather_errors`` and ``object_errors`` as lists of messages."""
    job = tk.get_action("harvest_job_show")(site_context(), {"id": job_id})
    report = tk.get_action("harvest_job_report")(site_context(), {"id": job_id})
    job["gather_errors"] = [e["message"] for e in report["gather_errors"]]
    job["object_errors"] = [m["message"] for o in report["object_errors"].values() for m in o["errors"]]
    return job

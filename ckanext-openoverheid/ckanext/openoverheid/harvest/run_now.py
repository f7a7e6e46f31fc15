"""Run one harvest job of a source now, in this process, without the gather and fetch queues.

What ``ckan harvester run-test`` does, as a function (that command lives in ckanext-harvest's test
helpers and asks questions on the terminal): for demo data, and for a civil servant who wants to see
a new source work before scheduling it. The stages are the same ones the queue consumers call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.harvest import queue
from ckanext.harvest.logic import HarvestJobExists
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.openoverheid.harvest.site import site_context


@dataclass
class JobSummary:
    """How a job went: ckanext-harvest's status and stats, and every error message it recorded."""

    job_id: str
    status: str
    stats: dict[str, int] = field(default_factory=dict)
    gather_errors: list[str] = field(default_factory=list)
    object_errors: list[str] = field(default_factory=list)


def run_source_now(source_id: str) -> JobSummary:
    """Create a job for the source, gather, fetch and import it, and mark it finished.

    A job still waiting or running for this source is aborted first (as ``run-test`` offers to).
    """
    context = site_context()
    source = tk.get_action("harvest_source_show")(dict(context), {"id": source_id})
    harvester = queue.get_harvester(source["source_type"])
    if harvester is None:
        raise RuntimeError(
            f"No harvester for source type {source['source_type']!r}: enable its plugin in ckan.plugins"
        )
    try:
        job_dict = tk.get_action("harvest_job_create")(dict(context), {"source_id": source["id"], "run": False})
    except HarvestJobExists:
        tk.get_action("harvest_job_abort")(dict(context), {"source_id": source["id"]})
        job_dict = tk.get_action("harvest_job_create")(dict(context), {"source_id": source["id"], "run": False})
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    object_ids = queue.gather_stage(harvester, job)
    for object_id in object_ids if isinstance(object_ids, list) else []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    tk.get_action("harvest_jobs_run")(dict(context), {"source_id": source["id"]})
    return job_summary(job_dict["id"])


def job_summary(job_id: str) -> JobSummary:
    """A finished (or running) job's status, stats and error messages."""
    context = site_context()
    job = tk.get_action("harvest_job_show")(dict(context), {"id": job_id})
    report: dict[str, Any] = tk.get_action("harvest_job_report")(dict(context), {"id": job_id})
    return JobSummary(
        job_id=job_id,
        status=job["status"],
        stats=dict(job.get("stats") or {}),
        gather_errors=[error["message"] for error in report.get("gather_errors", [])],
        object_errors=[
            message["message"]
            for entry in report.get("object_errors", {}).values()
            for message in entry.get("errors", [])
        ],
    )

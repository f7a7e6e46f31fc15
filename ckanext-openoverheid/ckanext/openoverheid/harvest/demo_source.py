"""What the harvesters' demos share: a local sample server, the demo source, one real harvest.

A demo (``vergunningen/demo.py``, ``afvalkalender/demo.py``) serves realistic sample answers from a
server on 127.0.0.1 (a thread, a free port), points a harvest source of the demo municipality at it
and runs the job in this process, through the same stages as the queues, so the pages show data
the way a real source fills them. The source keeps the server's URL afterwards; it answers only
while the demo runs, so a later harvest of that source reports that it could not connect.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.harvest.local_server import QuietHandler, local_server
from ckanext.openoverheid.harvest.run_now import JobSummary, run_source_now
from ckanext.openoverheid.harvest.table_source import allowed_private_hosts, site_context
from harvesters.errors import UnsafeURLError
from harvesters.http import check_url_allowed

__all__ = ["DEMO_GEMEENTE", "DEMO_ORGANIZATION", "Progress", "QuietHandler", "harvest_demo", "local_server"]

DEMO_ORGANIZATION = "gemeente-utrecht"
DEMO_GEMEENTE = "Utrecht"

Progress = Callable[[str], None]


def demo_organization_id() -> str:
    try:
        return str(tk.get_action("organization_show")(site_context(), {"id": DEMO_ORGANIZATION})["id"])
    except tk.ObjectNotFound:
        raise RuntimeError(
            f"The organisation {DEMO_ORGANIZATION} does not exist: load the demo organisations first "
            "(ckan openoverheid demo)"
        ) from None


def ensure_source(wanted: dict[str, Any]) -> dict[str, Any]:
    """The harvest source ``wanted["name"]``, created once; later runs update it (a new server URL)."""
    context = site_context()
    try:
        source = tk.get_action("harvest_source_show")(dict(context), {"id": wanted["name"]})
    except tk.ObjectNotFound:
        return tk.get_action("harvest_source_create")(dict(context), wanted)
    if source.get("owner_org") != wanted["owner_org"]:
        raise RuntimeError(f"The harvest source {wanted['name']} belongs to another organisation than the demo's: "
                           "the demo does not take it over. Rename or remove it first")
    return tk.get_action("harvest_source_update")(dict(context), dict(wanted, id=source["id"]))


def harvest_demo(
    server: AbstractContextManager[str],
    source_fields: Callable[[str, str], dict[str, Any]],
    *,
    what: str,
    label: str,
    progress: Progress,
) -> JobSummary:
    """Run ``server``, make or update the source ``source_fields(url, organization_id)`` and harvest it.

    ``what`` says what the server offers (for the progress line), ``label`` names the result.
    Needs 127.0.0.1 in ``ckanext.openoverheid.allowed_private_hosts`` (the development configuration has it).
    """
    organization_id = demo_organization_id()
    with server as url:
        try:
            check_url_allowed(url, allowed_private_hosts())
        except UnsafeURLError as error:
            raise RuntimeError(
                f"{error}. The demo serves its sample data on 127.0.0.1: add 127.0.0.1 to "
                "ckanext.openoverheid.allowed_private_hosts (config/ckan.ini) and run it again"
            ) from None
        source = ensure_source(source_fields(url, organization_id))
        progress(f"harvest source {source['name']}: {what} van {url}")
        summary = run_source_now(source["id"])
    progress(f"{label}: {summary.status}, {summary.stats}")
    for message in summary.gather_errors + summary.object_errors:
        progress(f"  fout: {message}")
    return summary

"""What the harvesters' demos share: a local sample server, the demo source, one real harvest.

A demo (``demo/vergunningen.py``, ``demo/afvalkalender.py``) serves realistic sample answers from a
server on 127.0.0.1 (a thread, a free port), points a harvest source of the demo municipality at it
and runs the job in this process, through the same stages as the queues, so the pages show data
the way a real source fills them.

The portal allows no loopback hosts (``ckanext.openoverheid.allowed_private_hosts`` is empty), so
the demo allows its own server's exact ``host:port`` for itself, in this thread, while it saves and
harvests the source (``harvesters.http.allow_temporarily``); the configuration is never changed and
no queue consumer, web worker or later run gains the exception. The source keeps the server's URL
afterwards: a later harvest of it is refused as a loopback address (it is a ``MANUAL`` source, so
the scheduler never starts one).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

from ckanext.openoverheid import cli_text
from ckanext.openoverheid.demo.local_server import QuietHandler, local_server
from ckanext.openoverheid.harvest.run_now import JobSummary, run_source_now
from ckanext.openoverheid.harvest.table_source import site_context
from harvesters.http import allow_temporarily

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


def own_server(url: str) -> str:
    """The exact ``host:port`` of the demo's sample server at ``url`` (its allowance, nothing wider)."""
    parts = urlsplit(url)
    host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname
    return f"{host}:{parts.port}"


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
    The server's own ``host:port`` is allowed while the source is saved and harvested, in this
    process only; the portal's ``allowed_private_hosts`` need not (and should not) list 127.0.0.1.
    """
    organization_id = demo_organization_id()
    with server as url, allow_temporarily([own_server(url)]):
        source = ensure_source(source_fields(url, organization_id))
        progress(cli_text._("harvest source {name}: {what} from {url}").format(name=source["name"], what=what, url=url))
        summary = run_source_now(source["id"])
    progress(f"{label}: {summary.status}, {summary.stats}")
    for message in summary.gather_errors + summary.object_errors:
        progress(cli_text._("  error: {message}").format(message=message))
    return summary

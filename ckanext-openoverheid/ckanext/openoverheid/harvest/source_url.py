"""Refuse a harvest source whose URL the portal may not fetch, when the source is saved.

The HTTP client refuses such URLs again at every request (DNS may change), but an editor should
hear it when typing the URL, not from a failed job a day later. ckanext-harvest asks a harvester
only about its config, never its URL, so the check sits on ``package_create``/``package_update``,
through which both ``harvest_source_create`` and the web form go.

It applies to the source types of our own table-source harvesters (vergunningen, afvalkalender, …)
and is registered once, by the portal plugin (``logic/action.py``), around its own chained
``package_create``/``package_update``: CKAN would chain a copy per harvester plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.harvest.interfaces import IHarvester

from ckanext.openoverheid.harvest.table_source import TableSourceHarvester, allowed_private_hosts
from harvesters.errors import FetchError, UnsafeURLError
from harvesters.http import check_url_allowed


def guarded_source_types() -> set[str]:
    """The source types of the loaded harvesters built on TableSourceHarvester."""
    return {
        harvester.info()["name"]
        for harvester in p.PluginImplementations(IHarvester)
        if isinstance(harvester, TableSourceHarvester)
    }


def refuse_unsafe_url(data_dict: dict[str, Any]) -> None:
    """ValidationError on ``url`` when a source of ours points at an address the portal may not contact.

    A host that cannot be resolved right now is let through: that is a failed run, not a danger.
    """
    if (data_dict or {}).get("source_type") not in guarded_source_types():
        return
    url = str(data_dict.get("url") or "").strip()
    if not url:
        return
    try:
        check_url_allowed(url, allowed_private_hosts())
    except UnsafeURLError as error:
        raise tk.ValidationError({"url": [str(error)]}) from None
    except FetchError:  # the host cannot be resolved now: the run will report it
        return


def guarded(chained: Callable[..., Any]) -> Callable[..., Any]:
    """``chained`` (a chained ``package_create``/``package_update``) with the URL check run first."""

    @tk.chained_action
    def guarded_action(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
        refuse_unsafe_url(data_dict)
        return chained(next_action, context, data_dict)

    guarded_action.__name__ = chained.__name__
    guarded_action.__doc__ = chained.__doc__
    return guarded_action

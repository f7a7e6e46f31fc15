"""Refuse a harvest source whose URL the portal may not fetch, when the source is saved.

The HTTP client refuses such URLs again at every request (DNS may change), but an editor should
hear it when typing the URL, not from a failed job a day later. ckanext-harvest asks a harvester
only about its config, never its URL, so the check sits on ``package_create``/``package_update``,
through which both ``harvest_source_create`` and the web form go.

It applies to the source types of our own table-source harvesters (vergunningen, afvalkalender, …)
and of the DCAT harvester, and is registered once, by the ``openoverheid_harvest`` plugin
(``harvest/logic/action.py``), on ``package_create``/``package_update``: CKAN would chain a copy per
harvester plugin.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.harvest.interfaces import IHarvester

from ckanext.openoverheid.harvest.site import allowed_private_hosts
from ckanext.openoverheid.harvest.table_source import TableSourceHarvester
from harvesters.errors import FetchError, Refusal, UnsafeURLError
from harvesters.http import check_url_allowed


def guarded_source_types() -> set[str]:
    """The source types of the loaded harvesters built on TableSourceHarvester."""
    return {
        harvester.info()["name"]
        for harvester in p.PluginImplementations(IHarvester)
        if isinstance(harvester, TableSourceHarvester)
    }


def url_guarded_source_types() -> set[str]:
    """The source types whose URL is checked when saved: our table sources and the harvesters that ask
    for it (``guards_source_url``, e.g. the DCAT harvester)."""
    return guarded_source_types() | {
        harvester.info()["name"]
        for harvester in p.PluginImplementations(IHarvester)
        if getattr(harvester, "guards_source_url", False)
    }


def refusal_message(error: UnsafeURLError) -> str:
    """The field error for a refused URL, in the user's language, saying what to change."""
    if error.refusal is Refusal.INVALID:
        return tk._("{url} is not a valid web address. Check the URL.").format(url=error.source_url)
    if error.refusal is Refusal.SCHEME:
        return tk._("Only http and https addresses can be harvested; {url} is neither. "
                    "Give the source's web address.").format(url=error.source_url)
    if error.refusal is Refusal.NO_HOST:
        return tk._("{url} has no host name. Check the URL.").format(url=error.source_url)
    if error.refusal is Refusal.METADATA:
        return tk._("The portal never fetches from {address}: it is a cloud metadata service. "
                    "Give the source's public web address.").format(address=error.address)
    return tk._("The portal may not fetch from {host}: it resolves to {address}, an address of the portal's "
                "own machine or of a private network. Give the source's public web address; a source "
                "inside your own network must first be allowed by the site administrator "
                "(ckanext.openoverheid.allowed_private_hosts).").format(host=error.host, address=error.address)


def refuse_unsafe_url(data_dict: dict[str, Any]) -> None:
    """ValidationError on ``url`` when a source of ours points at an address the portal may not contact.

    A host that cannot be resolved right now is let through: that is a failed run, not a danger.
    """
    if (data_dict or {}).get("source_type") not in url_guarded_source_types():
        return
    url = str(data_dict.get("url") or "").strip()
    if not url:
        return
    try:
        check_url_allowed(url, allowed_private_hosts())
    except UnsafeURLError as error:
        raise tk.ValidationError({"url": [refusal_message(error)]}) from None
    except FetchError:  # the host cannot be resolved now: the run will report it
        return

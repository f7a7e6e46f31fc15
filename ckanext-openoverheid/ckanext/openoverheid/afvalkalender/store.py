"""Writing calendars into a source's DataStore table: upsert, replace what moved, drop old years.

An address's fresh answer from the provider is the truth for the dates it covers, per waste type:
a collection moved from Tuesday to Wednesday must not stay on Tuesday too. So for each waste type
in the answer, rows of that type dated after today up to the answer's last date of that type that
the answer no longer holds are deleted; everything outside that window stays (past dates of this
year and today's, which some providers no longer list once the truck has come; types the provider
left out; next year's dates not yet published). This also holds for providers that answer only the
next date per type (Opzet): a row before that next date would have been the next date itself.
An address whose fetch failed or came back empty sends no rows, so its last good calendar is kept.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.afvalkalender.table import TABLE
from ckanext.openoverheid.harvest import datastore_bulk
from ckanext.openoverheid.harvest.site import site_context

__all__ = ["merge_duplicates", "prune_before", "replace_calendars"]

log = logging.getLogger(__name__)

AddressKey = tuple[str, int, str]
MAX_ROWS_PER_ADDRESS = 32000


def _address(row: dict[str, Any]) -> AddressKey:
    return (str(row["postcode"]), int(row["huisnummer"]), str(row.get("toevoeging") or ""))


def _day(value: Any) -> str:
    return str(value)[:10]


def merge_duplicates(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the same primary key as one row: two unknown (``overig``) collections on one day
    differ by label only, and the table keeps one row per type and day, naming both labels."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (*_address(row), row["afvaltype"], _day(row["datum"]))
        if key not in merged:
            merged[key] = dict(row)
            continue
        kept = merged[key]
        for column in ("provider_label", "omschrijving"):
            labels = [part for part in str(kept.get(column) or "").split(" / ") if part]
            if row.get(column) and row[column] not in labels:
                kept[column] = " / ".join([*labels, row[column]])
    return list(merged.values())


def _stale(existing: Iterable[dict[str, Any]], fresh: list[dict[str, Any]], today: dt.date) -> dict[str, list[str]]:
    """Per waste type, the dates to delete: see the module docstring."""
    last: dict[str, str] = {}
    wanted: set[tuple[str, str]] = set()
    for row in fresh:
        kind, day = row["afvaltype"], _day(row["datum"])
        wanted.add((kind, day))
        last[kind] = max(last.get(kind, day), day)
    stale: dict[str, list[str]] = defaultdict(list)
    for row in existing:
        kind, day = row["afvaltype"], _day(row["datum"])
        if kind not in last or (kind, day) in wanted:
            continue
        if today.isoformat() < day <= last[kind]:
            stale[kind].append(day)
    return dict(stale)


def replace_calendars(resource_id: str, rows: list[dict[str, Any]], today: dt.date) -> int:
    """Upsert ``rows`` (whole answers of one or more addresses) and delete their moved collections.

    Returns the number of rows deleted. Each address's rows must all be in ``rows``: the stale
    window is computed from them.
    """
    context = site_context()
    rows = merge_duplicates(rows)
    by_address: dict[AddressKey, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_address[_address(row)].append(row)
    deleted = 0
    for (postcode, huisnummer, toevoeging), fresh in by_address.items():
        address = {"postcode": postcode, "huisnummer": huisnummer, "toevoeging": toevoeging}
        existing = tk.get_action("datastore_search")(
            dict(context),
            {
                "resource_id": resource_id,
                "filters": dict(address, datum={"gt": today.isoformat()}),
                "fields": ["afvaltype", "datum"],
                "limit": MAX_ROWS_PER_ADDRESS,
                "include_total": False,
            },
        )["records"]
        for kind, days in _stale(existing, fresh, today).items():
            tk.get_action("datastore_delete")(
                dict(context),
                {"resource_id": resource_id, "filters": dict(address, afvaltype=kind, datum=days), "force": True},
            )
            deleted += len(days)
            log.info("afvalkalender: %s %s%s: %s moved away from %s", postcode, huisnummer, toevoeging, kind, days)
    tk.check_access("datastore_upsert", dict(context), {"resource_id": resource_id})
    datastore_bulk.upsert_rows(resource_id, TABLE.fields, TABLE.primary_key, rows)
    return deleted


def prune_before(resource_id: str, first_day: dt.date) -> None:
    """Delete the collections before ``first_day`` (1 January of this year): the table holds this
    year's calendar, past dates included, and next year's once published."""
    tk.get_action("datastore_delete")(
        site_context(),
        {"resource_id": resource_id, "filters": {"datum": {"lt": first_day.isoformat()}}, "force": True},
    )

"""CSV and JSON Lines writers over iterables of dataset dicts.

Each yields text chunk by chunk, so that a web response can stream a catalogue of any size in
constant memory. Both apply "open, tenzij" themselves (defensively: the dicts they get should already
be the public view): a closed dataset is written with its metadata and without its resources.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ckanext.openoverheid.openheid.withholding import public_view

CSV_COLUMNS = (
    "name", "title", "organisation", "access_rights", "woo_grounds", "review_date", "modified", "license",
    "themes", "url", "num_resources",
)
# List values in one cell are separated by a space (codes and URIs contain none), as in the
# openheidsregister's CSV.
LIST_SEPARATOR = " "
# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> str:
    """Free text for a CSV cell, neutralised so that a spreadsheet shows it instead of running it
    (also used by the Woo inventory, ``woo/inventory.py``)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _list(value: Any) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return LIST_SEPARATOR.join(str(item) for item in value)


def csv_record(dataset: dict[str, Any], site_url: str) -> list[str]:
    """One CSV row (see ``CSV_COLUMNS``) for a dataset dict as ``package_search`` returns it."""
    dataset = public_view(dataset)
    organization = dataset.get("organization") or {}
    return [
        dataset.get("name") or "",
        csv_text(dataset.get("title")),
        csv_text(organization.get("title") or organization.get("name")),
        dataset.get("access_rights") or "publiek",
        _list(dataset.get("woo_grounds")),
        dataset.get("review_date") or "",
        dataset.get("modified") or dataset.get("metadata_modified") or "",
        dataset.get("license_id") or "",
        _list(dataset.get("theme")),
        f"{site_url.rstrip('/')}/dataset/{dataset.get('name') or dataset.get('id')}",
        str(len(dataset.get("resources") or [])),
    ]


def csv_lines(datasets: Iterable[dict[str, Any]], site_url: str) -> Iterator[str]:
    """A CSV document (RFC 4180, UTF-8, header row first), one chunk per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def take() -> str:
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return chunk

    writer.writerow(CSV_COLUMNS)
    yield take()
    for dataset in datasets:
        writer.writerow(csv_record(dataset, site_url))
        yield take()


def jsonl_lines(datasets: Iterable[dict[str, Any]]) -> Iterator[str]:
    """JSON Lines: one dataset dict (its public view) per line."""
    for dataset in datasets:
        yield json.dumps(public_view(dataset), ensure_ascii=False, separators=(",", ":")) + "\n"
